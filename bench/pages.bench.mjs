// Pages under load (issue #23, item 7): `paperpost serve` on the sample issue against a bare
// node:http server that serves the very same bytes, side by side, with autocannon (50
// connections, BENCH_SECONDS each, default 10). For the archive page of the sent issue, the
// Atom feed, the archive index and the subscribe form it prints requests per second, p99
// latency, errors and timeouts of both, and their ratio, with the load average before each
// case (this machine may be shared: the ratio, measured in the same minute, is the figure).
// Goal: every page >= 0.5x the bare server, p99 < 100 ms.
// The issue is made and sent to the outbox by `paperpost run` in a scratch directory.
// BENCH_DATABASE=postgres runs on PostgreSQL (PAPERPOST_BENCH_POSTGRES_URL, an empty
// database paperpost may create its tables in); the default is SQLite.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
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
if (postgres && !process.env.PAPERPOST_BENCH_POSTGRES_URL) {
  console.error('BENCH_DATABASE=postgres needs PAPERPOST_BENCH_POSTGRES_URL (an empty database)');
  process.exit(2);
}

const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

// 1. A scratch installation with the sample issue sent (to the outbox).
const dir = mkdtempSync(path.join(tmpdir(), 'pp-pages-'));
cpSync(path.join(root, 'content'), path.join(dir, 'content'), { recursive: true });
cpSync(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
const port = await freePort();
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  SECRET_KEY: 'bench-secret-key-0123456789abcdef',
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  MAIL_FROM: 'paperpost <news@example.org>',
  ...(postgres ? { DATABASE_URL: process.env.PAPERPOST_BENCH_POSTGRES_URL } : {}),
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
  const bare = http.createServer((_, out) => {
    out.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    out.end(body);
  });
  await new Promise((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${bare.address().port}${p}`;
  const loadBefore = load();
  const b = await bench(bareUrl);
  const a = await bench(base + p);
  await new Promise((r) => bare.close(r));
  const ratio = a.requests.average / b.requests.average;
  const pass = ratio >= RATIO_GOAL && a.latency.p99 < P99_GOAL_MS && a.errors === 0 && a.timeouts === 0 && a.non2xx === 0;
  ok &&= pass;
  console.log(
    `${p.padEnd(22)} ${(body.length / 1024).toFixed(1).padStart(6)} KB  paperpost ${a.requests.average.toFixed(0).padStart(6)} req/s p99 ${String(a.latency.p99).padStart(4)} ms ` +
      `(errors ${a.errors}, timeouts ${a.timeouts}, non-2xx ${a.non2xx})  bare ${b.requests.average.toFixed(0).padStart(6)} req/s p99 ${String(b.latency.p99).padStart(4)} ms  ` +
      `ratio ${ratio.toFixed(2)}  ${pass ? 'ok' : 'MISSES the goal'}  (load ${loadBefore})`,
  );
}
serve.kill('SIGTERM');
await new Promise((r) => serve.on('exit', r));
rmSync(dir, { recursive: true, force: true });
console.log(ok ? `goal met: every page >= ${RATIO_GOAL}x bare, p99 < ${P99_GOAL_MS} ms` : 'goal NOT met (see above)');
process.exitCode = ok ? 0 : 1;
