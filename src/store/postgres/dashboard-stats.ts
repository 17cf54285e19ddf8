/** DashboardStats on PostgreSQL: reads the summary tables the statement triggers of the summary-tables migration keep current (issue_stats in a row per writing connection since migration-issue-stats-shards.ts). */
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
          // An issue's counts are spread over a row per writing connection (migration-issue-stats-shards.ts): the ledger
          // counts are summed over them, the mail-event columns are shard 0's.
          `SELECT i.id AS "issueId", i.sent_at AS "sentAt", COALESCE(s.queued, 0)::int AS queued, COALESCE(s.sent, 0)::int AS sent,
                  COALESCE(s.deferred, 0)::int AS deferred, COALESCE(s.failed, 0)::int AS failed, COALESCE(s.hard, 0)::int AS hard,
                  COALESCE(s.soft, 0)::int AS soft, COALESCE(s.complaints, 0)::int AS complaints, COALESCE(s.unsubscribes, 0)::int AS unsubscribes
           FROM issues i LEFT JOIN LATERAL (
             SELECT sum(queued) AS queued, sum(sent) AS sent, sum(deferred) AS deferred, sum(failed) AS failed,
                    sum(hard) FILTER (WHERE shard = 0) AS hard, sum(soft) FILTER (WHERE shard = 0) AS soft,
                    sum(complaints) FILTER (WHERE shard = 0) AS complaints, sum(unsubscribes) FILTER (WHERE shard = 0) AS unsubscribes
             FROM issue_stats WHERE issue_id = i.id
           ) s ON true ORDER BY i.id DESC LIMIT $1`,
          [limit],
        )
      ).rows;
    },
    async topicFollowers() {
      return (await q<TopicFollowers>('SELECT topic, followers::int AS followers FROM topic_followers WHERE followers > 0 ORDER BY followers DESC, topic')).rows;
    },
  };
}
