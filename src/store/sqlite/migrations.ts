/**
 * The SQLite schema, as a list of migrations. Each entry moves the schema one version up
 * (PRAGMA user_version counts them); a shipped entry is never edited, only appended to.
 */
export const MIGRATIONS: string[] = [
  `CREATE TABLE subscribers (
     id INTEGER PRIMARY KEY,
     email TEXT NOT NULL,
     email_key TEXT NOT NULL UNIQUE,
     name TEXT,
     status TEXT NOT NULL CHECK (status IN ('pending','active','unsubscribed','bounced','complained')),
     themes TEXT,
     created_at TEXT NOT NULL,
     confirmed_at TEXT,
     unsubscribed_at TEXT
   );
   CREATE INDEX subscribers_status ON subscribers(status, id);
   CREATE TABLE issues (
     id TEXT PRIMARY KEY,
     frozen TEXT NOT NULL,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE TABLE deliveries (
     issue_id TEXT NOT NULL REFERENCES issues(id),
     subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
     status TEXT NOT NULL CHECK (status IN ('queued','sent','deferred','failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     message_id TEXT NOT NULL,
     response TEXT,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (issue_id, subscriber_id)
   ) WITHOUT ROWID;
   CREATE TABLE locks (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
  `CREATE TABLE issue_papers (
     issue_id TEXT NOT NULL REFERENCES issues(id),
     paper_id TEXT NOT NULL,
     title TEXT NOT NULL,
     url TEXT,
     upvotes INTEGER,
     theme_label TEXT NOT NULL,
     PRIMARY KEY (issue_id, paper_id)
   ) WITHOUT ROWID;
   CREATE INDEX issue_papers_paper ON issue_papers(paper_id, issue_id);
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY,
     scheduled_for TEXT,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     outcome TEXT,
     issue_id TEXT,
     detail TEXT
   );
   CREATE UNIQUE INDEX runs_scheduled_for ON runs(scheduled_for) WHERE scheduled_for IS NOT NULL;`,
  // Suppression list (addresses and @domains never mailed) and subscription confirmations
  // (one row per request from the subscribe form; a link confirms only its own request).
  `CREATE TABLE suppressions (
     pattern TEXT PRIMARY KEY,
     reason TEXT NOT NULL,
     created_at TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE confirmations (
     nonce TEXT PRIMARY KEY,
     subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
     name TEXT,
     themes TEXT,
     requested_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     used_at TEXT
   ) WITHOUT ROWID;
   CREATE INDEX confirmations_subscriber ON confirmations(subscriber_id);`,
  // Topics: which topic (stable id) each paper of an issue was in, and the text the topic's
  // vocabulary learns from; a small key-value table for one-off data migrations.
  `ALTER TABLE issue_papers ADD COLUMN theme_id TEXT;
   ALTER TABLE issue_papers ADD COLUMN keywords TEXT;
   ALTER TABLE issue_papers ADD COLUMN abstract TEXT;
   CREATE TABLE meta (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   ) WITHOUT ROWID;`,
  // Bounces and complaints that arrive after the send: one row per event, recorded once
  // (event_key), against its delivery when it can be matched.
  `CREATE TABLE mail_events (
     id INTEGER PRIMARY KEY,
     event_key TEXT NOT NULL UNIQUE,
     source TEXT NOT NULL,
     type TEXT NOT NULL,
     severity TEXT,
     issue_id TEXT,
     subscriber_id INTEGER REFERENCES subscribers(id),
     recipient TEXT,
     status TEXT,
     diagnostic TEXT,
     occurred_at TEXT,
     received_at TEXT NOT NULL,
     outcome TEXT NOT NULL
   );
   CREATE INDEX mail_events_subscriber ON mail_events(subscriber_id, received_at);
   CREATE INDEX mail_events_issue ON mail_events(issue_id);
   CREATE INDEX mail_events_received ON mail_events(received_at);
   CREATE INDEX deliveries_message_id ON deliveries(message_id);`,
  // Rate-limit windows of the public forms, shared by every `serve` process on this database.
  `CREATE TABLE rate_limits (
     key TEXT PRIMARY KEY,
     window_start INTEGER NOT NULL,
     count INTEGER NOT NULL
   ) WITHOUT ROWID;`,
  // Reader signals (issue #20): each reader's ratings and follows, the rated papers' text kept
  // once per paper however many readers rate it, and erased with the reader (ON DELETE CASCADE).
  // rated_papers keeps a rowid: its rows (an abstract each) are too big for a WITHOUT ROWID
  // table, whose every key lookup would read them whole.
  `CREATE TABLE rated_papers (
     paper_id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     abstract TEXT NOT NULL,
     authors TEXT NOT NULL,
     keywords TEXT NOT NULL
   );
   CREATE TABLE ratings (
     subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
     paper_id TEXT NOT NULL REFERENCES rated_papers(paper_id),
     choice TEXT NOT NULL CHECK (choice IN ('more','less')),
     rated_at TEXT NOT NULL,
     PRIMARY KEY (subscriber_id, paper_id)
   ) WITHOUT ROWID;
   CREATE INDEX ratings_paper ON ratings(paper_id);
   CREATE TABLE follows (
     id INTEGER PRIMARY KEY,
     subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
     kind TEXT NOT NULL CHECK (kind IN ('author','phrase','mute')),
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX follows_key ON follows(subscriber_id, kind, key);`,
  // Cadence (issue #21): daily, or weekly on a weekday; a confirmation request carries the one
  // the form asked for (null: keep the subscriber's).
  `ALTER TABLE subscribers ADD COLUMN cadence TEXT NOT NULL DEFAULT 'daily' CHECK (cadence IN ('daily','weekly:mon','weekly:tue','weekly:wed','weekly:thu','weekly:fri','weekly:sat','weekly:sun'));
   ALTER TABLE confirmations ADD COLUMN cadence TEXT;`,
  // Several relays (SMTP_URL lists them): which relay accepted each message.
  `ALTER TABLE deliveries ADD COLUMN relay TEXT;`,
  // Summary tables for /admin's charts (store/roles/dashboard-stats.ts says why triggers), kept
  // current by triggers, filled here from what is already stored. History before this version is
  // approximate: each subscriber counts in their present status from the day they joined.
  `CREATE TABLE subscriber_status_days (
     day TEXT NOT NULL,
     status TEXT NOT NULL,
     delta INTEGER NOT NULL,
     PRIMARY KEY (day, status)
   ) WITHOUT ROWID;
   CREATE TABLE issue_stats (
     issue_id TEXT PRIMARY KEY,
     queued INTEGER NOT NULL DEFAULT 0,
     sent INTEGER NOT NULL DEFAULT 0,
     deferred INTEGER NOT NULL DEFAULT 0,
     failed INTEGER NOT NULL DEFAULT 0,
     hard INTEGER NOT NULL DEFAULT 0,
     soft INTEGER NOT NULL DEFAULT 0,
     complaints INTEGER NOT NULL DEFAULT 0,
     unsubscribes INTEGER NOT NULL DEFAULT 0
   ) WITHOUT ROWID;
   CREATE TABLE topic_followers (
     topic TEXT PRIMARY KEY,
     followers INTEGER NOT NULL DEFAULT 0
   ) WITHOUT ROWID;
   INSERT INTO subscriber_status_days (day, status, delta)
     SELECT substr(created_at, 1, 10), status, count(*) FROM subscribers GROUP BY 1, 2;
   INSERT INTO topic_followers (topic, followers)
     SELECT t.value, count(*) FROM subscribers s, json_each(COALESCE(s.themes, '["*"]')) t WHERE s.status = 'active' GROUP BY t.value;
   INSERT INTO issue_stats (issue_id, queued, sent, deferred, failed)
     SELECT i.id, count(CASE WHEN d.status = 'queued' THEN 1 END), count(CASE WHEN d.status = 'sent' THEN 1 END),
            count(CASE WHEN d.status = 'deferred' THEN 1 END), count(CASE WHEN d.status = 'failed' THEN 1 END)
     FROM issues i LEFT JOIN deliveries d ON d.issue_id = i.id GROUP BY i.id;
   UPDATE issue_stats SET
     hard = (SELECT count(DISTINCT subscriber_id) FROM mail_events e WHERE e.issue_id = issue_stats.issue_id AND e.outcome <> 'unmatched' AND e.type = 'bounce' AND e.severity = 'hard'),
     soft = (SELECT count(DISTINCT subscriber_id) FROM mail_events e WHERE e.issue_id = issue_stats.issue_id AND e.outcome <> 'unmatched' AND e.type = 'bounce' AND e.severity = 'soft'),
     complaints = (SELECT count(DISTINCT subscriber_id) FROM mail_events e WHERE e.issue_id = issue_stats.issue_id AND e.outcome <> 'unmatched' AND e.type = 'complaint');
   CREATE TRIGGER subscribers_summary_insert AFTER INSERT ON subscribers BEGIN
     INSERT INTO subscriber_status_days (day, status, delta) VALUES (substr(NEW.created_at, 1, 10), NEW.status, 1)
       ON CONFLICT (day, status) DO UPDATE SET delta = delta + 1;
     INSERT INTO topic_followers (topic, followers)
       SELECT DISTINCT value, 1 FROM json_each(COALESCE(NEW.themes, '["*"]')) WHERE NEW.status = 'active'
       ON CONFLICT (topic) DO UPDATE SET followers = followers + 1;
   END;
   CREATE TRIGGER subscribers_summary_status AFTER UPDATE OF status ON subscribers WHEN OLD.status <> NEW.status BEGIN
     INSERT INTO subscriber_status_days (day, status, delta)
       VALUES (substr(COALESCE(CASE WHEN NEW.status IN ('unsubscribed', 'bounced', 'complained') THEN NEW.unsubscribed_at
                                    WHEN NEW.status = 'active' THEN NEW.confirmed_at END, strftime('%Y-%m-%d', 'now')), 1, 10), OLD.status, -1)
       ON CONFLICT (day, status) DO UPDATE SET delta = delta - 1;
     INSERT INTO subscriber_status_days (day, status, delta)
       VALUES (substr(COALESCE(CASE WHEN NEW.status IN ('unsubscribed', 'bounced', 'complained') THEN NEW.unsubscribed_at
                                    WHEN NEW.status = 'active' THEN NEW.confirmed_at END, strftime('%Y-%m-%d', 'now')), 1, 10), NEW.status, 1)
       ON CONFLICT (day, status) DO UPDATE SET delta = delta + 1;
     UPDATE issue_stats SET unsubscribes = unsubscribes + 1
       WHERE NEW.status = 'unsubscribed' AND issue_id = (SELECT max(id) FROM issues);
   END;
   CREATE TRIGGER subscribers_summary_topics AFTER UPDATE OF status, themes ON subscribers
     WHEN (OLD.status = 'active' OR NEW.status = 'active') AND (OLD.status <> NEW.status OR OLD.themes IS NOT NEW.themes) BEGIN
     UPDATE topic_followers SET followers = followers - 1
       WHERE OLD.status = 'active' AND topic IN (SELECT value FROM json_each(COALESCE(OLD.themes, '["*"]')));
     INSERT INTO topic_followers (topic, followers)
       SELECT DISTINCT value, 1 FROM json_each(COALESCE(NEW.themes, '["*"]')) WHERE NEW.status = 'active'
       ON CONFLICT (topic) DO UPDATE SET followers = followers + 1;
   END;
   CREATE TRIGGER subscribers_summary_delete AFTER DELETE ON subscribers BEGIN
     INSERT INTO subscriber_status_days (day, status, delta) VALUES (strftime('%Y-%m-%d', 'now'), OLD.status, -1)
       ON CONFLICT (day, status) DO UPDATE SET delta = delta - 1;
     UPDATE topic_followers SET followers = followers - 1
       WHERE OLD.status = 'active' AND topic IN (SELECT value FROM json_each(COALESCE(OLD.themes, '["*"]')));
   END;
   CREATE TRIGGER issues_summary_insert AFTER INSERT ON issues BEGIN
     INSERT OR IGNORE INTO issue_stats (issue_id) VALUES (NEW.id);
   END;
   CREATE TRIGGER deliveries_summary_insert AFTER INSERT ON deliveries BEGIN
     INSERT INTO issue_stats (issue_id, queued, sent, deferred, failed)
       VALUES (NEW.issue_id, NEW.status = 'queued', NEW.status = 'sent', NEW.status = 'deferred', NEW.status = 'failed')
       ON CONFLICT (issue_id) DO UPDATE SET queued = queued + excluded.queued, sent = sent + excluded.sent,
         deferred = deferred + excluded.deferred, failed = failed + excluded.failed;
   END;
   CREATE TRIGGER deliveries_summary_status AFTER UPDATE OF status ON deliveries WHEN OLD.status <> NEW.status BEGIN
     UPDATE issue_stats SET queued = queued + (NEW.status = 'queued') - (OLD.status = 'queued'),
       sent = sent + (NEW.status = 'sent') - (OLD.status = 'sent'),
       deferred = deferred + (NEW.status = 'deferred') - (OLD.status = 'deferred'),
       failed = failed + (NEW.status = 'failed') - (OLD.status = 'failed')
     WHERE issue_id = NEW.issue_id;
   END;
   CREATE TRIGGER deliveries_summary_delete AFTER DELETE ON deliveries BEGIN
     UPDATE issue_stats SET queued = queued - (OLD.status = 'queued'), sent = sent - (OLD.status = 'sent'),
       deferred = deferred - (OLD.status = 'deferred'), failed = failed - (OLD.status = 'failed')
     WHERE issue_id = OLD.issue_id;
   END;
   CREATE VIEW issue_event_counts AS
     SELECT issue_id,
            count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'hard' THEN subscriber_id END) AS hard,
            count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'soft' THEN subscriber_id END) AS soft,
            count(DISTINCT CASE WHEN type = 'complaint' THEN subscriber_id END) AS complaints
     FROM mail_events WHERE outcome <> 'unmatched' GROUP BY issue_id;
   CREATE TRIGGER mail_events_summary_insert AFTER INSERT ON mail_events WHEN NEW.issue_id IS NOT NULL BEGIN
     INSERT INTO issue_stats (issue_id) VALUES (NEW.issue_id) ON CONFLICT (issue_id) DO NOTHING;
     UPDATE issue_stats SET (hard, soft, complaints) = (SELECT COALESCE(max(hard), 0), COALESCE(max(soft), 0), COALESCE(max(complaints), 0) FROM issue_event_counts WHERE issue_id = NEW.issue_id)
       WHERE issue_id = NEW.issue_id;
   END;
   CREATE TRIGGER mail_events_summary_update AFTER UPDATE OF outcome ON mail_events WHEN NEW.issue_id IS NOT NULL BEGIN
     UPDATE issue_stats SET (hard, soft, complaints) = (SELECT COALESCE(max(hard), 0), COALESCE(max(soft), 0), COALESCE(max(complaints), 0) FROM issue_event_counts WHERE issue_id = NEW.issue_id)
       WHERE issue_id = NEW.issue_id;
   END;
   CREATE TRIGGER mail_events_summary_delete AFTER DELETE ON mail_events WHEN OLD.issue_id IS NOT NULL BEGIN
     UPDATE issue_stats SET (hard, soft, complaints) = (SELECT COALESCE(max(hard), 0), COALESCE(max(soft), 0), COALESCE(max(complaints), 0) FROM issue_event_counts WHERE issue_id = OLD.issue_id)
       WHERE issue_id = OLD.issue_id;
   END;`,
  // The issue list without its frozen JSON (listIssueIds, the dashboard's issue_stats join,
  // the archive): created_at and sent_at come after the ~80 KB frozen column, so reading them
  // from the table walks each row's overflow pages (30 ms of CPU for 365 issues on every
  // /admin request). This covering index answers those queries alone. PostgreSQL keeps a long
  // value out of line (TOAST), so it needs no such index.
  `CREATE INDEX issues_listing ON issues (id, created_at, sent_at);`,
];
