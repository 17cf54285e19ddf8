/**
 * SuppressionList on PostgreSQL: the suppressions table, keyed by a lowercased address or
 * @domain, or by the keyed mark of an address that was suppressed when it was forgotten
 * (subscribers/forgotten-address.ts), which findSuppression matches too.
 */
import type { SuppressionList } from '../roles/suppression-list.js';
import type { Marker } from '../shared/import-plan.js';
import { coveringPatterns } from '../shared/covering-patterns.js';
import { emailKey, toSuppression, type SuppressionRow } from '../shared/map-rows.js';
import type { SqlRunner } from './sql-runner.js';

/** Entries a listing reads per query. */
const PAGE = 500;

export function createPostgresSuppressions({ q, first, iso }: SqlRunner, marker: Marker = null): SuppressionList {
  return {
    async addSuppressions(entries) {
      // One statement: all or nothing, and the first of two entries for one pattern keeps its reason.
      const r = await q(
        `INSERT INTO suppressions (pattern, reason, created_at)
         SELECT e.pattern, e.reason, coalesce(e.created_at, $4) FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS e(pattern, reason, created_at, n) ORDER BY e.n
         ON CONFLICT (pattern) DO NOTHING`,
        [entries.map((e) => e.pattern.toLowerCase()), entries.map((e) => e.reason), entries.map((e) => e.createdAt ?? null), iso()],
      );
      const added = r.rowCount ?? 0;
      return { added, existing: entries.length - added };
    },
    async removeSuppression(pattern) {
      return ((await q('DELETE FROM suppressions WHERE pattern = $1', [pattern.toLowerCase()])).rowCount ?? 0) > 0;
    },
    async *listSuppressions() {
      let after = '';
      for (;;) {
        const { rows } = await q<SuppressionRow>('SELECT * FROM suppressions WHERE pattern > $1 ORDER BY pattern LIMIT $2', [after, PAGE]);
        for (const r of rows) yield toSuppression(r);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.pattern;
      }
    },
    async findSuppression(email, options = {}) {
      const row = await first<SuppressionRow>(
        'SELECT * FROM suppressions WHERE pattern IN ($1, $2, $3, $4) ORDER BY length(pattern) DESC LIMIT 1',
        coveringPatterns(emailKey(email.trim()), marker, options.forgotten === true),
      );
      return row ? toSuppression(row) : null;
    },
  };
}
