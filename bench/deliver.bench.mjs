// Delivery throughput (issue #14): `paperpost send` as a whole process (start-up, ingest,
// render, freeze, the ledger, SMTP) against Postfix's smtp-source, into the same smtp-sink,
// with the same message size, message count and connection count. Two sizes:
//   1. the real issue: the sample digest rendered (`paperpost render`), its email.eml's size;
//   2. 200 KB: the same issue with a copy of the templates whose text part carries an
//      appendix of abstracts, sized until email.eml comes to 200 KB (the HTML part cannot
//      grow: compile-issue.ts trims it under Gmail's clipping point).
// smtp-source runs before and after paperpost (each with a fresh smtp-sink); the ratio is
// paperpost's rate over the mean of the two. Peak RSS is the sender's VmHWM from /proc.
// Needs Debian's postfix package for smtp-sink/smtp-source: `apt-get install -y postfix`.
// Goals: ratio >= 0.8 with every reader's own picks (issue #20), >= 0.9 at the real size and at
// 200 KB (issue #23 item 5); every message sent. The exit status checks 0.8. Each mode prints
// its ratio, and paperpost's CPU time per message (what to compare under load: ratios and
// rates are only meaningful on a quiet machine).
// Picks mode (issue #20), BENCH_PICKS=on (or both: without, then with): every subscriber follows
// two authors and a phrase of the day (three phrases of its titles where the digest names no
// authors, as the sample), drawn for them alone, so each gets "Picked for you"
// papers (with reasons) of their own, counted in MAX_PAPERS, and a copy no other reader shares;
// the composer assembles them from pieces encoded once (deliver/assemble-copy.ts).
// BENCH_MESSAGES (default 20000) sets the count; BENCH_SIZES=real or 200k runs one size;
// BENCH_CPU_PROF=<dir> writes a CPU profile of each paperpost run there (summarize it with
// `node bench/summarize-cpu-profile.mjs <file>`); the profiler slows the run down.
// BENCH_NODE_FLAGS="--max-semi-space-size=64" passes V8/Node flags to each paperpost run (GC experiments);
// BENCH_KEEP=1 keeps the scratch directory (the subscriber databases, to rerun a send by hand).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONNECTIONS = 5;
const BIG = 200_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const sizes = (process.env.BENCH_SIZES ?? 'real,200k').split(',');
const picksModes = { off: [false], on: [true], both: [false, true] }[process.env.BENCH_PICKS ?? 'off'];
if (!picksModes) {
  console.error('BENCH_PICKS must be off, on or both');
  process.exit(2);
}

const sbin = (b) => spawnSync('sh', ['-c', `command -v ${b} || ls /usr/sbin/${b} /usr/lib/postfix/${b} 2>/dev/null`]).stdout.toString().trim().split('\n')[0];
for (const bin of ['smtp-sink', 'smtp-source']) {
  if (!sbin(bin)) {
    console.error(`${bin} not found: install Debian's postfix package (apt-get install -y postfix) and run again`);
    process.exit(2);
  }
}

const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
// Every measured run gets a sink of its own (same program, same options), so no run inherits
// another's connections or backlog.
let sink;
async function freshSink() {
  sink?.kill();
  const port = await freePort();
  sink = spawn(sbin('smtp-sink'), [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return port;
}

const dir = mkdtempSync(path.join(tmpdir(), 'pp-deliver-'));
const baseEnv = {
  PATH: process.env.PATH,
  SECRET_KEY: 'bench-secret-key-0123456789abcdef',
  DIGEST_SOURCE: path.join(root, 'content/digests'),
  MAIL_FROM: 'paperpost <news@example.org>',
  SMTP_POOL_SIZE: String(CONNECTIONS),
};
const run = (args, env) => {
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...baseEnv, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`paperpost ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
/**
 * The size of the .eml `paperpost render` writes for the sample digest with these templates:
 * a generic reader's copy, or (`db`) the first subscriber's, with their feedback links (and
 * picks) as a send makes it.
 */
const renderedSize = (templates, db) => {
  const out = path.join(dir, 'render');
  rmSync(out, { recursive: true, force: true });
  const who = db ? ['--subscriber', 'reader0@example.org'] : [];
  run(['render', path.join(root, 'content/digests'), '--out', out, ...who], { TEMPLATES_DIR: templates, DATABASE_URL: 'sqlite:' + (db ?? path.join(dir, 'render.db')) });
  return statSync(path.join(out, 'email.eml')).size;
};

/** A copy of the templates whose text part ends with an appendix that brings the .eml to `target` bytes. */
function paddedTemplates(target) {
  const copy = path.join(dir, 'templates-200k');
  cpSync(path.join(root, 'templates'), copy, { recursive: true });
  const abstracts = readFileSync(path.join(root, 'content/digests/hf-papers-2025-12-11.txt'), 'utf8').split('\n').filter((l) => l.length > 300 && !/[{}]/.test(l));
  const text = path.join(copy, 'issue.txt.hbs');
  const original = readFileSync(text, 'utf8');
  let padding = 0;
  for (let round = 0; round < 4; round++) {
    const missing = target - renderedSize(copy);
    if (Math.abs(missing) < 200) break;
    padding = Math.max(0, padding + missing);
    let appendix = '\nAPPENDIX: THE ABSTRACTS\n';
    for (let i = 0; appendix.length < padding; i++) appendix += `\n${abstracts[i % abstracts.length]}\n`;
    writeFileSync(text, original + appendix.slice(0, padding));
  }
  return copy;
}

/** A ledger database with N active subscribers who follow every theme (so each gets the whole issue). */
function subscriberDb() {
  const db = path.join(dir, 'subscribers.db');
  if (existsSync(db)) return db;
  let csv = 'email,name,themes\n';
  for (let i = 0; i < N; i++) csv += `reader${i}@example.org,Reader ${i},\n`;
  writeFileSync(path.join(dir, 'list.csv'), csv);
  run(['subscribers', 'import', path.join(dir, 'list.csv')], { DATABASE_URL: 'sqlite:' + db });
  return db;
}

/**
 * The same database where every subscriber follows two authors and a phrase of the day's
 * papers, drawn for them alone (a fixed seed): each gets picks and reasons of their own.
 */
async function picksDb() {
  const db = path.join(dir, 'subscribers-picks.db');
  if (existsSync(db)) return db;
  copyFileSync(subscriberDb(), db);
  const { default: Database } = await import('better-sqlite3');
  const { followKey } = await import(path.join(root, 'dist/picks/reader-signals.js'));
  const digest = JSON.parse(run(['digest', path.join(root, 'content/digests'), '--json'], { DATABASE_URL: 'sqlite:' + path.join(dir, 'render.db') }));
  // The sample (a Hugging Face page saved as text) names no authors or keywords: phrases of two words from the titles then.
  const authors = [...new Set(digest.papers.flatMap((p) => p.authors ?? []))];
  const words = (t) => t.split(/[^A-Za-z-]+/).filter((w) => w.length >= 4);
  const phrases = [...new Set(digest.papers.flatMap((p) => [...(p.keywords ?? []).filter((k) => k.split(' ').length >= 2), ...words(p.title).slice(1).map((w, i) => `${words(p.title)[i]} ${w}`)]))];
  if (phrases.length === 0) throw new Error('the sample digest has no phrases to follow');
  const sqlite = new Database(db);
  const insert = sqlite.prepare('INSERT OR IGNORE INTO follows (subscriber_id, kind, key, value, created_at) VALUES (?, ?, ?, ?, ?)');
  const ids = sqlite.prepare('SELECT id FROM subscribers ORDER BY id').pluck().all();
  let seed = 20;
  const next = (n) => ((seed = (seed * 48271) % 2147483647) % n);
  const at = new Date().toISOString();
  sqlite.transaction(() => {
    for (const id of ids) {
      for (let k = 0; k < 2 && authors.length > 0; k++) {
        const a = authors[next(authors.length)];
        insert.run(id, 'author', followKey('author', a), a, at);
      }
      for (let k = 0; k < (authors.length > 0 ? 1 : 3); k++) {
        const p = phrases[next(phrases.length)];
        insert.run(id, 'phrase', followKey('phrase', p), p, at);
      }
    }
  })();
  sqlite.close();
  return db;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
/** CPU seconds a live process has used (user + system), from /proc. */
const cpuOf = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(stat[11]) + Number(stat[12])) / 100;
  } catch {
    return NaN;
  }
};

// smtp-source: the ceiling for this sink and machine.
async function runSource(size) {
  const port = await freshSink();
  const t = performance.now();
  let sourceCpu = 0;
  await new Promise((resolve, reject) => {
    const p = spawn(sbin('smtp-source'), ['-d', '-l', String(size), '-m', String(N), '-s', String(CONNECTIONS), '-f', 'news@example.org', '-t', 'reader@example.org', `127.0.0.1:${port}`], { stdio: 'ignore' });
    const poll = setInterval(() => (sourceCpu = cpuOf(p.pid) || sourceCpu), 50);
    p.on('exit', (c) => (clearInterval(poll), c === 0 ? resolve() : reject(new Error(`smtp-source exited ${c}`))));
  });
  return { rate: N / ((performance.now() - t) / 1000), cpu: sourceCpu, sinkCpu: cpuOf(sink.pid) };
}

// paperpost: `paperpost send` on a fresh copy of the subscriber database, timed from spawn to exit.
async function runPaperpost(templates, label, picks) {
  const port = await freshSink();
  const db = path.join(dir, `send-${label}.db`);
  rmSync(db, { force: true });
  copyFileSync(picks ? await picksDb() : subscriberDb(), db);
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF, '--cpu-prof-name', `send-${label}-${Date.now()}.cpuprofile`] : [];
  const env = { ...baseEnv, TEMPLATES_DIR: templates, DATABASE_URL: 'sqlite:' + db, SMTP_URL: `smtp://127.0.0.1:${port}` };
  const t = performance.now();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), ...profile, cli, 'send'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let peakKb = 0;
  let cpuTicks = 0;
  let sysTicks = 0;
  const poll = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpuTicks = Number(stat[11]) + Number(stat[12]);
      sysTicks = Number(stat[12]);
    } catch { /* exited */ }
  }, 50);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  const sinkCpu = cpuOf(sink.pid);
  const seconds = (performance.now() - t) / 1000;
  const summary = /sent (\d+), deferred (\d+), failed (\d+).* in ([\d.]+) s \(([\d.]+) messages\/s\)/.exec(out);
  if (code !== 0 || !summary || Number(summary[1]) !== N) throw new Error(`paperpost send (exit ${code}) did not send all ${N}:\n${out}`);
  return { rate: N / seconds, inside: Number(summary[5]), peakMb: peakKb / 1024, cpuSeconds: cpuTicks / 100, sysSeconds: sysTicks / 100, seconds, sinkCpu };
}

let ok = true;
const cases = { real: () => path.join(root, 'templates'), '200k': () => paddedTemplates(BIG) };
for (const label of sizes) for (const picks of picksModes) {
  const templates = cases[label]();
  // The size of a subscriber's copy as sent (feedback links under each paper; picks in picks mode).
  const size = renderedSize(templates, picks ? await picksDb() : subscriberDb());
  const loadBefore = load();
  const before = await runSource(size);
  const pp = await runPaperpost(templates, label, picks);
  const after = await runSource(size);
  const ratio = pp.rate / ((before.rate + after.rate) / 2);
  ok &&= ratio >= 0.8;
  console.log(`${label === 'real' ? 'the real issue' : '200 KB'}${picks ? ', every reader with picks of their own' : ''}: ${N} messages of ${size} bytes over ${CONNECTIONS} connections into smtp-sink (load average ${loadBefore} before, ${load()} after)`);
  const source = (r) => `${r.rate.toFixed(0).padStart(6)} messages/s (${r.cpu.toFixed(1)} s CPU; smtp-sink ${r.sinkCpu.toFixed(1)} s CPU)`;
  console.log(`  smtp-source before     ${source(before)}`);
  console.log(`  paperpost send         ${pp.rate.toFixed(0).padStart(6)} messages/s, whole process: ${pp.seconds.toFixed(2)} s, ${pp.cpuSeconds.toFixed(1)} s CPU (${pp.sysSeconds.toFixed(1)} s of it in the kernel), peak RSS ${pp.peakMb.toFixed(0)} MB (inside delivery: ${pp.inside.toFixed(0)}/s; smtp-sink ${pp.sinkCpu.toFixed(1)} s CPU)`);
  console.log(`  smtp-source after      ${source(after)}`);
  console.log(`  paperpost CPU per message: ${((pp.cpuSeconds / N) * 1e6).toFixed(0)} µs (whole process, start-up included)`);
  console.log(`  paperpost / smtp-source = ${ratio.toFixed(2)} (goals: >= 0.80 with picks, #20; >= 0.90, #23)`);
}
sink?.kill();
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
process.exit(ok ? 0 : 1);
