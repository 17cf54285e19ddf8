/**
 * The SQLite implementation of Store (better-sqlite3, WAL mode, the schema in migrations.ts).
 * It takes an open Database: only the composition root (src/app.ts) opens one.
 */
import { toConfirmation, toDelivery, toIssuePaper, toMailEvent, toRun, toSubscriber, type ConfirmationRow, type DeliveryRow, type IssuePaperRow, type MailEventRow, type RunRow, type SubscriberRow } from '../map-rows.js';
import type Database from 'better-sqlite3';
import type { Delivery, DeliveryStatus, SubscriberStatus } from '../../types.js';
import { randomBytes } from 'node:crypto';
import type {
  DeliveryCounts,
  ImportOutcome,
  IssuePaper,
  Store,
  StoredIssue,
  SubscriberFilter,
  SubscriberInput,
} from '../store.js';
import { COPY_ORDER } from '../store.js';
import { DuplicateRunError } from '../store.js';
import { decideImport, LEFT } from '../../subscribers/decide-import.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import { MIGRATIONS } from './migrations.js';

const toIssue = (r: { id: string; frozen: string; created_at: string; sent_at: string | null }): StoredIssue => ({
  id: r.id,
  frozen: r.frozen,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** Uniqueness ignores case in the whole address: two rows that differ only in case are one person. */
const emailKey = (email: string) => email.toLowerCase();

const themesJson = (themes: string[] | null | undefined) =>
  themes === undefined || themes === null || themes.length === 0 ? null : JSON.stringify(themes);

/** SQL that is true when subscriber row `s` is covered by the suppression list (its address or its @domain). */
const SUPPRESSED = `EXISTS (SELECT 1 FROM suppressions x WHERE x.pattern = s.email_key OR x.pattern = substr(s.email_key, instr(s.email_key, '@')))`;

/** The WHERE clause of a subscriber filter, and its parameters. */
function whereOf(filter: SubscriberFilter): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (filter.status) {
    parts.push('s.status = ?');
    params.push(filter.status);
  }
  if (filter.suppressed !== undefined) parts.push(filter.suppressed ? SUPPRESSED : `NOT ${SUPPRESSED}`);
  if (filter.idRange) {
    parts.push('s.id >= ? AND s.id < ?');
    params.push(filter.idRange.from, filter.idRange.to);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Applies pending migrations and sets the pragmas paperpost relies on; returns the versions it applied. */
export function migrateSqlite(db: Database.Database): number[] {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  const applied: number[] = [];
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
    applied.push(v + 1);
  }
  return applied;
}

/** Wraps an open better-sqlite3 database as a Store, migrating it first. */
export function createSqliteStore(db: Database.Database, now: () => Date = () => new Date()): Store {
  const appliedAtOpen = migrateSqlite(db);
  const iso = () => now().toISOString();

  const s = {
    byKey: db.prepare<[string], SubscriberRow>('SELECT * FROM subscribers WHERE email_key = ?'),
    byId: db.prepare<[number], SubscriberRow>('SELECT * FROM subscribers WHERE id = ?'),
    insertNew: db.prepare(
      `INSERT INTO subscribers (email, email_key, name, status, themes, created_at, confirmed_at, unsubscribed_at)
       VALUES (@email, @key, @name, @status, @themes, COALESCE(@createdAt, @now),
               COALESCE(@confirmedAt, CASE WHEN @status = 'active' THEN @now END),
               COALESCE(@unsubscribedAt, CASE WHEN @status IN ('unsubscribed','bounced','complained') THEN @now END))
       ON CONFLICT (email_key) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE subscribers SET name = @name, themes = @themes, status = @status,
         confirmed_at = CASE WHEN @status = 'active' AND confirmed_at IS NULL THEN @now ELSE confirmed_at END
       WHERE id = @id`,
    ),
    setStatus: db.prepare(
      `UPDATE subscribers SET status = @status,
         confirmed_at = CASE WHEN @status = 'active' THEN COALESCE(confirmed_at, @now) ELSE confirmed_at END,
         unsubscribed_at = CASE WHEN @status IN ('unsubscribed','bounced','complained') THEN @now
                                WHEN @status = 'active' THEN NULL ELSE unsubscribed_at END
       WHERE id = @id`,
    ),
    addSuppression: db.prepare('INSERT INTO suppressions (pattern, reason, created_at) VALUES (?, ?, ?) ON CONFLICT (pattern) DO NOTHING'),
    removeSuppression: db.prepare('DELETE FROM suppressions WHERE pattern = ?'),
    pageSuppressions: db.prepare<[string, number], { pattern: string; reason: string; created_at: string }>(
      'SELECT * FROM suppressions WHERE pattern > ? ORDER BY pattern LIMIT ?',
    ),
    findSuppression: db.prepare<[string, string], { pattern: string; reason: string; created_at: string }>(
      'SELECT * FROM suppressions WHERE pattern IN (?, ?) ORDER BY length(pattern) DESC LIMIT 1',
    ),
    insertConfirmation: db.prepare(
      'INSERT INTO confirmations (nonce, subscriber_id, name, themes, requested_at, expires_at) VALUES (@nonce, @subscriberId, @name, @themes, @now, @expires)',
    ),
    getConfirmation: db.prepare<[string, number], ConfirmationRow>('SELECT * FROM confirmations WHERE nonce = ? AND subscriber_id = ?'),
    useConfirmation: db.prepare('UPDATE confirmations SET used_at = ? WHERE nonce = ? AND used_at IS NULL'),
    // Open links die when the person leaves (or confirms through another link): only a link requested after that counts.
    closeConfirmations: db.prepare('UPDATE confirmations SET expires_at = ? WHERE subscriber_id = ? AND used_at IS NULL AND expires_at > ?'),
    activate: db.prepare(
      `UPDATE subscribers SET status = 'active', name = COALESCE(@name, name), themes = @themes, confirmed_at = @now, unsubscribed_at = NULL WHERE id = @id`,
    ),
    getIssue: db.prepare<[string], { id: string; frozen: string; created_at: string; sent_at: string | null }>(
      'SELECT * FROM issues WHERE id = ?',
    ),
    insertIssue: db.prepare('INSERT OR IGNORE INTO issues (id, frozen, created_at) VALUES (?, ?, ?)'),
    issueSent: db.prepare('UPDATE issues SET sent_at = COALESCE(sent_at, ?) WHERE id = ?'),
    listIssues: db.prepare<[], { id: string; frozen: string; created_at: string; sent_at: string | null }>(
      'SELECT * FROM issues ORDER BY id DESC',
    ),
    insertMailEvent: db.prepare(
      `INSERT INTO mail_events (event_key, source, type, severity, issue_id, subscriber_id, recipient, status, diagnostic, occurred_at, received_at, outcome)
       VALUES (@eventKey, @source, @type, @severity, @issueId, @subscriberId, @recipient, @status, @diagnostic, @occurredAt, @receivedAt, @outcome)
       ON CONFLICT (event_key) DO NOTHING`,
    ),
    mailEventOutcome: db.prepare('UPDATE mail_events SET outcome = ? WHERE id = ?'),
    mailEventByKey: db.prepare<[string], MailEventRow>('SELECT * FROM mail_events WHERE event_key = ?'),
    softIssues: db.prepare<[number, string], { n: number }>(
      "SELECT count(DISTINCT coalesce(issue_id, event_key)) AS n FROM mail_events WHERE subscriber_id = ? AND type = 'bounce' AND severity = 'soft' AND received_at >= ?",
    ),
    mailCounts: db.prepare<[string], { hard: number; soft: number; complaints: number }>(
      `SELECT count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'hard' THEN subscriber_id END) AS hard,
              count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'soft' THEN subscriber_id END) AS soft,
              count(DISTINCT CASE WHEN type = 'complaint' THEN subscriber_id END) AS complaints
       FROM mail_events WHERE issue_id = ? AND outcome <> 'unmatched'`,
    ),
    deliveryByMessageId: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE message_id = ? LIMIT 1'),
    hitRateLimit: db.prepare<{ key: string; windowMs: number; now: number }, { windowStart: number; count: number }>(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (@key, @now, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limits.window_start + @windowMs <= @now THEN 1 ELSE rate_limits.count + 1 END,
         window_start = CASE WHEN rate_limits.window_start + @windowMs <= @now THEN @now ELSE rate_limits.window_start END
       RETURNING window_start AS windowStart, count`,
    ),
    pruneRateLimits: db.prepare('DELETE FROM rate_limits WHERE window_start < ?'),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    listIssueIds: db.prepare<[], { id: string; created_at: string; sent_at: string | null }>('SELECT id, created_at, sent_at FROM issues ORDER BY id DESC'),
    insertIssuePaper: db.prepare(
      `INSERT OR IGNORE INTO issue_papers (issue_id, paper_id, title, url, upvotes, theme_label, theme_id, keywords, abstract)
       VALUES (@issueId, @paperId, @title, @url, @upvotes, @themeLabel, @themeId, @keywords, @abstract)`,
    ),
    latestMention: db.prepare<[string, string], IssuePaperRow>(
      'SELECT * FROM issue_papers WHERE paper_id = ? AND issue_id < ? ORDER BY issue_id DESC LIMIT 1',
    ),
    recentPapers: db.prepare<[string, number], IssuePaperRow>(
      `SELECT p.* FROM issue_papers p
       WHERE p.issue_id IN (SELECT id FROM issues WHERE id < ? ORDER BY id DESC LIMIT ?)
       ORDER BY p.issue_id DESC, p.paper_id`,
    ),
    unfinished: db.prepare<[], { id: string; frozen: string; created_at: string; sent_at: string | null }>(
      'SELECT * FROM issues WHERE sent_at IS NULL ORDER BY id',
    ),
    startRun: db.prepare<[string | null, string], { id: number }>('INSERT INTO runs (scheduled_for, started_at) VALUES (?, ?) RETURNING id'),
    finishRun: db.prepare('UPDATE runs SET finished_at = ?, outcome = ?, issue_id = ?, detail = ? WHERE id = ?'),
    runFor: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE scheduled_for = ?'),
    lastRuns: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?'),
    getDelivery: db.prepare<[string, number], DeliveryRow>('SELECT * FROM deliveries WHERE issue_id = ? AND subscriber_id = ?'),
    beginDelivery: db.prepare<[string, number, string, string], DeliveryRow>(
      `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
       VALUES (?, ?, 'queued', 1, ?, ?)
       ON CONFLICT (issue_id, subscriber_id) DO UPDATE SET status = 'queued', attempts = attempts + 1, updated_at = excluded.updated_at
       RETURNING *`,
    ),
    finishDelivery: db.prepare(
      'UPDATE deliveries SET status = ?, response = ?, updated_at = ? WHERE issue_id = ? AND subscriber_id = ?',
    ),
    restoreDelivery: db.prepare(
      'UPDATE deliveries SET status = ?, attempts = ?, response = ?, updated_at = ? WHERE issue_id = ? AND subscriber_id = ?',
    ),
    dropDelivery: db.prepare('DELETE FROM deliveries WHERE issue_id = ? AND subscriber_id = ?'),
    countDeliveries: db.prepare<[string], { status: DeliveryStatus; n: number }>(
      'SELECT status, count(*) AS n FROM deliveries WHERE issue_id = ? GROUP BY status',
    ),
    takeLock: db.prepare(
      `INSERT INTO locks (name, holder, expires_at) VALUES (@name, @holder, @expires)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE locks.expires_at < @now OR locks.holder = excluded.holder`,
    ),
    renewLock: db.prepare('UPDATE locks SET expires_at = ? WHERE name = ? AND holder = ?'),
    releaseLock: db.prepare('DELETE FROM locks WHERE name = ? AND holder = ?'),
    lockHolder: db.prepare<[string, number], { holder: string }>('SELECT holder FROM locks WHERE name = ? AND expires_at >= ?'),
  };

  let rateHits = 0;
  const insertParams = (input: SubscriberInput, email: string, status: SubscriberStatus) => ({
    email,
    key: emailKey(email),
    name: input.name ?? null,
    status,
    themes: themesJson(input.themes),
    createdAt: input.createdAt ?? null,
    confirmedAt: input.confirmedAt ?? null,
    unsubscribedAt: input.unsubscribedAt ?? null,
    now: iso(),
  });

  /** Sets a status; someone who leaves loses every open confirmation link (call inside a transaction). */
  const changeStatus = (id: number, status: SubscriberStatus, at: string) => {
    s.setStatus.run({ id, status, now: at });
    if (LEFT.has(status)) s.closeConfirmations.run(iso(), id, iso());
  };

  /** Pages through subscribers matching `filter`, by id, 500 at a time. */
  const pageSubscribers = (filter: SubscriberFilter) => {
    const where = whereOf(filter);
    const stmt = db.prepare<unknown[], SubscriberRow>(`SELECT s.* FROM subscribers s WHERE ${where.sql} AND s.id > ? ORDER BY s.id LIMIT ?`);
    return (after: number, limit: number) => stmt.all(...where.params, after, limit);
  };

  const store: Store = {
    async upsertSubscriber(input) {
      const email = normalizeEmail(input.email);
      const existing = s.byKey.get(emailKey(email));
      if (!existing) {
        s.insertNew.run(insertParams(input, email, input.status ?? 'active'));
        return { subscriber: toSubscriber(s.byKey.get(emailKey(email))!), created: true };
      }
      s.update.run({
        id: existing.id,
        name: input.name === undefined ? existing.name : input.name,
        themes: input.themes === undefined ? existing.themes : themesJson(input.themes),
        status: existing.status,
        now: iso(),
      });
      if (input.status && input.status !== existing.status) db.transaction(() => changeStatus(existing.id, input.status!, iso()))();
      return { subscriber: toSubscriber(s.byId.get(existing.id)!), created: false };
    },
    async getSubscriberByEmail(email) {
      const row = s.byKey.get(emailKey(email.trim()));
      return row ? toSubscriber(row) : null;
    },
    async getSubscriberById(id) {
      const row = s.byId.get(id);
      return row ? toSubscriber(row) : null;
    },
    async setSubscriberStatus(id, status) {
      db.transaction(() => changeStatus(id, status, iso()))();
    },
    async setSubscriberPreferences(id, prefs) {
      const row = s.byId.get(id);
      if (!row) return;
      s.update.run({
        id,
        name: prefs.name === undefined ? row.name : prefs.name,
        themes: prefs.themes === undefined ? row.themes : themesJson(prefs.themes),
        status: row.status,
        now: iso(),
      });
    },
    async *listSubscribers(filter = {}) {
      // Pages by id so memory stays flat however long the list is, and rows that change
      // status mid-iteration are neither skipped nor repeated.
      const page = pageSubscribers(filter);
      let after = 0;
      for (;;) {
        const rows = page(after, 500);
        for (const r of rows) yield toSubscriber(r);
        if (rows.length < 500) return;
        after = rows[rows.length - 1]!.id;
      }
    },
    async countSubscribers(filter = {}) {
      const where = whereOf(filter);
      return db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM subscribers s WHERE ${where.sql}`).get(...where.params)!.n;
    },
    async maxSubscriberId() {
      return db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM subscribers').get()!.n ?? 0;
    },
    async importSubscribers(rows) {
      const outcome: ImportOutcome = { added: 0, updated: 0, unchanged: 0, skipped: [] };
      db.transaction(() => {
        for (const { line, input } of rows) {
          const email = normalizeEmail(input.email);
          const key = emailKey(email);
          if (!LEFT.has(input.status ?? 'active')) {
            const suppressed = s.findSuppression.get(key, key.slice(key.lastIndexOf('@')));
            if (suppressed) {
              outcome.skipped.push({ line, email, reason: `on the suppression list (${suppressed.pattern}: ${suppressed.reason})` });
              continue;
            }
          }
          // Most rows of an import are new: one statement for those, the decision for the rest.
          const decision0 = decideImport(null, input.status);
          if (decision0.action === 'add' && s.insertNew.run(insertParams(input, email, decision0.status)).changes > 0) {
            outcome.added++;
            continue;
          }
          const before = s.byKey.get(emailKey(email))!;
          const decision = decideImport(toSubscriber(before), input.status);
          if (decision.action === 'skip') {
            outcome.skipped.push({ line, email: before.email, reason: decision.reason });
            continue;
          }
          if (decision.action !== 'update') continue;
          const name = decision.keepProfile || input.name === undefined ? before.name : input.name;
          const themes = decision.keepProfile || input.themes === undefined ? before.themes : themesJson(input.themes);
          if (name === before.name && themes === before.themes && decision.status === before.status) {
            outcome.unchanged++;
            continue;
          }
          s.update.run({ id: before.id, name, themes, status: before.status, now: iso() });
          if (decision.status !== before.status) {
            changeStatus(before.id, decision.status, input.unsubscribedAt ?? iso());
          }
          outcome.updated++;
        }
      })();
      return outcome;
    },
    async addSuppressions(entries) {
      let added = 0;
      db.transaction(() => {
        const t = iso();
        for (const e of entries) added += s.addSuppression.run(e.pattern.toLowerCase(), e.reason, t).changes;
      })();
      return { added, existing: entries.length - added };
    },
    async removeSuppression(pattern) {
      return s.removeSuppression.run(pattern.toLowerCase()).changes > 0;
    },
    async *listSuppressions() {
      let after = '';
      for (;;) {
        const rows = s.pageSuppressions.all(after, 500);
        for (const r of rows) yield { pattern: r.pattern, reason: r.reason, createdAt: r.created_at };
        if (rows.length < 500) return;
        after = rows[rows.length - 1]!.pattern;
      }
    },
    async findSuppression(email) {
      const key = emailKey(email.trim());
      const row = s.findSuppression.get(key, key.slice(key.lastIndexOf('@')));
      return row ? { pattern: row.pattern, reason: row.reason, createdAt: row.created_at } : null;
    },
    async createConfirmation(subscriberId, request, ttlMs) {
      const nonce = randomBytes(12).toString('base64url');
      const t = now();
      s.insertConfirmation.run({
        nonce,
        subscriberId,
        name: request.name,
        themes: themesJson(request.themes),
        now: t.toISOString(),
        expires: new Date(t.getTime() + ttlMs).toISOString(),
      });
      return toConfirmation(s.getConfirmation.get(nonce, subscriberId)!);
    },
    async getConfirmation(subscriberId, nonce) {
      const row = s.getConfirmation.get(nonce, subscriberId);
      return row ? toConfirmation(row) : null;
    },
    async confirmSubscription(subscriberId, nonce) {
      return db.transaction(() => {
        const row = s.getConfirmation.get(nonce, subscriberId);
        if (!row) return 'unknown' as const;
        if (row.used_at) return 'already-confirmed' as const;
        const t = iso();
        if (row.expires_at <= t) return 'expired' as const;
        s.useConfirmation.run(t, nonce);
        s.closeConfirmations.run(t, subscriberId, t);
        s.activate.run({ id: subscriberId, name: row.name, themes: row.themes, now: t });
        return 'confirmed' as const;
      })();
    },
    async getIssue(id) {
      const row = s.getIssue.get(id);
      return row ? toIssue(row) : null;
    },
    async freezeIssue(id, frozen) {
      const created = s.insertIssue.run(id, frozen, iso()).changes > 0;
      return { ...toIssue(s.getIssue.get(id)!), created };
    },
    async markIssueSent(id) {
      s.issueSent.run(iso(), id);
    },
    async listIssueIds() {
      return s.listIssueIds.all().map((r) => ({ id: r.id, createdAt: r.created_at, sentAt: r.sent_at }));
    },
    async listIssues() {
      return s.listIssues.all().map(toIssue);
    },
    async recordIssuePapers(papers) {
      db.transaction(() => {
        for (const p of papers) {
          s.insertIssuePaper.run({
            issueId: p.issueId,
            paperId: p.paperId,
            title: p.title,
            url: p.url,
            upvotes: p.upvotes,
            themeLabel: p.themeLabel,
            themeId: p.themeId ?? null,
            keywords: p.keywords?.length ? JSON.stringify(p.keywords) : null,
            abstract: p.abstract || null,
          });
        }
      })();
    },
    async findEarlierPapers(paperIds, beforeIssueId) {
      const found = new Map<string, IssuePaper>();
      for (const id of paperIds) {
        const row = s.latestMention.get(id, beforeIssueId);
        if (row) found.set(id, toIssuePaper(row));
      }
      return found;
    },
    async recentIssuePapers(beforeIssueId, count) {
      return s.recentPapers.all(beforeIssueId, count).map(toIssuePaper);
    },
    async listUnfinishedIssues() {
      return s.unfinished.all().map(toIssue);
    },
    async startRun(scheduledFor) {
      // The unique index makes a second start for the same scheduled time fail: at most one run per tick.
      try {
        return s.startRun.get(scheduledFor, iso())!.id;
      } catch (e) {
        if (scheduledFor !== null && (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateRunError(scheduledFor, { cause: e });
        throw e;
      }
    },
    async finishRun(id, outcome, issueId, detail) {
      s.finishRun.run(iso(), outcome, issueId, detail, id);
    },
    async findRunFor(scheduledFor) {
      const row = s.runFor.get(scheduledFor);
      return row ? toRun(row) : null;
    },
    async lastRuns(count) {
      return s.lastRuns.all(count).map(toRun);
    },
    async getDelivery(issueId, subscriberId) {
      const row = s.getDelivery.get(issueId, subscriberId);
      return row ? toDelivery(row) : null;
    },
    async beginDelivery(issueId, subscriberId, messageId) {
      return toDelivery(s.beginDelivery.get(issueId, subscriberId, messageId, iso())!);
    },
    async finishDelivery(issueId, subscriberId, status, response) {
      s.finishDelivery.run(status, response, iso(), issueId, subscriberId);
    },
    async getDeliveries(issueId, subscriberIds) {
      const found = new Map<number, Delivery>();
      db.transaction(() => {
        for (const id of subscriberIds) {
          const row = s.getDelivery.get(issueId, id);
          if (row) found.set(id, toDelivery(row));
        }
      })();
      return found;
    },
    async beginDeliveries(issueId, rows) {
      const at = iso();
      db.transaction(() => {
        for (const r of rows) s.beginDelivery.get(issueId, r.subscriberId, r.messageId, at);
      })();
    },
    async finishDeliveries(issueId, rows) {
      const at = iso();
      db.transaction(() => {
        for (const r of rows) s.finishDelivery.run(r.status, r.response, at, issueId, r.subscriberId);
      })();
    },
    async restoreDeliveries(issueId, rows) {
      db.transaction(() => {
        for (const { subscriberId, previous: p } of rows) {
          if (p) s.restoreDelivery.run(p.status, p.attempts, p.response, p.updatedAt, issueId, subscriberId);
          else s.dropDelivery.run(issueId, subscriberId);
        }
      })();
    },
    async countDeliveries(issueId) {
      const counts: DeliveryCounts = { queued: 0, sent: 0, deferred: 0, failed: 0 };
      for (const r of s.countDeliveries.all(issueId)) counts[r.status] = r.n;
      return counts;
    },
    async acquireLock(name, holder, ttlMs) {
      const t = now().getTime();
      return s.takeLock.run({ name, holder, expires: t + ttlMs, now: t }).changes > 0;
    },
    async renewLock(name, holder, ttlMs) {
      return s.renewLock.run(now().getTime() + ttlMs, name, holder).changes > 0;
    },
    async releaseLock(name, holder) {
      s.releaseLock.run(name, holder);
    },
    async recordMailEvent(event) {
      const info = s.insertMailEvent.run({ ...event, receivedAt: iso() });
      return { recorded: info.changes > 0, event: toMailEvent(s.mailEventByKey.get(event.eventKey)!) };
    },
    async setMailEventOutcome(id, outcome) {
      s.mailEventOutcome.run(outcome, id);
    },
    async listMailEvents(filter = {}) {
      const parts: string[] = [];
      const params: (string | number)[] = [];
      const add = (sql: string, value: string | number) => {
        parts.push(sql);
        params.push(value);
      };
      if (filter.since) add('received_at >= ?', filter.since);
      if (filter.subscriberId !== undefined) add('subscriber_id = ?', filter.subscriberId);
      if (filter.issueId) add('issue_id = ?', filter.issueId);
      const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
      return db
        .prepare<unknown[], MailEventRow>(`SELECT * FROM mail_events ${where} ORDER BY received_at DESC, id DESC LIMIT ?`)
        .all(...params, filter.limit ?? 1000)
        .map(toMailEvent);
    },
    async countSoftBounceIssues(subscriberId, since) {
      return s.softIssues.get(subscriberId, since)!.n;
    },
    async mailEventCounts(issueId) {
      return s.mailCounts.get(issueId)!;
    },
    async findDeliveryByMessageId(messageId) {
      const row = s.deliveryByMessageId.get(messageId);
      return row ? toDelivery(row) : null;
    },
    async hitRateLimit(key, windowMs, nowMs) {
      // Now and then, windows long over go (a flood of distinct keys must not grow the table without end).
      if (++rateHits % 500 === 0) s.pruneRateLimits.run(nowMs - 86_400_000);
      return s.hitRateLimit.get({ key, windowMs, now: nowMs })!;
    },
    async migrate() {
      return { version: db.pragma('user_version', { simple: true }) as number, applied: appliedAtOpen };
    },
    async readRows(table, offset, limit) {
      return db.prepare<[number, number], Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${COPY_ORDER[table]} LIMIT ? OFFSET ?`).all(limit, offset);
    },
    async writeRows(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      const insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`);
      db.transaction(() => {
        for (const row of rows) insert.run(row);
      })();
    },
    async countRows(table) {
      return (db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!).n;
    },
    async finishCopy() {},
    async getMeta(key) {
      return s.getMeta.get(key)?.value ?? null;
    },
    async setMeta(key, value) {
      s.setMeta.run(key, value);
    },
    async lockHolder(name) {
      return s.lockHolder.get(name, now().getTime())?.holder ?? null;
    },
    async close() {
      db.close();
    },
  };
  return store;
}
