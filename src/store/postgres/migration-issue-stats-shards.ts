/**
 * PostgreSQL migration: issue_stats (/admin's per-issue counts, from the summary tables'
 * migration) kept in one row per issue and writing connection, so that ledger writes never
 * wait on each other.
 *
 * Why: the deliveries trigger added each ledger statement's counts to the issue's one row. An
 * UPDATE locks that row until its transaction commits, and a commit waits for the WAL to reach
 * the disk, so every ledger write of every sender queued behind the one before it: one commit
 * at a time for the whole issue, and no commit could share a disk flush with another. Several
 * senders, or one sender with several ledger writes in flight (create-ledger-writer.ts), were
 * held to the speed of one fsync after another.
 *
 * Now the deliveries trigger adds to the row (issue, pg_backend_pid()): a connection runs one
 * statement at a time, so no two concurrent statements share a row. Shard 0 is the issue's own
 * row, made with the issue, and the only one that holds the mail-event columns (hard, soft,
 * complaints, unsubscribes). A reader sums queued/sent/deferred/failed over an issue's rows and
 * takes the other columns from shard 0 (subscribers_summary, unchanged, also adds unsubscribes
 * to the other rows of the latest issue; they are never read). markIssueSent folds the issue's
 * rows into shard 0 (issues.ts), so each issue keeps a handful of rows at most.
 *
 * Appended to MIGRATIONS in migrations.ts; its own file because that list would pass 400 lines.
 */
export const ISSUE_STATS_SHARDS = `
  ALTER TABLE issue_stats ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE issue_stats DROP CONSTRAINT issue_stats_pkey;
  ALTER TABLE issue_stats ADD PRIMARY KEY (issue_id, shard);
  CREATE OR REPLACE FUNCTION summary_event_counts(ids TEXT[]) RETURNS void LANGUAGE sql AS $$
    UPDATE issue_stats s SET
      hard = (SELECT count(DISTINCT subscriber_id) FROM mail_events e WHERE e.issue_id = s.issue_id AND e.outcome <> 'unmatched' AND e.type = 'bounce' AND e.severity = 'hard'),
      soft = (SELECT count(DISTINCT subscriber_id) FROM mail_events e WHERE e.issue_id = s.issue_id AND e.outcome <> 'unmatched' AND e.type = 'bounce' AND e.severity = 'soft'),
      complaints = (SELECT count(DISTINCT subscriber_id) FROM mail_events e WHERE e.issue_id = s.issue_id AND e.outcome <> 'unmatched' AND e.type = 'complaint')
    WHERE s.issue_id = ANY (ids) AND s.shard = 0
  $$;
  CREATE OR REPLACE FUNCTION issues_summary() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO issue_stats (issue_id) SELECT id FROM new_rows ON CONFLICT (issue_id, shard) DO NOTHING;
    RETURN NULL;
  END $$;
  CREATE OR REPLACE FUNCTION mail_events_summary() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO issue_stats (issue_id) SELECT DISTINCT issue_id FROM changed_rows WHERE issue_id IS NOT NULL ON CONFLICT (issue_id, shard) DO NOTHING;
    PERFORM summary_event_counts(ARRAY(SELECT DISTINCT issue_id FROM changed_rows WHERE issue_id IS NOT NULL));
    RETURN NULL;
  END $$;
  CREATE OR REPLACE FUNCTION deliveries_summary() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- Each branch names only the transition tables its event has; every branch adds to this connection's row.
    IF TG_OP = 'INSERT' THEN
      INSERT INTO issue_stats (issue_id, shard, queued, sent, deferred, failed)
        SELECT issue_id, pg_backend_pid(), count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE status = 'sent'),
               count(*) FILTER (WHERE status = 'deferred'), count(*) FILTER (WHERE status = 'failed')
        FROM new_rows GROUP BY issue_id
        ON CONFLICT (issue_id, shard) DO UPDATE SET queued = issue_stats.queued + excluded.queued, sent = issue_stats.sent + excluded.sent,
          deferred = issue_stats.deferred + excluded.deferred, failed = issue_stats.failed + excluded.failed;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO issue_stats (issue_id, shard, queued, sent, deferred, failed)
        SELECT n.issue_id, pg_backend_pid(),
               count(*) FILTER (WHERE n.status = 'queued') - count(*) FILTER (WHERE o.status = 'queued'),
               count(*) FILTER (WHERE n.status = 'sent') - count(*) FILTER (WHERE o.status = 'sent'),
               count(*) FILTER (WHERE n.status = 'deferred') - count(*) FILTER (WHERE o.status = 'deferred'),
               count(*) FILTER (WHERE n.status = 'failed') - count(*) FILTER (WHERE o.status = 'failed')
        FROM old_rows o JOIN new_rows n USING (issue_id, subscriber_id) WHERE o.status <> n.status GROUP BY n.issue_id
        ON CONFLICT (issue_id, shard) DO UPDATE SET queued = issue_stats.queued + excluded.queued, sent = issue_stats.sent + excluded.sent,
          deferred = issue_stats.deferred + excluded.deferred, failed = issue_stats.failed + excluded.failed;
    ELSE
      INSERT INTO issue_stats (issue_id, shard, queued, sent, deferred, failed)
        SELECT issue_id, pg_backend_pid(), -count(*) FILTER (WHERE status = 'queued'), -count(*) FILTER (WHERE status = 'sent'),
               -count(*) FILTER (WHERE status = 'deferred'), -count(*) FILTER (WHERE status = 'failed')
        FROM old_rows GROUP BY issue_id
        ON CONFLICT (issue_id, shard) DO UPDATE SET queued = issue_stats.queued + excluded.queued, sent = issue_stats.sent + excluded.sent,
          deferred = issue_stats.deferred + excluded.deferred, failed = issue_stats.failed + excluded.failed;
    END IF;
    RETURN NULL;
  END $$;`;
