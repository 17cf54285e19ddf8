/**
 * DeliveryLedger on SQLite: the deliveries table, one row per (issue, subscriber). Batches run
 * in one transaction each, so a batch is queued (or finished) as a whole.
 */
import type Database from 'better-sqlite3';
import type { Delivery, DeliveryStatus } from '../../types.js';
import type { DeliveryCounts, DeliveryLedger } from '../roles/delivery-ledger.js';
import { toDelivery, type DeliveryRow } from '../shared/map-rows.js';

export function createSqliteLedger(db: Database.Database, now: () => Date): DeliveryLedger {
  const iso = () => now().toISOString();
  const s = {
    get: db.prepare<[string, number], DeliveryRow>('SELECT * FROM deliveries WHERE issue_id = ? AND subscriber_id = ?'),
    begin: db.prepare<[string, number, string, string], DeliveryRow>(
      `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
       VALUES (?, ?, 'queued', 1, ?, ?)
       ON CONFLICT (issue_id, subscriber_id) DO UPDATE SET status = 'queued', attempts = attempts + 1, updated_at = excluded.updated_at
       RETURNING *`,
    ),
    /** begin without reading the row back: a batch queued at once needs none of them. */
    queue: db.prepare<[string, number, string, string]>(
      `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
       VALUES (?, ?, 'queued', 1, ?, ?)
       ON CONFLICT (issue_id, subscriber_id) DO UPDATE SET status = 'queued', attempts = attempts + 1, updated_at = excluded.updated_at`,
    ),
    finish: db.prepare('UPDATE deliveries SET status = ?, response = ?, updated_at = ? WHERE issue_id = ? AND subscriber_id = ?'),
    finishVia: db.prepare('UPDATE deliveries SET status = ?, response = ?, updated_at = ?, relay = ? WHERE issue_id = ? AND subscriber_id = ?'),
    restore: db.prepare('UPDATE deliveries SET status = ?, attempts = ?, response = ?, updated_at = ? WHERE issue_id = ? AND subscriber_id = ?'),
    drop: db.prepare('DELETE FROM deliveries WHERE issue_id = ? AND subscriber_id = ?'),
    count: db.prepare<[string], { status: DeliveryStatus; n: number }>('SELECT status, count(*) AS n FROM deliveries WHERE issue_id = ? GROUP BY status'),
    byMessageId: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE message_id = ? LIMIT 1'),
  };
  // The write-behind of every accepted message: one transaction per turn of the event loop,
  // often of one row, so its wrapper is made once rather than per call.
  const finishAll = db.transaction((issueId: string, rows: Parameters<DeliveryLedger['finishDeliveries']>[1], at: string) => {
    for (const r of rows) {
      if (r.relay === undefined) s.finish.run(r.status, r.response, at, issueId, r.subscriberId);
      else s.finishVia.run(r.status, r.response, at, r.relay, issueId, r.subscriberId);
    }
  });
  return {
    async getDelivery(issueId, subscriberId) {
      const row = s.get.get(issueId, subscriberId);
      return row ? toDelivery(row) : null;
    },
    async beginDelivery(issueId, subscriberId, messageId) {
      return toDelivery(s.begin.get(issueId, subscriberId, messageId, iso())!);
    },
    async finishDelivery(issueId, subscriberId, status, response) {
      s.finish.run(status, response, iso(), issueId, subscriberId);
    },
    async getDeliveries(issueId, subscriberIds) {
      const found = new Map<number, Delivery>();
      db.transaction(() => {
        for (const id of subscriberIds) {
          const row = s.get.get(issueId, id);
          if (row) found.set(id, toDelivery(row));
        }
      })();
      return found;
    },
    async beginDeliveries(issueId, rows) {
      const at = iso();
      db.transaction(() => {
        for (const r of rows) s.queue.run(issueId, r.subscriberId, r.messageId, at);
      })();
    },
    async finishDeliveries(issueId, rows) {
      finishAll(issueId, rows, iso());
    },
    async restoreDeliveries(issueId, rows) {
      db.transaction(() => {
        for (const { subscriberId, previous: p } of rows) {
          if (p) s.restore.run(p.status, p.attempts, p.response, p.updatedAt, issueId, subscriberId);
          else s.drop.run(issueId, subscriberId);
        }
      })();
    },
    async countDeliveries(issueId) {
      const counts: DeliveryCounts = { queued: 0, sent: 0, deferred: 0, failed: 0 };
      for (const r of s.count.all(issueId)) counts[r.status] = r.n;
      return counts;
    },
    async findDeliveryByMessageId(messageId) {
      const row = s.byMessageId.get(messageId);
      return row ? toDelivery(row) : null;
    },
  };
}
