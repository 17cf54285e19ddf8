// Several senders on one issue (issue #16, #23 item 6): `paperpost send` with 1, 2 and 3
// processes at once on one PostgreSQL database, and one on SQLite beside them, all into one
// Postfix smtp-sink, on 100,000 subscribers (BENCH_SUBSCRIBERS) and the real issue (the sample
// digest). Each case starts from a fresh copy of the same database (CREATE DATABASE … TEMPLATE,
// or a copy of the SQLite file), so no case inherits another's ledger.
// It prints messages per second over the whole case (first spawn to last exit) and inside
// delivery (each process's own summary), the peak RSS (VmHWM) and CPU of every sender, the
// CPU of smtp-sink and of PostgreSQL's processes (the ledger and the claims; a backend's CPU
// as last sampled, every 50 ms), and the machine's busy CPU, whose remainder is the rest of the
// machine (anything else running: note the load average). That says what limits the rate: on
// 2 cores, a second and third sender only help while a core is idle. Per message: the senders'
// CPU and PostgreSQL's; per batch of SEND_BATCH_SIZE ids (500): the statements the senders sent
// to PostgreSQL, each a round trip (counted by count-pg-round-trips.mjs, preloaded; BENCH_PG_TRIPS_DETAIL=1
// lists the most frequent).
// Needs PostgreSQL (PAPERPOST_BENCH_POSTGRES_URL, else PAPERPOST_TEST_POSTGRES_URL, else the
// test role postgres://paperpost:paperpost@127.0.0.1:5432/postgres, with CREATEDB) and
// Postfix's smtp-sink (`apt-get install -y postfix`). BENCH_SENDERS picks the cases, in order:
// `sqlite` (one sender on SQLite) and a number of senders on PostgreSQL; default
// sqlite,1,3,sqlite,1,3 (each twice, alternating, so drift in the machine's load shows).
// Goals: every message sent exactly once in every case, and peak RSS under 250 MB per sender;
// issue #23 item 6: one sender on PostgreSQL at 0.9× SQLite's rate or better, and three not
// slower than one (printed as ratios of the medians of each kind of case).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Database from 'better-sqlite3';

const N = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const CASES = (process.env.BENCH_SENDERS ?? 'sqlite,1,3,sqlite,1,3').split(',').map((c) => (c === 'sqlite' ? c : Number(c)));
const BATCH = 500;
const CONNECTIONS = 5;
const RSS_GOAL_MB = 250;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const counter = path.join(root, 'bench/count-pg-round-trips.mjs');
const adminUrl = process.env.PAPERPOST_BENCH_POSTGRES_URL || process.env.PAPERPOST_TEST_POSTGRES_URL || 'postgres://paperpost:paperpost@127.0.0.1:5432/postgres';
const withDatabase = (url, name) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

const sbin = (b) => spawnSync('sh', ['-c', `command -v ${b} || ls /usr/sbin/${b} /usr/lib/postfix/${b} /usr/lib/postfix/sbin/${b} 2>/dev/null`]).stdout.toString().trim().split('\n')[0];
if (!sbin('smtp-sink')) {
  console.error("smtp-sink not found: install Debian's postfix package (apt-get install -y postfix) and run again");
  process.exit(2);
}
const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
try {
  await admin.connect();
} catch (e) {
  console.error(`PostgreSQL is not reachable at ${adminUrl.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')}: ${e.message}; start it or set PAPERPOST_BENCH_POSTGRES_URL`);
  process.exit(2);
}

const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const dir = mkdtempSync(path.join(tmpdir(), 'pp-senders-'));
const prefix = `pp_bench_senders_${process.pid}`;
const databases = [];
const baseEnv = {
  PATH: process.env.PATH,
  HOME: dir,
  SECRET_KEY: 'bench-secret-key-0123456789abcdef',
  DIGEST_SOURCE: path.join(root, 'content/digests'),
  MAIL_FROM: 'paperpost <news@example.org>',
  SMTP_POOL_SIZE: String(CONNECTIONS),
  ...(process.env.BENCH_PG_TRIPS_DETAIL === '1' ? { BENCH_PG_TRIPS_DETAIL: '1' } : {}),
};

// 1. The template database: schema by `paperpost db migrate`, N subscribers by one statement.
const template = `${prefix}_template`;
await admin.query(`CREATE DATABASE ${template}`);
databases.push(template);
{
  const r = spawnSync(process.execPath, [cli, 'db', 'migrate'], { env: { ...baseEnv, DATABASE_URL: withDatabase(adminUrl, template) }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`paperpost db migrate: ${r.stdout}${r.stderr}`);
  const db = new pg.Client({ connectionString: withDatabase(adminUrl, template) });
  await db.connect();
  const t = performance.now();
  await db.query(
    `INSERT INTO subscribers (email, email_key, status, created_at, confirmed_at)
     SELECT 'reader' || g || '@example.org', 'reader' || g || '@example.org', 'active', $2, $2 FROM generate_series(0, $1 - 1) AS g`,
    [N, new Date().toISOString()],
  );
  await db.end();
  console.log(`${N} subscribers in one INSERT … SELECT generate_series (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}
// The same list on SQLite, when a case needs it: schema by `paperpost db migrate`, the rows in one statement.
const sqliteTemplate = path.join(dir, 'template.db');
if (CASES.includes('sqlite')) {
  const r = spawnSync(process.execPath, [cli, 'db', 'migrate'], { env: { ...baseEnv, DATABASE_URL: `sqlite:${sqliteTemplate}` }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`paperpost db migrate (SQLite): ${r.stdout}${r.stderr}`);
  const db = new Database(sqliteTemplate);
  db.prepare(
    `WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i + 1 < ?)
     INSERT INTO subscribers (email, email_key, status, created_at, confirmed_at)
     SELECT 'reader' || i || '@example.org', 'reader' || i || '@example.org', 'active', ?, ? FROM g`,
  ).run(N, new Date().toISOString(), new Date().toISOString());
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** CPU ticks a process has used (user + system), and its peak RSS in kB, from /proc. */
const procOf = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { ticks: Number(stat[11]) + Number(stat[12]), hwm };
  } catch {
    return null;
  }
};
// The server's own processes (other PostgreSQL servers on the machine are left out): the postmaster is the parent of
// the admin connection's backend, when the server runs on this machine.
const postmaster = await (async () => {
  const { pid } = (await admin.query('SELECT pg_backend_pid() AS pid')).rows[0];
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
  } catch {
    return null;
  }
})();
/** CPU ticks of every process of the PostgreSQL server now (the server's backends come and go with connections). */
const postgresTicks = () => {
  const ticks = new Map();
  for (const pid of readdirSync('/proc').filter((f) => /^\d+$/.test(f))) {
    try {
      const [comm, rest] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ');
      if (!comm.endsWith('(postgres')) continue;
      const stat = rest.split(' ');
      if (postmaster && pid !== postmaster && stat[1] !== postmaster) continue;
      ticks.set(pid, Number(stat[11]) + Number(stat[12]));
    } catch { /* gone */ }
  }
  return ticks;
};
/** Busy and total jiffies of the whole machine, from /proc/stat. */
const machine = () => {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
};

// 2. Each case: a fresh copy of the template, a fresh smtp-sink, k senders started together.
let ok = true;
const results = [];
for (const [c, kind] of CASES.entries()) {
  const onSqlite = kind === 'sqlite';
  const k = onSqlite ? 1 : kind;
  const label = onSqlite ? '1 sender on SQLite' : `${k} sender(s) on PostgreSQL`;
  const name = `${prefix}_${c}`;
  let databaseUrl;
  if (onSqlite) {
    const file = path.join(dir, `case-${c}.db`);
    copyFileSync(sqliteTemplate, file);
    databaseUrl = `sqlite:${file}`;
  } else {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    databases.push(name);
    databaseUrl = withDatabase(adminUrl, name);
  }
  const port = await freePort();
  const sink = spawn(sbin('smtp-sink'), [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), `127.0.0.1:${port}`, '1000'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const env = { ...baseEnv, DATABASE_URL: databaseUrl, SMTP_URL: `smtp://127.0.0.1:${port}` };
  const loadBefore = loadavg()[0].toFixed(2);
  const m0 = machine();
  const pgStart = postgresTicks();
  const pgSeen = new Map(pgStart);
  const t = performance.now();
  const senders = Array.from({ length: k }, () => {
    const child = spawn(process.execPath, [...(onSqlite ? [] : ['--import', counter]), cli, 'send'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const s = { child, out: '', ticks: 0, hwm: 0, code: null };
    child.stdout.on('data', (d) => (s.out += d));
    child.stderr.on('data', (d) => (s.out += d));
    s.exited = new Promise((resolve) => child.on('exit', (code) => resolve((s.code = code))));
    return s;
  });
  const poll = setInterval(() => {
    for (const s of senders) {
      const p = procOf(s.child.pid);
      if (!p) continue;
      s.ticks = p.ticks;
      s.hwm = Math.max(s.hwm, p.hwm);
    }
    for (const [pid, t] of postgresTicks()) pgSeen.set(pid, Math.max(t, pgSeen.get(pid) ?? 0));
  }, 50);
  await Promise.all(senders.map((s) => s.exited));
  clearInterval(poll);
  const seconds = (performance.now() - t) / 1000;
  const m1 = machine();
  const sinkCpu = (procOf(sink.pid)?.ticks ?? NaN) / 100;
  sink.kill();

  const ledgerSql = `SELECT count(*) FILTER (WHERE status = 'sent') AS sent, count(*) AS n FROM deliveries`;
  let ledger;
  if (onSqlite) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    ledger = db.prepare(ledgerSql.replace("count(*) FILTER (WHERE status = 'sent')", "sum(status = 'sent')")).get();
    db.close();
  } else {
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    ledger = (await db.query(ledgerSql)).rows[0];
    await db.end();
  }
  const trips = senders.reduce((n, s) => n + Number(/pg round trips: (\d+)/.exec(s.out)?.[1] ?? 0), 0);
  const sent = senders.map((s) => Number(/sent (\d+), deferred/.exec(s.out)?.[1] ?? NaN));
  const inside = senders.map((s) => Number(/\(([\d.]+) messages\/s\)/.exec(s.out)?.[1] ?? NaN));
  const allSent = senders.every((s) => s.code === 0) && Number(ledger.sent) === N && Number(ledger.n) === N && sent.reduce((a, b) => a + b, 0) === N;
  if (!allSent) {
    ok = false;
    console.error(`${label}: not every message went out exactly once (ledger ${ledger.sent}/${ledger.n}; exit codes ${senders.map((s) => s.code)}):\n${senders.map((s) => s.out).join('\n---\n')}`);
  }
  const peaks = senders.map((s) => s.hwm / 1024);
  ok &&= peaks.every((p) => p < RSS_GOAL_MB);
  const cores = (m1.total - m0.total) / (seconds * 100);
  const busy = (m1.busy - m0.busy) / 100;
  const senderCpu = senders.reduce((a, s) => a + s.ticks, 0) / 100;
  let pgCpu = 0;
  for (const [pid, t] of pgSeen) pgCpu += (t - (pgStart.get(pid) ?? 0)) / 100;
  const rest = busy - senderCpu - sinkCpu - pgCpu;
  results.push({ kind, rate: N / seconds });
  console.log(`${label}: ${N} messages over ${CONNECTIONS} connections each into one smtp-sink in ${seconds.toFixed(1)} s (load average ${loadBefore} before)`);
  console.log(`  ${(N / seconds).toFixed(0).padStart(5)} messages/s over the whole case; inside delivery per sender: ${inside.map((r) => r.toFixed(0)).join(', ')}/s`);
  for (const [i, s] of senders.entries()) {
    console.log(`  sender ${i + 1}: sent ${sent[i]}, ${(s.ticks / 100).toFixed(1)} s CPU, peak RSS ${peaks[i].toFixed(0)} MB`);
    // BENCH_PG_TRIPS_DETAIL=1: the statements it sent most (count-pg-round-trips.mjs).
    if (process.env.BENCH_PG_TRIPS_DETAIL === '1' && s.out.includes('pg round trips')) console.log(s.out.slice(s.out.indexOf('pg round trips')).trimEnd().replace(/^/gm, '    '));
  }
  console.log(
    `  per message: senders ${((1000 * senderCpu) / N).toFixed(3)} ms CPU, PostgreSQL ${((1000 * pgCpu) / N).toFixed(3)} ms CPU` +
      (onSqlite ? '' : `; per batch of ${BATCH} ids: ${(trips / (N / BATCH)).toFixed(1)} round trips to PostgreSQL (${trips} in all)`),
  );
  console.log(`  CPU: machine busy ${busy.toFixed(1)} of ${(seconds * cores).toFixed(1)} core-seconds (${((100 * busy) / (seconds * cores)).toFixed(0)}%); senders ${senderCpu.toFixed(1)} s, smtp-sink ${sinkCpu.toFixed(1)} s, PostgreSQL ${pgCpu.toFixed(1)} s, the rest of the machine ${rest.toFixed(1)} s`);
}
const median = (kind) => {
  const r = results.filter((x) => x.kind === kind).map((x) => x.rate).sort((a, b) => a - b);
  return r.length ? (r[(r.length - 1) >> 1] + r[r.length >> 1]) / 2 : NaN;
};
const kinds = [...new Set(results.map((r) => r.kind))];
console.log(`median messages/s over the whole case: ${kinds.map((kind) => `${kind === 'sqlite' ? 'SQLite' : `${kind} on PostgreSQL`} ${median(kind).toFixed(0)}`).join(', ')}`);
if (kinds.includes('sqlite') && kinds.includes(1)) console.log(`one sender, PostgreSQL ÷ SQLite: ${(median(1) / median('sqlite')).toFixed(2)}× (goal 0.9×)`);
for (const k of kinds.filter((x) => typeof x === 'number' && x > 1)) if (kinds.includes(1)) console.log(`${k} senders ÷ 1 sender on PostgreSQL: ${(median(k) / median(1)).toFixed(2)}× (goal: not below 1×)`);
console.log(`goal: every message sent exactly once, peak RSS under ${RSS_GOAL_MB} MB per sender: ${ok ? 'met' : 'MISSED'}`);

for (const d of databases.reverse()) await admin.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
await admin.end();
rmSync(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
