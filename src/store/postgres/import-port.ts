/**
 * The steps of the subscriber import (shared/import-plan.ts) on PostgreSQL, all on the one
 * connection of the import's transaction: lookups by `= ANY($1)` and new subscribers in one
 * INSERT … SELECT FROM unnest(…) per batch, in row order, so an import of 100,000 rows is a
 * few hundred round trips rather than 100,000.
 */
import type { PoolClient } from 'pg';
import type { SubscriberStatus } from '../../types.js';
import type { AsyncImportPort } from '../shared/import-plan.js';
import type { SubscriberRow, SuppressionRow } from '../shared/map-rows.js';
import type { SqlRunner } from './sql-runner.js';
import { SUBSCRIBER_SQL } from './subscriber-sql.js';

export function createImportPort(
  db: SqlRunner,
  c: PoolClient,
  changeStatus: (id: number, status: SubscriberStatus, at: string) => Promise<void>,
): AsyncImportPort {
  const { exec, one, iso } = db;
  return {
    async suppressions(patterns) {
      return (await exec<SuppressionRow>(c, 'SELECT * FROM suppressions WHERE pattern = ANY($1::text[])', [patterns])).rows;
    },
    async existingKeys(keys) {
      return (await exec<{ email_key: string }>(c, 'SELECT email_key FROM subscribers WHERE email_key = ANY($1::text[])', [keys])).rows.map((r) => r.email_key);
    },
    async insertNew(batch) {
      const col = <T>(f: (r: (typeof batch)[number]) => T) => batch.map(f);
      const { rows } = await exec<{ email_key: string }>(
        c,
        `INSERT INTO subscribers (email, email_key, name, status, themes, cadence, created_at, confirmed_at, unsubscribed_at)
         SELECT r.email, r.key, r.name, r.status, r.themes, r.cadence, COALESCE(r.created_at, $9),
                COALESCE(r.confirmed_at, CASE WHEN r.status = 'active' THEN $9 END),
                COALESCE(r.unsubscribed_at, CASE WHEN r.status IN ('unsubscribed','bounced','complained') THEN $9 END)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $10::text[])
              WITH ORDINALITY AS r(email, key, name, status, themes, created_at, confirmed_at, unsubscribed_at, cadence, n)
         ORDER BY r.n
         ON CONFLICT (email_key) DO NOTHING
         RETURNING email_key`,
        [
          col((r) => r.email),
          col((r) => r.key),
          col((r) => r.name),
          col((r) => r.status),
          col((r) => r.themes),
          col((r) => r.createdAt),
          col((r) => r.confirmedAt),
          col((r) => r.unsubscribedAt),
          iso(),
          col((r) => r.cadence),
        ],
      );
      return rows.map((r) => r.email_key);
    },
    async byKey(key) {
      return (await one<SubscriberRow>(c, SUBSCRIBER_SQL.byKey, [key]))!;
    },
    async update(id, name, themes, status, cadence) {
      await exec(c, SUBSCRIBER_SQL.update, [id, name, themes, status, iso(), cadence]);
    },
    changeStatus,
  };
}
