/** DashboardStats on PostgreSQL: reads the summary tables the statement triggers of migration 3 keep current. */
import type { DashboardStats, IssueStats, StatusDayDelta, TopicFollowers } from '../roles/dashboard-stats.js';
import type { SqlRunner } from './sql-runner.js';

export function createPostgresDashboardStats({ q }: SqlRunner): DashboardStats {
  return {
    async subscriberStatusDays() {
      return (await q<StatusDayDelta>('SELECT day, status, delta::int AS delta FROM subscriber_status_days WHERE delta <> 0 ORDER BY day, status')).rows;
    },
    async issueStats(limit) {
      return (
        await q<IssueStats>(
          `SELECT i.id AS "issueId", i.sent_at AS "sentAt", COALESCE(s.queued, 0)::int AS queued, COALESCE(s.sent, 0)::int AS sent,
                  COALESCE(s.deferred, 0)::int AS deferred, COALESCE(s.failed, 0)::int AS failed, COALESCE(s.hard, 0)::int AS hard,
                  COALESCE(s.soft, 0)::int AS soft, COALESCE(s.complaints, 0)::int AS complaints, COALESCE(s.unsubscribes, 0)::int AS unsubscribes
           FROM issues i LEFT JOIN issue_stats s ON s.issue_id = i.id ORDER BY i.id DESC LIMIT $1`,
          [limit],
        )
      ).rows;
    },
    async topicFollowers() {
      return (await q<TopicFollowers>('SELECT topic, followers::int AS followers FROM topic_followers WHERE followers > 0 ORDER BY followers DESC, topic')).rows;
    },
  };
}
