/**
 * ReaderRecords on PostgreSQL: a reader's data for the download, and forgetting a reader in
 * one transaction, step for step as sqlite/reader-records.ts describes (the same protocol,
 * strpos for SQLite's instr). The subscriber's row is locked first, so a rating or a follow
 * recorded at the same moment either lands before and goes with them, or finds no subscriber.
 */
import { PaperpostError } from '../../errors.js';
import { FORGOTTEN_REASON, type AddressMarks } from '../../subscribers/forgotten-address.js';
import type { ReaderRecords } from '../roles/reader-records.js';
import type { ReaderSignals } from '../roles/reader-signals.js';
import { emailKey, type ConfirmationRow, type DeliveryRow, type MailEventRow, type SubscriberRow, type SuppressionRow } from '../shared/map-rows.js';
import { coveringAddress, ID_FLOOR, reasonWithout, REDACTED_DETAIL, toReaderData, type RateLimitRow } from '../shared/reader-data.js';
import type { SqlRunner } from './sql-runner.js';

export function createPostgresReaderRecords(db: SqlRunner, signals: Pick<ReaderSignals, 'signalsOf'>, marker: ((key: string) => AddressMarks) | null): ReaderRecords {
  const { q, first, exec, one, tx, now, iso } = db;
  return {
    async readerData(subscriberId) {
      const subscriber = await first<SubscriberRow>('SELECT * FROM subscribers WHERE id = $1', [subscriberId]);
      if (!subscriber) return null;
      const key = emailKey(subscriber.email);
      return toReaderData(
        {
          subscriber,
          signals: await signals.signalsOf(subscriberId),
          confirmations: (await q<ConfirmationRow>('SELECT * FROM confirmations WHERE subscriber_id = $1 ORDER BY requested_at, nonce', [subscriberId])).rows,
          deliveries: (await q<DeliveryRow>('SELECT * FROM deliveries WHERE subscriber_id = $1 ORDER BY issue_id', [subscriberId])).rows,
          // The events forgetting erases (below): theirs, or any naming the address.
          mailEvents: (
            await q<MailEventRow>(
              `SELECT * FROM mail_events WHERE subscriber_id = $1 OR lower(coalesce(recipient, '')) = $2
                 OR strpos(lower(coalesce(diagnostic, '')), $2) > 0 OR strpos(lower(event_key), $2) > 0 ORDER BY received_at, id`,
              [subscriberId, key],
            )
          ).rows,
          rateLimits: (await q<RateLimitRow>('SELECT * FROM rate_limits WHERE strpos(lower(key), $1) > 0 ORDER BY key', [key])).rows,
          suppressions: (await q<SuppressionRow>('SELECT * FROM suppressions WHERE pattern = $1 OR pattern = $2', coveringAddress(key))).rows,
        },
        now(),
      );
    },
    async forgetSubscriber(subscriberId) {
      if (!marker) throw new PaperpostError('CONFIG', 'forgetting a subscriber needs SECRET_KEY (it keys the hash that stays of the address)', { hint: 'set SECRET_KEY', exitCode: 2 });
      return tx(async (c) => {
        // 1.
        const row = await one<SubscriberRow>(c, 'SELECT * FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]);
        if (!row) return false;
        const key = emailKey(row.email);
        const marks = marker(key);
        const addSuppression = 'INSERT INTO suppressions (pattern, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT (pattern) DO NOTHING';
        // 2.
        const suppressed = await one<SuppressionRow>(c, 'DELETE FROM suppressions WHERE pattern = $1 RETURNING *', [key]);
        if (suppressed) await exec(c, addSuppression, [marks.suppressed, reasonWithout(suppressed.reason, key), suppressed.created_at]);
        // 3.
        const papers = (await exec<{ paper_id: string }>(c, 'DELETE FROM ratings WHERE subscriber_id = $1 RETURNING paper_id', [subscriberId])).rows.map((r) => r.paper_id);
        if (papers.length) {
          await exec(c, 'DELETE FROM rated_papers p WHERE p.paper_id = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.paper_id = p.paper_id)', [papers]);
        }
        await exec(c, 'DELETE FROM follows WHERE subscriber_id = $1', [subscriberId]);
        await exec(c, 'DELETE FROM confirmations WHERE subscriber_id = $1', [subscriberId]);
        await exec(c, 'DELETE FROM deliveries WHERE subscriber_id = $1', [subscriberId]);
        await exec(
          c,
          `DELETE FROM mail_events WHERE subscriber_id = $1 OR lower(coalesce(recipient, '')) = $2
             OR strpos(lower(coalesce(diagnostic, '')), $2) > 0 OR strpos(lower(event_key), $2) > 0`,
          [subscriberId, key],
        );
        await exec(c, 'DELETE FROM rate_limits WHERE strpos(lower(key), $1) > 0', [key]);
        await exec(c, "UPDATE runs SET detail = $1 WHERE strpos(lower(coalesce(detail, '')), $2) > 0", [REDACTED_DETAIL, key]);
        await exec(c, 'UPDATE suppressions SET reason = $1 WHERE strpos(lower(reason), $2) > 0', [REDACTED_DETAIL, key]);
        // 4.
        await exec(c, 'DELETE FROM subscribers WHERE id = $1', [subscriberId]);
        // 5.
        await exec(c, addSuppression, [marks.forgotten, FORGOTTEN_REASON, iso()]);
        await exec(
          c,
          `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE
             SET value = CASE WHEN CAST(meta.value AS BIGINT) < CAST(excluded.value AS BIGINT) THEN excluded.value ELSE meta.value END`,
          [ID_FLOOR, String(subscriberId)],
        );
        return true;
      });
    },
  };
}
