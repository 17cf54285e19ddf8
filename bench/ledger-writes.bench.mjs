// The PostgreSQL ledger's write path alone (issue #23 item 6), without SMTP, rendering or the
// send queue, so its speed shows even on a busy machine: W writers (senders; each its own pool,
// so its own connections) each drive 5 "connections" that keep the delivery rule of
// create-ledger-writer.ts: wait for `beforeData` (the outcomes so far committed), "send" (a
// timer of BENCH_SEND_MS, default 1 ms, for the SMTP exchange), record the outcome, again.
// Three ways side by side, alternating, BENCH_ROUNDS times (default 3) each; in all of them a
// write waiting for its turn takes every outcome gathered until it starts (group commit):
//   - one row: one write in flight per writer, and issue_stats in one row per issue (the hot
//     row every ledger write of every writer updates);
//   - 4 in flight: a row per writing connection (migration-issue-stats-shards.ts), and up to
//     four writes at once, each on its own connection (what paperpost did before group commit);
//   - now: a row per writing connection, one write in flight (WRITES_IN_FLIGHT).
// It prints messages per second and commits per message for W = 1 and W = 3 (BENCH_WRITERS).
// Messages per writer: BENCH_MESSAGES (default 3000). Needs PostgreSQL as senders.bench.mjs does
// (PAPERPOST_BENCH_POSTGRES_URL, …) and a build (dist/). fsync is as the server has it: the
// commits waiting for the disk are the point.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { createPostgresStore } = await import(path.join(root, 'dist/store/postgres/create-postgres-store.js'));
const { createLedgerWriter, WRITES_IN_FLIGHT } = await import(path.join(root, 'dist/deliver/create-ledger-writer.js'));
const { ISSUE_STATS_SHARDS } = await import(path.join(root, 'dist/store/postgres/migration-issue-stats-shards.js'));

const N = Number(process.env.BENCH_MESSAGES ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITERS = (process.env.BENCH_WRITERS ?? '1,3').split(',').map(Number);
const SEND_MS = Number(process.env.BENCH_SEND_MS ?? 1);
const CONNECTIONS = 5;
const ISSUE = '2026-03-02';
const adminUrl = process.env.PAPERPOST_BENCH_POSTGRES_URL || process.env.PAPERPOST_TEST_POSTGRES_URL || 'postgres://paperpost:paperpost@127.0.0.1:5432/postgres';
const withDatabase = (url, name) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
// The deliveries trigger as before migration-issue-stats-shards.ts: every statement adds to the issue's one row (shard 0).
const HOT_ROW_TRIGGER = /CREATE OR REPLACE FUNCTION deliveries_summary\(\)[\s\S]*?END \$\$;/.exec(ISSUE_STATS_SHARDS)[0].replaceAll('pg_backend_pid()', '0');

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const database = `pp_bench_ledger_${process.pid}`;
await admin.query(`CREATE DATABASE ${database}`);
const url = withDatabase(adminUrl, database);
try {
  // The schema, and W × N subscribers once.
  const setup = createPostgresStore(new pg.Pool({ connectionString: url, max: 2 }));
  await setup.migrate();
  await setup.close();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const total = Math.max(...WRITERS) * N;
  await db.query(
    `INSERT INTO subscribers (email, email_key, status, created_at) SELECT 'r' || g || '@x', 'r' || g || '@x', 'active', '2026-01-01' FROM generate_series(1, $1) g`,
    [total],
  );
  const commits = async () => Number((await db.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0].xact_commit);

  const ways = [
    { name: 'one row, 1 write in flight', inFlight: 1, hotRow: true },
    { name: 'shards, 4 writes in flight', inFlight: 4, hotRow: false },
    { name: `now (shards, ${WRITES_IN_FLIGHT} write${WRITES_IN_FLIGHT === 1 ? '' : 's'} in flight)`, inFlight: WRITES_IN_FLIGHT, hotRow: false },
  ];
  const results = new Map();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const w of WRITERS) {
      for (const way of ways) {
        // A fresh ledger for the issue, and the trigger of this way.
        await db.query('DELETE FROM deliveries; DELETE FROM issue_stats; DELETE FROM issues');
        await db.query(`INSERT INTO issues (id, frozen, created_at) VALUES ($1, '{}', '2026-01-01')`, [ISSUE]);
        await db.query(way.hotRow ? HOT_ROW_TRIGGER : /CREATE OR REPLACE FUNCTION deliveries_summary\(\)[\s\S]*?END \$\$;/.exec(ISSUE_STATS_SHARDS)[0]);
        const stores = Array.from({ length: w }, () => createPostgresStore(new pg.Pool({ connectionString: url, max: 10 })));
        // Every message queued first, as the job source does, outside the timing.
        for (const [i, store] of stores.entries()) {
          for (let from = 0; from < N; from += 500) {
            await store.beginDeliveries(ISSUE, Array.from({ length: Math.min(500, N - from) }, (_, k) => ({ subscriberId: i * N + from + k + 1, messageId: `<${i * N + from + k + 1}@x>` })));
          }
        }
        const c0 = await commits();
        const t = performance.now();
        await Promise.all(
          stores.map(async (store, i) => {
            const ledger = createLedgerWriter(store, ISSUE, (e) => { throw e; }, way.inFlight);
            let next = 0;
            const connection = async () => {
              while (next < N) {
                const id = i * N + ++next;
                await ledger.flush();
                await new Promise((r) => setTimeout(r, SEND_MS));
                ledger.record(id, 'sent', '250 ok');
              }
            };
            await Promise.all(Array.from({ length: CONNECTIONS }, connection));
            await ledger.flush();
          }),
        );
        const seconds = (performance.now() - t) / 1000;
        const perMessage = ((await commits()) - c0) / (w * N);
        for (const s of stores) await s.close();
        const sent = Number((await db.query(`SELECT count(*) AS n FROM deliveries WHERE status = 'sent'`)).rows[0].n);
        if (sent !== w * N) throw new Error(`${way.name}: ${sent} of ${w * N} recorded sent`);
        const key = `${w}\0${way.name}`;
        results.set(key, [...(results.get(key) ?? []), { rate: (w * N) / seconds, perMessage }]);
        console.log(`round ${round}, ${w} writer(s), ${way.name}: ${((w * N) / seconds).toFixed(0)} messages/s, ${perMessage.toFixed(2)} commits per message`);
      }
    }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  console.log(`\nmedians (${CONNECTIONS} connections per writer, ${SEND_MS} ms per "send", ${N} messages per writer):`);
  for (const w of WRITERS) {
    const base = median(results.get(`${w}\0${ways[0].name}`).map((r) => r.rate));
    for (const way of ways) {
      const r = results.get(`${w}\0${way.name}`);
      const rate = median(r.map((x) => x.rate));
      console.log(`  ${w} writer(s), ${way.name.padEnd(36)} ${rate.toFixed(0).padStart(6)} messages/s (${(rate / base).toFixed(2)}× the first), ${median(r.map((x) => x.perMessage)).toFixed(2)} commits per message`);
    }
  }
  await db.end();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}
