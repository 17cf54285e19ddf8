// Peak memory of a real `paperpost send` to 100,000 subscribers (the 39-paper sample issue)
// into Postfix's smtp-sink: goal peak RSS under 250 MB, flat as the list grows (issues #5 and
// #14); BENCH_SUBSCRIBERS=1000000 for a million, goal 300 MB. One in ten follows one topic.
// BENCH_NODE_OPTIONS passes NODE_OPTIONS to the sender (say, V8 heap flags, to see where memory goes).
// The sender's CPU time (user + system, read from /proc while it runs) is printed next to its
// memory, so a memory setting that costs speed shows.
// Needs Debian's postfix package for smtp-sink: `apt-get install -y postfix`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sinkBin = spawnSync('sh', ['-c', 'command -v smtp-sink || ls /usr/sbin/smtp-sink']).stdout.toString().trim();
if (!sinkBin) {
  console.error('smtp-sink not found: install Debian\'s postfix package (apt-get install -y postfix)');
  process.exit(2);
}
const port = await new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const sink = spawn(sinkBin, [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' });

const dir = mkdtempSync(path.join(tmpdir(), 'pp-mem-'));
let csv = 'email,name,themes\n';
for (let i = 0; i < N; i++) csv += `reader${i}@example.org,Reader ${i},${i % 10 === 0 ? 'efficient-inference' : ''}\n`;
writeFileSync(path.join(dir, 'list.csv'), csv);
const env = {
  ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  PATH: process.env.PATH,
  DATABASE_URL: 'sqlite:' + path.join(dir, 'bench.db'),
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  SECRET_KEY: 'bench-secret-key-0123456789abcdef',
  DIGEST_SOURCE: path.join(root, 'content/digests'),
  TEMPLATES_DIR: path.join(root, 'templates'),
  SMTP_POOL_SIZE: '5',
};
const cli = path.join(root, 'dist/cli.js');
const imp = spawnSync(process.execPath, [cli, 'subscribers', 'import', path.join(dir, 'list.csv')], { env, encoding: 'utf8' });
if (imp.status !== 0) throw new Error(imp.stderr);

// Peak resident memory, read from /proc while the sender runs (VmHWM is the high-water mark).
const t = performance.now();
const child = spawn(process.execPath, [cli, 'send'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (out += d));
let peakKb = 0;
let cpuTicks = 0;
const samples = [];
const poll = setInterval(() => {
  try {
    // utime and stime, fields 14 and 15 of /proc/PID/stat (after the command name in parentheses).
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    cpuTicks = Number(stat[11]) + Number(stat[12]);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    samples.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
  } catch { /* exited */ }
}, 100);
const code = await new Promise((resolve) => child.on('exit', resolve));
clearInterval(poll);
sink.kill();
rmSync(dir, { recursive: true, force: true });
const seconds = (performance.now() - t) / 1000;
const mb = (kb) => (kb / 1024).toFixed(0);
const q = (f) => samples[Math.floor((samples.length - 1) * f)] ?? 0;
console.log(`send to ${N.toLocaleString('en')} subscribers: exit ${code}, ${seconds.toFixed(1)} s, ${(N / seconds).toFixed(0)} messages/s`);
const goalMb = N > 100_000 ? 300 : 250;
console.log(`  peak RSS ${mb(peakKb)} MB (goal < ${goalMb} MB); RSS at 10% / 50% / 90% of the run: ${mb(q(0.1))} / ${mb(q(0.5))} / ${mb(q(0.9))} MB`);
// Clock ticks are 100 a second on Linux; the last sample is up to 100 ms before the exit.
console.log(`  sender CPU ${(cpuTicks / 100).toFixed(1)} s (user + system)${process.env.BENCH_NODE_OPTIONS ? `, NODE_OPTIONS=${process.env.BENCH_NODE_OPTIONS}` : ''}`);
console.log('  ' + out.trim().split('\n').filter((l) => !l.startsWith('warning')).join('\n  '));
process.exit(code === 0 && peakKb < goalMb * 1024 ? 0 : 1);
