// Preloaded into a bench's `paperpost send` (node --import): counts the statements the process
// sends to PostgreSQL, each a round trip (node-postgres sends one query per call and waits for
// its answer), and prints the count on stderr at exit, for senders.bench.mjs to read. pg-boss
// queries through the same `pg` module, so the send queue's claims are counted too. With
// BENCH_PG_TRIPS_DETAIL=1 it also prints the 15 most frequent statements (their first words).
// It only counts; nothing the sender does changes.
import pg from 'pg';

let trips = 0;
const kinds = new Map();
const detail = process.env.BENCH_PG_TRIPS_DETAIL === '1';
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  trips++;
  if (detail) {
    const text = String(typeof args[0] === 'string' ? args[0] : args[0]?.text ?? '?').replace(/\s+/g, ' ').trim().slice(0, 70);
    kinds.set(text, (kinds.get(text) ?? 0) + 1);
  }
  return query.apply(this, args);
};
process.on('exit', () => {
  process.stderr.write(`\npg round trips: ${trips}\n`);
  if (detail) for (const [text, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stderr.write(`  ${String(n).padStart(6)}  ${text}\n`);
});
