/**
 * SuppressionList on SQLite: the suppressions table, keyed by a lowercased address or @domain,
 * or by the keyed mark of an address that was suppressed when it was forgotten
 * (subscribers/forgotten-address.ts), which findSuppression matches too.
 */
import type Database from 'better-sqlite3';
import type { SuppressionList } from '../roles/suppression-list.js';
import type { Marker } from '../shared/import-plan.js';
import { coveringPatterns } from '../shared/covering-patterns.js';
import { emailKey, toSuppression, type SuppressionRow } from '../shared/map-rows.js';

/** Entries a listing reads per query. */
const PAGE = 500;

export function createSqliteSuppressions(db: Database.Database, now: () => Date, marker: Marker = null): SuppressionList {
  const s = {
    add: db.prepare('INSERT INTO suppressions (pattern, reason, created_at) VALUES (?, ?, ?) ON CONFLICT (pattern) DO NOTHING'),
    remove: db.prepare('DELETE FROM suppressions WHERE pattern = ?'),
    page: db.prepare<[string, number], SuppressionRow>('SELECT * FROM suppressions WHERE pattern > ? ORDER BY pattern LIMIT ?'),
    find: db.prepare<[string, string, string, string], SuppressionRow>('SELECT * FROM suppressions WHERE pattern IN (?, ?, ?, ?) ORDER BY length(pattern) DESC LIMIT 1'),
  };
  return {
    async addSuppressions(entries) {
      let added = 0;
      db.transaction(() => {
        const t = now().toISOString();
        for (const e of entries) added += s.add.run(e.pattern.toLowerCase(), e.reason, e.createdAt ?? t).changes;
      })();
      return { added, existing: entries.length - added };
    },
    async removeSuppression(pattern) {
      return s.remove.run(pattern.toLowerCase()).changes > 0;
    },
    async *listSuppressions() {
      let after = '';
      for (;;) {
        const rows = s.page.all(after, PAGE);
        for (const r of rows) yield toSuppression(r);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.pattern;
      }
    },
    async findSuppression(email, options = {}) {
      const row = s.find.get(...coveringPatterns(emailKey(email.trim()), marker, options.forgotten === true));
      return row ? toSuppression(row) : null;
    },
  };
}
