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
];
