// Preloaded into a bench's `paperpost send` (node --import): counts the statements the process
// sends to PostgreSQL, each a round trip (node-postgres sends one query per call and waits for
// its answer), and prints the count on stderr at exit, for senders.bench.mjs to read. pg-boss
// queries through the same `pg` module, so the send queue's claims are counted too. It only
// counts; nothing the sender does changes.
import pg from 'pg';

let trips = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  trips++;
  return query.apply(this, args);
};
process.on('exit', () => process.stderr.write(`\npg round trips: ${trips}\n`));
