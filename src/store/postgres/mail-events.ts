/** MailEvents on PostgreSQL: the mail_events table, unique by event key, and the counts bounces/ decides from. */
import type { MailEvents } from '../roles/mail-events.js';
import { mailEventWhere, POSTGRES } from '../shared/filter-sql.js';
import { toMailEvent, type MailEventRow } from '../shared/map-rows.js';
import type { SqlRunner } from './sql-runner.js';

export function createPostgresMailEvents({ q, first, iso }: SqlRunner): MailEvents {
  return {
    async recordMailEvent(event) {
      const r = await q(
        `INSERT INTO mail_events (event_key, source, type, severity, issue_id, subscriber_id, recipient, status, diagnostic, occurred_at, received_at, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (event_key) DO NOTHING`,
        [
          event.eventKey,
          event.source,
          event.type,
          event.severity,
          event.issueId,
          event.subscriberId,
          event.recipient,
          event.status,
          event.diagnostic,
          event.occurredAt,
          iso(),
          event.outcome,
        ],
      );
      const row = await first<MailEventRow>('SELECT * FROM mail_events WHERE event_key = $1', [event.eventKey]);
      return { recorded: (r.rowCount ?? 0) > 0, event: toMailEvent(row!) };
    },
    async setMailEventOutcome(id, outcome) {
      await q('UPDATE mail_events SET outcome = $1 WHERE id = $2', [outcome, id]);
    },
    async listMailEvents(filter = {}) {
      const where = mailEventWhere(filter, POSTGRES);
      const { rows } = await q<MailEventRow>(`SELECT * FROM mail_events WHERE ${where.sql} ORDER BY received_at DESC, id DESC LIMIT $${where.params.length + 1}`, [
        ...where.params,
        filter.limit ?? 1000,
      ]);
      return rows.map(toMailEvent);
    },
    async countSoftBounceIssues(subscriberId, since) {
      const row = await first<{ n: number }>(
        "SELECT count(DISTINCT coalesce(issue_id, event_key)) AS n FROM mail_events WHERE subscriber_id = $1 AND type = 'bounce' AND severity = 'soft' AND received_at >= $2",
        [subscriberId, since],
      );
      return row!.n;
    },
    async mailEventCounts(issueId) {
      const row = await first<{ hard: number; soft: number; complaints: number }>(
        `SELECT count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'hard' THEN subscriber_id END) AS hard,
                count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'soft' THEN subscriber_id END) AS soft,
                count(DISTINCT CASE WHEN type = 'complaint' THEN subscriber_id END) AS complaints
         FROM mail_events WHERE issue_id = $1 AND outcome <> 'unmatched'`,
        [issueId],
      );
      return { hard: row!.hard, soft: row!.soft, complaints: row!.complaints };
    },
  };
}
