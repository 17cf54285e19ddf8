// Not a *.bench.mjs (run-all runs those without arguments). The per-message cost of a send's
// own work, without the SMTP server or the ledger: each batch of readers planned
// (issue/plan-readers.ts), each message's recipient (render/copy-recipient.ts), Message-ID and
// composed wire pieces (deliver/create-issue-composer.ts), for one or more builds side by
// side (issues #20, #23: whole-process send CPU per message). Usage:
//   node bench/compose-ab.mjs [DIST ...]        (default: this checkout's dist/)
// where each DIST is a build of a commit (git archive <commit> src tsconfig*.json package.json
// | tar -x -C DIR, node_modules linked into DIR, npx tsc --build tsconfig.build.json).
// On a shared machine times move with the load, so:
// - each build runs in a process of its own per round (one build's garbage is never collected
//   on another's time), builds alternated round by round (BENCH_ROUNDS, default 3);
// - a process makes a warm-up pass over every reader (the composer makes its skeletons and
//   cards), then BENCH_REPS (default 5) timed passes; each phase's fastest pass counts (the
//   one the load left alone), and the median over rounds is printed.
// BENCH_MESSAGES (default 10000) readers; BENCH_PICKS=on|off (default on: every reader follows
// three phrases of the day's titles, as bench/deliver.bench.mjs's picks mode on the sample).
// BENCH_CPU_PROF=<file> writes a CPU profile of the timed passes (one build);
// BENCH_WARM=off times the first pass, skeletons and cards made in it.
// Each child is this script: `compose-ab.mjs --child DIST DIR` (DIR holds the database).
// Prints, per build, µs per message (wall time of the fastest pass): planning, composing (of
// it: the recipient, the Message-ID), joining the pieces into one Buffer (what the copies
// cost), the CPU of the fastest pass, and pieces and bytes per message.
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const child = process.argv[2] === '--child';
const dists = (child ? process.argv.slice(3, 4) : process.argv.slice(2)).map((d) => path.resolve(d));
if (dists.length === 0) dists.push(path.join(root, 'dist'));
const N = Number(process.env.BENCH_MESSAGES ?? 10_000);
const PICKS = (process.env.BENCH_PICKS ?? 'on') === 'on';
const BATCH = 500;
const dir = child ? process.argv[4] : mkdtempSync(path.join(tmpdir(), 'pp-compose-'));
const env = {
  SECRET_KEY: 'bench-secret-key-0123456789abcdef',
  DIGEST_SOURCE: path.join(root, 'content/digests'),
  MAIL_FROM: 'paperpost <news@example.org>',
  PAPERPOST_CACHE_DIR: path.join(dir, 'cache'),
};

// 1. A subscriber database (made with the first build's CLI), with follows in picks mode.
const db = path.join(dir, 'subscribers.db');
if (!child) {
let csv = 'email,name,themes\n';
for (let i = 0; i < N; i++) csv += `reader${i}@example.org,Reader ${i},\n`;
writeFileSync(path.join(dir, 'list.csv'), csv);
const cli = (args) => {
  const r = spawnSync(process.execPath, [path.join(dists[0], 'cli.js'), ...args], { env: { PATH: process.env.PATH, ...env, DATABASE_URL: 'sqlite:' + db }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`paperpost ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
cli(['subscribers', 'import', path.join(dir, 'list.csv')]);
if (PICKS) {
  const { default: Database } = await import('better-sqlite3');
  const { followKey } = await import(path.join(dists[0], 'picks/reader-signals.js'));
  const digest = JSON.parse(cli(['digest', path.join(root, 'content/digests'), '--json']));
  const words = (t) => t.split(/[^A-Za-z-]+/).filter((w) => w.length >= 4);
  const phrases = [...new Set(digest.papers.flatMap((p) => words(p.title).slice(1).map((w, i) => `${words(p.title)[i]} ${w}`)))];
  const sqlite = new Database(db);
  const insert = sqlite.prepare('INSERT OR IGNORE INTO follows (subscriber_id, kind, key, value, created_at) VALUES (?, ?, ?, ?, ?)');
  let seed = 20;
  const next = (n) => ((seed = (seed * 48271) % 2147483647) % n);
  const at = new Date().toISOString();
  sqlite.transaction(() => {
    for (const id of sqlite.prepare('SELECT id FROM subscribers ORDER BY id').pluck().all()) {
      for (let k = 0; k < 3; k++) {
        const p = phrases[next(phrases.length)];
        insert.run(id, 'phrase', followKey('phrase', p), p, at);
      }
    }
  })();
  sqlite.close();
}
// 2'. The runs, a process each, builds alternated; the median of each build's rounds.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const results = dists.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  const order = dists.map((d, i) => i);
  if (r % 2) order.reverse();
  for (const i of order) {
    const run = spawnSync(process.execPath, [self, '--child', dists[i], dir], { env: process.env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${dists[i]}: ${run.stderr}`);
    results[i].push(JSON.parse(run.stdout.trim().split('\n').pop()));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${N} readers${PICKS ? ', each following three phrases of the day' : ''}: µs per message (each run's fastest pass), median of ${ROUNDS} runs (load ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
const firstTotal = median(results[0].map((x) => x.plan + x.compose));
dists.forEach((d, i) => {
  const m = (k) => median(results[i].map((x) => x[k]));
  const total = median(results[i].map((x) => x.plan + x.compose));
  const all = results[i].map((x) => (x.plan + x.compose).toFixed(0)).join(', ');
  console.log(`${d}: plan ${m('plan').toFixed(0).padStart(5)}, compose ${m('compose').toFixed(0).padStart(5)} (recipient ${m('recipient').toFixed(0)}, Message-ID ${m('messageId').toFixed(0)}; plan + compose ${total.toFixed(0)} [${all}], ${(total / firstTotal).toFixed(2)}x of the first), join ${m('join').toFixed(0).padStart(5)}; CPU of a whole pass ${m('cpu').toFixed(0)}; ${m('pieces').toFixed(1)} pieces, ${m('bytes').toFixed(0)} bytes per message`);
});
rmSync(dir, { recursive: true, force: true });
process.exit(0);
}

const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
// 2. Per build: the issue prepared as `send` prepares it, its planner and composer.
const builds = [];
for (const dist of dists) {
  const m = (p) => import(path.join(dist, p));
  const { loadConfig } = await m('config.js');
  const { createApp } = await m('app.js');
  const { ingestDigest } = await m('ingest/ingest-digest.js');
  const { prepareIssue } = await m('issue/prepare-issue.js');
  const { createReaderPlanner } = await m('issue/plan-readers.js');
  const { createIssueComposer } = await m('deliver/create-issue-composer.js');
  const { messageIdFor } = await m('deliver/message-id-for.js');
  const { copyRecipient } = await m('render/copy-recipient.js');
  const { copyParts, personalizeIssue } = await m('render/personalize-issue.js');
  const config = loadConfig({ ...process.env, ...env, DATABASE_URL: 'sqlite:' + db }, root);
  const app = createApp(config, { createDatabase: false });
  const { digest } = await ingestDigest(config.digestSource);
  const { compiled } = await prepareIssue(app, { ...digest, date: digest.date });
  const planner = createReaderPlanner(compiled, app);
  const now = new Date();
  const b = { dist, app, planner, subscribers: [], plan: 0, composeUs: 0, recipient: 0, messageId: 0, join: 0, pieces: 0, bytes: 0, n: 0 };
  b.compose = createIssueComposer({
    issueId: compiled.id,
    from: config.mailFrom,
    listId: config.listId,
    unsubscribeMailto: config.unsubscribeMailto,
    personalize: (recipient) => personalizeIssue(compiled, recipient),
    recipientFor: (subscriber) => {
      const t = performance.now();
      const r = copyRecipient(config, compiled, { ...subscriber, plan: planner.planOf(subscriber) }, now);
      b.recipient += performance.now() - t;
      return r;
    },
    parts: copyParts(compiled),
  });
  for await (const s of app.store().listSubscribers({ status: 'active' })) b.subscribers.push(s);
  b.messageIdFor = (s) => {
    const t = performance.now();
    const id = messageIdFor(config, compiled.id, s.id);
    b.messageId += performance.now() - t;
    return id;
  };
  builds.push(b);
}

// 3. A warm-up pass (the composer makes its skeletons and cards), then REPS passes over every
// reader, each timed per phase; the fastest pass of each phase is what the load left alone.
const REPS = Number(process.env.BENCH_REPS ?? 5);
const b = builds[0];
const date = new Date();
const session = process.env.BENCH_CPU_PROF ? new Session() : null;
const passes = [];
for (let rep = process.env.BENCH_WARM === 'off' ? 1 : 0; rep <= REPS; rep++) {
  if (rep === 1 && session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const pass = { plan: 0, compose: 0, join: 0, pieces: 0, bytes: 0, cpu: 0 };
  b.recipient = b.messageId = 0;
  const cpuBefore = cpu();
  for (let start = 0; start < N; start += BATCH) {
    const batch = b.subscribers.slice(start, start + BATCH);
    const t = performance.now();
    await b.planner.planBatch(batch);
    const planned = performance.now();
    const messages = [];
    for (const s of batch) messages.push(b.compose(s, b.messageIdFor(s), date));
    const composed = performance.now();
    for (const msg of messages) {
      pass.pieces += msg.raw.length;
      pass.bytes += Buffer.concat(msg.raw).length;
    }
    pass.join += performance.now() - composed;
    pass.plan += planned - t;
    pass.compose += composed - planned;
  }
  pass.cpu = cpu() - cpuBefore;
  pass.recipient = b.recipient;
  pass.messageId = b.messageId;
  if (rep > 0) passes.push(pass);
}
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(process.env.BENCH_CPU_PROF, JSON.stringify(profile));
}
await b.app.close();
// µs per message: the fastest pass of each phase (ms over N messages).
const fastest = (k) => (Math.min(...passes.map((x) => x[k])) * 1000) / N;
console.log(JSON.stringify({ plan: fastest('plan'), compose: fastest('compose'), recipient: fastest('recipient'), messageId: fastest('messageId'), join: fastest('join'), pieces: passes[0].pieces / N, bytes: passes[0].bytes / N, cpu: Math.min(...passes.map((x) => x.cpu)) / N }));
