// Start-up (issue #23, item 5): wall time of `paperpost --version` and `--help` (goal < 0.15 s)
// next to `node -e 0` (the floor: Node's own start-up on this machine), and the time from
// spawning `paperpost send` on the sample issue to its first SMTP connection (goal < 0.4 s),
// and to its first message (the end of DATA: the connection now opens while the issue is
// checked and composed, so the two differ), with the cache of built issues (PAPERPOST_CACHE_DIR:
// topic map, grouping, compiled issue, Handlebars and MJML) cold (first run, empty) and warm
// (the runs after it), and the send's CPU time. Each send runs in a fresh scratch directory with a fresh SQLite database
// (one subscriber), against an SMTP server in this process (smtp-server on port 0, no reverse
// lookup of the client) that notes when it accepts the first connection (TCP) and discards the mail. BENCH_RUNS (default 3) runs
// of each, interleaved. A loaded machine stretches every figure alike, so each is printed
// also as "minus node -e 0" (what paperpost adds to Node's own start-up) and, where
// /usr/bin/time exists, with its CPU time (user + system), which load stretches much less.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(root, process.env.BENCH_CLI ?? 'dist/cli.js'); // BENCH_CLI: another build to compare
const load = () => loadavg()[0].toFixed(2);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall seconds (and CPU seconds, with /usr/bin/time) of one run of `args` (node + args). */
const run = (args) => {
  const t = performance.now();
  const [cmd, argv] = TIME ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]] : [process.execPath, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: tmpdir() } });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  const m = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
};

// 1. --version and --help, next to node -e 0, interleaved so load changes hit all alike.
const cases = { 'node -e 0': ['-e', '0'], 'paperpost --version': [cli, '--version'], 'paperpost --help': [cli, '--help'] };
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, { wall: [], cpu: [] }]));
const loads = [];
for (let i = 0; i < RUNS; i++) {
  loads.push(load());
  for (const [name, args] of Object.entries(cases)) {
    const r = run(args);
    times[name].wall.push(r.wall);
    times[name].cpu.push(r.cpu);
  }
}
console.log(`start-up, ${RUNS} runs each, node ${process.version}, load average at each run: ${loads.join(', ')}`);
const base = times['node -e 0'];
for (const [name, t] of Object.entries(times)) {
  const extra = name === 'node -e 0' ? '' : `; minus node -e 0: ${(median(t.wall) - median(base.wall)).toFixed(3)} s wall, ${(median(t.cpu) - median(base.cpu)).toFixed(2)} s CPU`;
  console.log(`  ${name.padEnd(22)} ${t.wall.map((x) => x.toFixed(3)).join(' ')} s (median ${median(t.wall).toFixed(3)} s wall, ${median(t.cpu).toFixed(2)} s CPU${extra})`);
}

// 2. send: spawn to first SMTP connection, against an SMTP server here that discards the mail.
let onFirst = null;
let onFirstData = null;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  // smtp-server looks the client's name up before it greets (onConnect comes after that): here,
  // with no DNS, the lookup waits ~100 ms for its timer, which is this server's time, not the
  // sender's. A sink does not need the name.
  disableReverseLookup: true,
  onData(stream, _session, callback) {
    stream.resume();
    stream.on('end', () => {
      onFirstData?.();
      onFirstData = null;
      callback();
    });
  },
});
await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
// The first connection is when TCP accepts it: what the sender controls.
smtp.server.prependListener('connection', () => {
  onFirst?.();
  onFirst = null;
});
const smtpPort = smtp.server.address().port;
const cacheDir = mkdtempSync(path.join(tmpdir(), 'pp-startup-cache-'));
const firsts = [];
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-startup-'));
  cpSync(path.join(root, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  let first = null;
  let firstData = null;
  let t0 = 0;
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    PAPERPOST_CACHE_DIR: cacheDir,
    SECRET_KEY: 'bench-secret-key-0123456789abcdef',
    MAIL_FROM: 'paperpost <news@example.org>',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  };
  // A list of one (not timed): send refuses to create a database.
  const add = spawnSync(process.execPath, [cli, 'subscribers', 'add', 'reader@example.org'], { cwd: dir, env, encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`paperpost subscribers add: ${add.stdout}${add.stderr}`);
  const l = load();
  onFirst = () => (first = (performance.now() - t0) / 1000);
  onFirstData = () => (firstData = (performance.now() - t0) / 1000);
  t0 = performance.now();
  const [cmd, argv] = TIME ? [TIME, ['-f', 'cpu %U %S', process.execPath, cli, 'send']] : [process.execPath, [cli, 'send']];
  const child = spawn(cmd, argv, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  const total = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 || first === null) throw new Error(`paperpost send (exit ${code}, first connection ${first}): ${out}`);
  firsts.push(first);
  const m = /cpu ([\d.]+) ([\d.]+)/.exec(out);
  const cpu = m ? `, ${(Number(m[1]) + Number(m[2])).toFixed(2)} s CPU` : '';
  console.log(
    `  send, cache ${i === 0 ? 'cold' : 'warm'}: first SMTP connection ${first.toFixed(3)} s after spawn (minus node -e 0: ${(first - median(base.wall)).toFixed(3)} s), first message ${firstData?.toFixed(3)} s, whole run ${total.toFixed(3)} s${cpu} (load ${l})`,
  );
}
await new Promise((r) => smtp.close(r));
rmSync(cacheDir, { recursive: true, force: true });
const warm = firsts.slice(1);
const ok = median(times['paperpost --version'].wall) < 0.15 && median(times['paperpost --help'].wall) < 0.15 && (warm.length ? median(warm) : firsts[0]) < 0.4;
console.log(ok ? 'goal met: --version and --help < 0.15 s, send (warm) reaches SMTP < 0.4 s' : 'goal NOT met on this run (see the node -e 0 line for what the machine allows)');
process.exitCode = ok ? 0 : 1;
