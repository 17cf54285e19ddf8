/**
 * ReaderRecords on SQLite: a reader's data for the download, and forgetting a reader in one
 * transaction. The protocol of forgetSubscriber (roles/reader-records.ts says what it keeps):
 * 1. read the subscriber (none: nothing to do);
 * 2. the address itself on the suppression list: the entry goes under its keyed mark
 *    (`suppressed:<hex>`), so the address is still never mailed;
 * 3. delete what belongs to the reader or names the address: ratings (and the papers' text no
 *    other rating needs), follows, confirmation requests, ledger rows, mail events (theirs, or
 *    any whose recipient, diagnostic or key holds the address), rate-limit windows keyed by
 *    it; a run's detail or another suppression entry's reason that names it is replaced;
 * 4. delete the subscriber row (address and name);
 * 5. add the `forgotten:<hex>` mark, and raise the id floor past their id so no one else gets
 *    it (their old links must lead nowhere).
 */
import type Database from 'better-sqlite3';
import { PaperpostError } from '../../errors.js';
import { FORGOTTEN_REASON, type AddressMarks } from '../../subscribers/forgotten-address.js';
import type { ReaderRecords } from '../roles/reader-records.js';
import type { ReaderSignals } from '../roles/reader-signals.js';
import { emailKey, type ConfirmationRow, type DeliveryRow, type MailEventRow, type SubscriberRow, type SuppressionRow } from '../shared/map-rows.js';
import { coveringAddress, ID_FLOOR, reasonWithout, REDACTED_DETAIL, toReaderData, type RateLimitRow } from '../shared/reader-data.js';

export function createSqliteReaderRecords(
  db: Database.Database,
  now: () => Date,
  signals: Pick<ReaderSignals, 'signalsOf'>,
  marker: ((key: string) => AddressMarks) | null,
): ReaderRecords {
  const s = {
    byId: db.prepare<[number], SubscriberRow>('SELECT * FROM subscribers WHERE id = ?'),
    confirmations: db.prepare<[number], ConfirmationRow>('SELECT * FROM confirmations WHERE subscriber_id = ? ORDER BY requested_at, nonce'),
    deliveries: db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE subscriber_id = ? ORDER BY issue_id'),
    // The events forgetting erases (forgetMailEvents below): theirs, or any naming the address.
    mailEvents: db.prepare<{ id: number; key: string }, MailEventRow>(
      `SELECT * FROM mail_events WHERE subscriber_id = @id OR lower(coalesce(recipient, '')) = @key
         OR instr(lower(coalesce(diagnostic, '')), @key) > 0 OR instr(lower(event_key), @key) > 0 ORDER BY received_at, id`,
    ),
    rateLimits: db.prepare<[string], RateLimitRow>('SELECT * FROM rate_limits WHERE instr(lower(key), ?) > 0 ORDER BY key'),
    suppression: db.prepare<[string], SuppressionRow>('SELECT * FROM suppressions WHERE pattern = ?'),
    covering: db.prepare<[string, string], SuppressionRow>('SELECT * FROM suppressions WHERE pattern IN (?, ?)'),
    removeSuppression: db.prepare('DELETE FROM suppressions WHERE pattern = ?'),
    addSuppression: db.prepare('INSERT INTO suppressions (pattern, reason, created_at) VALUES (?, ?, ?) ON CONFLICT (pattern) DO NOTHING'),
    ratings: db.prepare<[number], { paper_id: string }>('DELETE FROM ratings WHERE subscriber_id = ? RETURNING paper_id'),
    dropPaper: db.prepare('DELETE FROM rated_papers WHERE paper_id = ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.paper_id = ?)'),
    follows: db.prepare('DELETE FROM follows WHERE subscriber_id = ?'),
    forgetConfirmations: db.prepare('DELETE FROM confirmations WHERE subscriber_id = ?'),
    forgetDeliveries: db.prepare('DELETE FROM deliveries WHERE subscriber_id = ?'),
    forgetMailEvents: db.prepare(
      `DELETE FROM mail_events WHERE subscriber_id = @id OR lower(coalesce(recipient, '')) = @key
         OR instr(lower(coalesce(diagnostic, '')), @key) > 0 OR instr(lower(event_key), @key) > 0`,
    ),
    forgetRateLimits: db.prepare('DELETE FROM rate_limits WHERE instr(lower(key), ?) > 0'),
    redactRuns: db.prepare('UPDATE runs SET detail = ? WHERE instr(lower(coalesce(detail, \'\')), ?) > 0'),
    redactReasons: db.prepare('UPDATE suppressions SET reason = ? WHERE instr(lower(reason), ?) > 0'),
    forgetSubscriber: db.prepare('DELETE FROM subscribers WHERE id = ?'),
    raiseFloor: db.prepare(
      `INSERT INTO meta (key, value) VALUES (@key, @id) ON CONFLICT (key) DO UPDATE
         SET value = CASE WHEN CAST(meta.value AS BIGINT) < CAST(excluded.value AS BIGINT) THEN excluded.value ELSE meta.value END`,
    ),
  };

  /** Steps 1 to 5, in one transaction; false when there is no such subscriber. */
  const forget = (subscriberId: number, marker: (key: string) => AddressMarks) =>
    db.transaction(() => {
      // 1.
      const row = s.byId.get(subscriberId);
      if (!row) return false;
      const key = emailKey(row.email);
      const marks = marker(key);
      const at = now().toISOString();
      // 2.
      const suppressed = s.suppression.get(key);
      if (suppressed) {
        s.removeSuppression.run(key);
        s.addSuppression.run(marks.suppressed, reasonWithout(suppressed.reason, key), suppressed.created_at);
      }
      // 3.
      for (const { paper_id } of s.ratings.all(subscriberId)) s.dropPaper.run(paper_id, paper_id);
      s.follows.run(subscriberId);
      s.forgetConfirmations.run(subscriberId);
      s.forgetDeliveries.run(subscriberId);
      s.forgetMailEvents.run({ id: subscriberId, key });
      s.forgetRateLimits.run(key);
      s.redactRuns.run(REDACTED_DETAIL, key);
      s.redactReasons.run(REDACTED_DETAIL, key);
      // 4.
      s.forgetSubscriber.run(subscriberId);
      // 5.
      s.addSuppression.run(marks.forgotten, FORGOTTEN_REASON, at);
      s.raiseFloor.run({ key: ID_FLOOR, id: String(subscriberId) });
      return true;
    })();

  return {
    async readerData(subscriberId) {
      const subscriber = s.byId.get(subscriberId);
      if (!subscriber) return null;
      const key = emailKey(subscriber.email);
      return toReaderData(
        {
          subscriber,
          signals: await signals.signalsOf(subscriberId),
          confirmations: s.confirmations.all(subscriberId),
          deliveries: s.deliveries.all(subscriberId),
          mailEvents: s.mailEvents.all({ id: subscriberId, key }),
          rateLimits: s.rateLimits.all(key),
          suppressions: s.covering.all(...coveringAddress(key)),
        },
        now(),
      );
    },
    async forgetSubscriber(subscriberId) {
      if (!marker) throw new PaperpostError('CONFIG', 'forgetting a subscriber needs SECRET_KEY (it keys the hash that stays of the address)', { hint: 'set SECRET_KEY', exitCode: 2 });
      // Deleted rows are overwritten with zeros, not only unlinked, and the write-ahead log that
      // held the old pages is emptied after: no copy of the address stays in the files.
      const before = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      try {
        const forgot = forget(subscriberId, marker);
        if (forgot) db.pragma('wal_checkpoint(TRUNCATE)');
        return forgot;
      } finally {
        db.pragma(`secure_delete = ${before === 1 ? 'ON' : before === 2 ? 'FAST' : 'OFF'}`);
      }
    },
  };
}
