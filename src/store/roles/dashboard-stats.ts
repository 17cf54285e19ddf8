/**
 * DashboardStats: the counts /admin draws its charts from, read from summary tables that the
 * database keeps current itself. Triggers on subscribers, issues, deliveries and mail_events
 * (one migration per store) update subscriber_status_days, issue_stats and topic_followers in
 * the same transaction as the write, so the dashboard reads a few hundred small rows instead of
 * counting 100,000 subscribers and millions of deliveries on every request.
 *
 * Why triggers rather than listmonk's way (materialised views refreshed by a cron, by default
 * nightly): the counts are never stale, there is no refresh job to schedule or forget, and
 * every write path (web, CLI, import, `db copy`) is covered without touching each one. The
 * cost is one small upsert per written row (SQLite) or per statement (PostgreSQL, statement
 * triggers over transition tables).
 */
import type { SubscriberStatus } from '../../types.js';

/** How the subscribers of each status changed on a day (the chart sums them into totals). */
export interface StatusDayDelta {
  /** YYYY-MM-DD (UTC). */
  day: string;
  status: SubscriberStatus;
  delta: number;
}

/** What happened to one issue's mail. */
export interface IssueStats {
  issueId: string;
  sentAt: string | null;
  queued: number;
  sent: number;
  deferred: number;
  failed: number;
  /** Subscribers with a hard bounce, a soft bounce, a complaint for this issue (as mailEventCounts). */
  hard: number;
  soft: number;
  complaints: number;
  /** Subscribers who unsubscribed while this was the newest issue. */
  unsubscribes: number;
}

/** Active subscribers per topic id; '*' counts those who take every topic. */
export interface TopicFollowers {
  topic: string;
  followers: number;
}

export interface DashboardStats {
  /** Every day with a change, oldest first. Summed from the start, they give each status's count. */
  subscriberStatusDays(): Promise<StatusDayDelta[]>;
  /** The newest `limit` issues, newest first. */
  issueStats(limit: number): Promise<IssueStats[]>;
  /** Topics with at least one follower, most followed first. */
  topicFollowers(): Promise<TopicFollowers[]>;
}
