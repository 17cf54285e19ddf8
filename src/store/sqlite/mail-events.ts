/** MailEvents on SQLite: the mail_events table, unique by event key, and the counts bounces/ decides from. */
import type Database from 'better-sqlite3';
import type { MailEvents } from '../roles/mail-events.js';
import { mailEventWhere, SQLITE } from '../shared/filter-sql.js';
import { toMailEvent, type MailEventRow } from '../shared/map-rows.js';

export function createSqliteMailEvents(db: Database.Database, now: () => Date): MailEvents {
  const s = {
    insert: db.prepare(
      `INSERT INTO mail_events (event_key, source, type, severity, issue_id, subscriber_id, recipient, status, diagnostic, occurred_at, received_at, outcome)
       VALUES (@eventKey, @source, @type, @severity, @issueId, @subscriberId, @recipient, @status, @diagnostic, @occurredAt, @receivedAt, @outcome)
       ON CONFLICT (event_key) DO NOTHING`,
    ),
    outcome: db.prepare('UPDATE mail_events SET outcome = ? WHERE id = ?'),
    byKey: db.prepare<[string], MailEventRow>('SELECT * FROM mail_events WHERE event_key = ?'),
    softIssues: db.prepare<[number, string], { n: number }>(
      "SELECT count(DISTINCT coalesce(issue_id, event_key)) AS n FROM mail_events WHERE subscriber_id = ? AND type = 'bounce' AND severity = 'soft' AND received_at >= ?",
    ),
    counts: db.prepare<[string], { hard: number; soft: number; complaints: number }>(
      `SELECT count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'hard' THEN subscriber_id END) AS hard,
              count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'soft' THEN subscriber_id END) AS soft,
              count(DISTINCT CASE WHEN type = 'complaint' THEN subscriber_id END) AS complaints
       FROM mail_events WHERE issue_id = ? AND outcome <> 'unmatched'`,
    ),
  };
  return {
    async recordMailEvent(event) {
      const info = s.insert.run({ ...event, receivedAt: now().toISOString() });
      return { recorded: info.changes > 0, event: toMailEvent(s.byKey.get(event.eventKey)!) };
    },
    async setMailEventOutcome(id, outcome) {
      s.outcome.run(outcome, id);
    },
    async listMailEvents(filter = {}) {
      const where = mailEventWhere(filter, SQLITE);
      return db
        .prepare<unknown[], MailEventRow>(`SELECT * FROM mail_events WHERE ${where.sql} ORDER BY received_at DESC, id DESC LIMIT ?`)
        .all(...where.params, filter.limit ?? 1000)
        .map(toMailEvent);
    },
    async countSoftBounceIssues(subscriberId, since) {
      return s.softIssues.get(subscriberId, since)!.n;
    },
    async mailEventCounts(issueId) {
      return s.counts.get(issueId)!;
    },
  };
}
