/**
 * SubscriberStore on SQLite: the subscribers table (and the open confirmation links that die
 * when someone leaves). The import's decisions are shared/import-plan.ts; this module answers
 * its steps with prepared statements, synchronously, inside one transaction.
 *
 * A new row's id is past the id floor as well as past every row: SQLite would otherwise give a
 * forgotten subscriber's id (the highest, deleted) to the next one, and their old links with it.
 */
import type Database from 'better-sqlite3';
import type { SubscriberStatus } from '../../types.js';
import { LEFT } from '../../subscribers/decide-import.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import type { SubscriberFilter, SubscriberStore } from '../roles/subscriber-store.js';
import { SQLITE, firstByThemesAndNameSql, subscriberWhere } from '../shared/filter-sql.js';
import { forgottenRefusal, markRefusesUpsert } from '../shared/forgotten-refusal.js';
import { runImportSync, type ImportPort, type Marker } from '../shared/import-plan.js';
import { ID_FLOOR } from '../shared/reader-data.js';
import { emailKey, themesJson, toNewSubscriber, toSubscriber, type NewSubscriber, type SubscriberRow, type SuppressionRow } from '../shared/map-rows.js';

/** Rows a listing reads per query. */
const PAGE = 500;

export function createSqliteSubscribers(db: Database.Database, now: () => Date, marker: Marker = null): SubscriberStore {
  const iso = () => now().toISOString();
  const s = {
    byKey: db.prepare<[string], SubscriberRow>('SELECT * FROM subscribers WHERE email_key = ?'),
    byId: db.prepare<[number], SubscriberRow>('SELECT * FROM subscribers WHERE id = ?'),
    insertNew: db.prepare<NewSubscriber & { now: string }>(
      `INSERT INTO subscribers (id, email, email_key, name, status, themes, cadence, created_at, confirmed_at, unsubscribed_at)
       VALUES (max(COALESCE((SELECT max(id) FROM subscribers), 0), COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '${ID_FLOOR}'), 0)) + 1,
               @email, @key, @name, @status, @themes, @cadence, COALESCE(@createdAt, @now),
               COALESCE(@confirmedAt, CASE WHEN @status = 'active' THEN @now END),
               COALESCE(@unsubscribedAt, CASE WHEN @status IN ('unsubscribed','bounced','complained') THEN @now END))
       ON CONFLICT (email_key) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE subscribers SET name = @name, themes = @themes, cadence = @cadence, status = @status,
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
    // Open links die when the person leaves: only a link requested after that counts.
    closeConfirmations: db.prepare('UPDATE confirmations SET expires_at = ? WHERE subscriber_id = ? AND used_at IS NULL AND expires_at > ?'),
    suppressions: db.prepare<[string], SuppressionRow>('SELECT * FROM suppressions WHERE pattern IN (SELECT value FROM json_each(?))'),
    marked: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM suppressions WHERE pattern IN (?, ?)'),
    existingKeys: db.prepare<[string], { email_key: string }>('SELECT email_key FROM subscribers WHERE email_key IN (SELECT value FROM json_each(?))'),
  };

  /** Sets a status; someone who leaves loses every open confirmation link (call inside a transaction). */
  const changeStatus = (id: number, status: SubscriberStatus, at: string) => {
    s.setStatus.run({ id, status, now: at });
    if (LEFT.has(status)) s.closeConfirmations.run(iso(), id, iso());
  };

  const importPort: ImportPort = {
    suppressions: (patterns) => s.suppressions.all(JSON.stringify(patterns)),
    existingKeys: (keys) => s.existingKeys.all(JSON.stringify(keys)).map((r) => r.email_key),
    insertNew: (rows) => rows.filter((r) => s.insertNew.run(Object.assign(r, { now: iso() })).changes > 0).map((r) => r.key),
    byKey: (key) => s.byKey.get(key)!,
    update: (id, name, themes, status, cadence) => void s.update.run({ id, name, themes, cadence, status, now: iso() }),
    changeStatus,
  };

  /**
   * Statements by their text: a send checks its next readers again every few dozen messages
   * (deliver/create-job-source.ts), and preparing the same query each time cost a tenth of a
   * millisecond a check. Few texts recur (the filters of a run), so a small map holds them.
   */
  const pages = new Map<string, Database.Statement<unknown[], SubscriberRow>>();
  /** Pages through subscribers matching `filter`, by id. */
  const pageSubscribers = (filter: SubscriberFilter) => {
    const where = subscriberWhere(filter, SQLITE);
    const text = `SELECT s.* FROM subscribers s WHERE ${where.sql} AND s.id > ? ORDER BY s.id LIMIT ?`;
    let stmt = pages.get(text);
    if (!stmt) {
      if (pages.size >= 64) pages.clear();
      pages.set(text, (stmt = db.prepare<unknown[], SubscriberRow>(text)));
    }
    return (after: number, limit: number) => stmt.all(...where.params, after, limit);
  };

  return {
    async upsertSubscriber(input) {
      const email = normalizeEmail(input.email);
      const existing = s.byKey.get(emailKey(email));
      // A forgotten address: refused until its owner confirms (which lifts the mark), but for the form's new pending row.
      const marks = marker?.(emailKey(email));
      if (marks && markRefusesUpsert(!!existing, input.status) && s.marked.get(marks.forgotten, marks.suppressed)!.n > 0) throw forgottenRefusal(email, !!existing);
      if (!existing) {
        s.insertNew.run({ ...toNewSubscriber(input, email, input.status ?? 'active'), now: iso() });
        return { subscriber: toSubscriber(s.byKey.get(emailKey(email))!), created: true };
      }
      s.update.run({
        id: existing.id,
        name: input.name === undefined ? existing.name : input.name,
        themes: input.themes === undefined ? existing.themes : themesJson(input.themes),
        cadence: input.cadence ?? existing.cadence,
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
        cadence: prefs.cadence ?? row.cadence,
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
        const rows = page(after, PAGE);
        for (const r of rows) yield toSubscriber(r);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.id;
      }
    },
    async firstByThemesAndName(filter = {}) {
      const { sql, params } = firstByThemesAndNameSql(filter, SQLITE);
      return db.prepare<unknown[], SubscriberRow>(sql).all(...params).map(toSubscriber);
    },
    async countSubscribers(filter = {}) {
      const where = subscriberWhere(filter, SQLITE);
      return db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM subscribers s WHERE ${where.sql}`).get(...where.params)!.n;
    },
    async maxSubscriberId() {
      return db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM subscribers').get()!.n ?? 0;
    },
    async importSubscribers(rows) {
      return db.transaction(() => runImportSync(rows, importPort, iso, marker))();
    },
  };
}
