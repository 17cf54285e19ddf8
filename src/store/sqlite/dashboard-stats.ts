/** DashboardStats on SQLite: reads the summary tables the triggers of migration 7 keep current. */
import type Database from 'better-sqlite3';
import type { DashboardStats, IssueStats, StatusDayDelta, TopicFollowers } from '../roles/dashboard-stats.js';

export function createSqliteDashboardStats(db: Database.Database): DashboardStats {
  const s = {
    days: db.prepare<[], StatusDayDelta>('SELECT day, status, delta FROM subscriber_status_days WHERE delta <> 0 ORDER BY day, status'),
    issues: db.prepare<[number], IssueStats>(
      `SELECT i.id AS issueId, i.sent_at AS sentAt, COALESCE(s.queued, 0) AS queued, COALESCE(s.sent, 0) AS sent,
              COALESCE(s.deferred, 0) AS deferred, COALESCE(s.failed, 0) AS failed, COALESCE(s.hard, 0) AS hard,
              COALESCE(s.soft, 0) AS soft, COALESCE(s.complaints, 0) AS complaints, COALESCE(s.unsubscribes, 0) AS unsubscribes
       FROM issues i LEFT JOIN issue_stats s ON s.issue_id = i.id ORDER BY i.id DESC LIMIT ?`,
    ),
    topics: db.prepare<[], TopicFollowers>('SELECT topic, followers FROM topic_followers WHERE followers > 0 ORDER BY followers DESC, topic'),
  };
  return {
    async subscriberStatusDays() {
      return s.days.all();
    },
    async issueStats(limit) {
      return s.issues.all(limit);
    },
    async topicFollowers() {
      return s.topics.all();
    },
  };
}
