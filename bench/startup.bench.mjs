// Start-up (issue #23, item 5): wall time of `paperpost --version` and `--help` (goal < 0.15 s)
// next to `node -e 0` (the floor: Node's own start-up on this machine), and the time from
// spawning `paperpost send` on the sample issue to its first SMTP connection (goal < 0.4 s),
// with the compiled-MJML cache cold (first run, empty PAPERPOST_CACHE_DIR) and warm (the
// runs after it). Each send runs in a fresh scratch directory with a fresh SQLite database
// (the example subscribers), through a TCP relay that notes the first connection and passes
// it on to Postfix's smtp-sink. BENCH_RUNS (default 3) runs of each; the load average is
// printed with every figure, since a loaded machine stretches all of them alike (compare
// with the node -e 0 line measured in the same run).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(root, process.env.BENCH_CLI ?? 'dist/cli.js'); // BENCH_CLI: another build to compare
const load = () => loadavg()[0].toFixed(2);
const sbin = (b) => spawnSync('sh', ['-c', `command -v ${b} || ls /usr/sbin/${b} /usr/lib/postfix/${b} 2>/dev/null`]).stdout.toString().trim().split('\n')[0];
const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall seconds of one run of `args` (node + args). */
const wall = (args) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: tmpdir() } });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return (performance.now() - t) / 1000;
};

// 1. --version and --help, next to node -e 0, interleaved so load changes hit all alike.
const cases = { 'node -e 0': ['-e', '0'], 'paperpost --version': [cli, '--version'], 'paperpost --help': [cli, '--help'] };
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const loads = [];
for (let i = 0; i < RUNS; i++) {
  loads.push(load());
  for (const [name, args] of Object.entries(cases)) times[name].push(wall(args));
}
console.log(`start-up, ${RUNS} runs each, node ${process.version}, load average at each run: ${loads.join(', ')}`);
for (const [name, ts] of Object.entries(times)) {
  console.log(`  ${name.padEnd(22)} ${ts.map((t) => t.toFixed(3)).join(' ')} s (median ${median(ts).toFixed(3)} s, ${(median(ts) / median(times['node -e 0'])).toFixed(2)}x node -e 0)`);
}

// 2. send: spawn to first SMTP connection.
const sink = sbin('smtp-sink');
if (!sink) {
  console.error("smtp-sink not found: install Debian's postfix package (apt-get install -y postfix) for the send figure");
  process.exit(2);
}
const sinkPort = await freePort();
const sinkProc = spawn(sink, [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), `127.0.0.1:${sinkPort}`, '1000'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 300));
const cacheDir = mkdtempSync(path.join(tmpdir(), 'pp-startup-cache-'));
const firsts = [];
// The sink is stopped however the runs end.
process.on('exit', () => sinkProc.kill());
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-startup-'));
  cpSync(path.join(root, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  let first = null;
  let t0 = 0;
  const relay = net.createServer((client) => {
    first ??= (performance.now() - t0) / 1000;
    const up = net.connect(sinkPort, '127.0.0.1');
    client.pipe(up).pipe(client);
    const drop = () => { client.destroy(); up.destroy(); };
    client.on('error', drop);
    up.on('error', drop);
  });
  await new Promise((r) => relay.listen(0, '127.0.0.1', r));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    PAPERPOST_CACHE_DIR: cacheDir,
    SECRET_KEY: 'bench-secret-key-0123456789abcdef',
    MAIL_FROM: 'paperpost <news@example.org>',
    SMTP_URL: `smtp://127.0.0.1:${relay.address().port}`,
  };
  // A list of one (not timed): send refuses to create a database.
  const add = spawnSync(process.execPath, [cli, 'subscribers', 'add', 'reader@example.org'], { cwd: dir, env, encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`paperpost subscribers add: ${add.stdout}${add.stderr}`);
  const l = load();
  t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'send'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  const total = (performance.now() - t0) / 1000;
  await new Promise((r) => relay.close(r));
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 || first === null) throw new Error(`paperpost send (exit ${code}, first connection ${first}): ${out}`);
  firsts.push(first);
  console.log(`  send, MJML cache ${i === 0 ? 'cold' : 'warm'}: first SMTP connection ${first.toFixed(3)} s after spawn, whole run ${total.toFixed(3)} s (load ${l})`);
}
sinkProc.kill();
rmSync(cacheDir, { recursive: true, force: true });
const warm = firsts.slice(1);
const ok = median(times['paperpost --version']) < 0.15 && median(times['paperpost --help']) < 0.15 && (warm.length ? median(warm) : firsts[0]) < 0.4;
console.log(ok ? 'goal met: --version and --help < 0.15 s, send (warm) reaches SMTP < 0.4 s' : 'goal NOT met on this run (see the node -e 0 line for what the machine allows)');
process.exitCode = ok ? 0 : 1;
