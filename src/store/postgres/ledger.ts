/**
 * DeliveryLedger on PostgreSQL: the deliveries table, one row per (issue, subscriber). A batch
 * is one statement over unnest(…) where it can be (atomic by itself), rows in subscriber order
 * so two batches that overlap lock in the same order.
 */
import type { Delivery, DeliveryStatus } from '../../types.js';
import type { DeliveryCounts, DeliveryLedger } from '../roles/delivery-ledger.js';
import { toDelivery, type DeliveryRow } from '../shared/map-rows.js';
import type { SqlRunner } from './sql-runner.js';

const SQL = {
  get: 'SELECT * FROM deliveries WHERE issue_id = $1 AND subscriber_id = $2',
  // $1 issue, $2 subscriber, $3 Message-ID, $4 now
  begin: `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
    VALUES ($1, $2, 'queued', 1, $3, $4)
    ON CONFLICT (issue_id, subscriber_id) DO UPDATE SET status = 'queued', attempts = deliveries.attempts + 1, updated_at = excluded.updated_at
    RETURNING *`,
  finish: 'UPDATE deliveries SET status = $1, response = $2, updated_at = $3 WHERE issue_id = $4 AND subscriber_id = $5',
  getMany: 'SELECT * FROM deliveries WHERE issue_id = $1 AND subscriber_id = ANY($2::bigint[])',
  queue: `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
         SELECT $1, r.subscriber_id, 'queued', 1, r.message_id, $4 FROM unnest($2::bigint[], $3::text[]) AS r(subscriber_id, message_id)
         ORDER BY r.subscriber_id
         ON CONFLICT (issue_id, subscriber_id) DO UPDATE SET status = 'queued', attempts = deliveries.attempts + 1, updated_at = excluded.updated_at`,
  // The write-behind of every accepted message, often of one row: named, so each connection
  // parses and plans it once (a fifth of the server's CPU per write when it was not).
  finishAll: {
    name: 'ledger_finish_all',
    text: `UPDATE deliveries d SET status = r.status, response = r.response, updated_at = $5, relay = COALESCE(r.relay, d.relay)
         FROM unnest($2::bigint[], $3::text[], $4::text[], $6::text[]) AS r(subscriber_id, status, response, relay)
         WHERE d.issue_id = $1 AND d.subscriber_id = r.subscriber_id`,
  },
};

export function createPostgresLedger({ q, first, exec, tx, iso }: SqlRunner): DeliveryLedger {
  return {
    async getDelivery(issueId, subscriberId) {
      const row = await first<DeliveryRow>(SQL.get, [issueId, subscriberId]);
      return row ? toDelivery(row) : null;
    },
    async beginDelivery(issueId, subscriberId, messageId) {
      return toDelivery((await first<DeliveryRow>(SQL.begin, [issueId, subscriberId, messageId, iso()]))!);
    },
    async finishDelivery(issueId, subscriberId, status, response) {
      await q(SQL.finish, [status, response, iso(), issueId, subscriberId]);
    },
    async getDeliveries(issueId, subscriberIds) {
      const { rows } = await q<DeliveryRow>(SQL.getMany, [issueId, subscriberIds]);
      const byId = new Map(rows.map((r) => [r.subscriber_id, r]));
      const found = new Map<number, Delivery>();
      for (const id of subscriberIds) {
        const row = byId.get(id);
        if (row) found.set(id, toDelivery(row));
      }
      return found;
    },
    async beginDeliveries(issueId, rows) {
      if (rows.length === 0) return;
      const at = iso();
      const ids = rows.map((r) => r.subscriberId);
      if (new Set(ids).size < ids.length) {
        // A subscriber twice in one batch counts two attempts, as row by row would.
        await tx(async (c) => {
          for (const r of rows) await exec(c, SQL.begin, [issueId, r.subscriberId, r.messageId, at]);
        });
        return;
      }
      // One statement (atomic by itself), rows in subscriber order so two batches that overlap lock in the same order.
      await q(SQL.queue, [issueId, ids, rows.map((r) => r.messageId), at]);
    },
    async finishDeliveries(issueId, rows) {
      if (rows.length === 0) return;
      // Row by row, the last outcome for a subscriber would stand: keep only that one.
      const last = new Map(rows.map((r) => [r.subscriberId, r]));
      const list = [...last.values()];
      await q(SQL.finishAll, [issueId, list.map((r) => r.subscriberId), list.map((r) => r.status), list.map((r) => r.response), iso(), list.map((r) => r.relay ?? null)],
      );
    },
    async restoreDeliveries(issueId, rows) {
      if (rows.length === 0) return;
      await tx(async (c) => {
        for (const { subscriberId, previous: p } of rows) {
          if (p) {
            await exec(c, 'UPDATE deliveries SET status = $1, attempts = $2, response = $3, updated_at = $4 WHERE issue_id = $5 AND subscriber_id = $6', [
              p.status,
              p.attempts,
              p.response,
              p.updatedAt,
              issueId,
              subscriberId,
            ]);
          } else {
            await exec(c, 'DELETE FROM deliveries WHERE issue_id = $1 AND subscriber_id = $2', [issueId, subscriberId]);
          }
        }
      });
    },
    async countDeliveries(issueId) {
      // From issue_stats, which the deliveries trigger keeps in the same transaction as every ledger write (the summary
      // tables' migration, and migration-issue-stats-shards.ts): a few rows per issue, where counting the ledger reads all
      // of them, and a sender asks for these counts at the start and end of every batch of a send.
      const counts: DeliveryCounts = { queued: 0, sent: 0, deferred: 0, failed: 0 };
      const row = await first<DeliveryCounts>(
        `SELECT COALESCE(sum(queued), 0) AS queued, COALESCE(sum(sent), 0) AS sent, COALESCE(sum(deferred), 0) AS deferred, COALESCE(sum(failed), 0) AS failed
         FROM issue_stats WHERE issue_id = $1`,
        [issueId],
      );
      for (const k of Object.keys(counts) as DeliveryStatus[]) counts[k] = Number(row?.[k] ?? 0);
      return counts;
    },
    async findDeliveryByMessageId(messageId) {
      const row = await first<DeliveryRow>('SELECT * FROM deliveries WHERE message_id = $1 LIMIT 1', [messageId]);
      return row ? toDelivery(row) : null;
    },
  };
}
