/**
 * TableCopy on PostgreSQL: rows read and written as stored, for `paperpost db copy`. Rows come
 * with their ids, so finishCopy moves each identity sequence past the highest one.
 */
import { COPY_ORDER, type TableCopy } from '../roles/table-copy.js';
import { ID_FLOOR } from '../shared/reader-data.js';
import type { SqlRunner } from './sql-runner.js';

/** Rows per INSERT: a copy of 100,000 subscribers is 500 round trips, not 100,000. */
const CHUNK = 200;

export function createPostgresCopy({ q, first, exec, tx }: SqlRunner): TableCopy {
  return {
    async readRows(table, offset, limit) {
      return (await q(`SELECT * FROM ${table} ORDER BY ${COPY_ORDER[table]} LIMIT $1 OFFSET $2`, [limit, offset])).rows;
    },
    async writeRows(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      await tx(async (c) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const values: unknown[] = [];
          const tuples = rows.slice(i, i + CHUNK).map((row) => `(${columns.map((col) => (values.push(row[col] ?? null), `$${values.length}`)).join(', ')})`);
          await exec(c, `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
        }
      });
    },
    async countRows(table) {
      return Number((await first<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))!.n);
    },
    async finishCopy() {
      // Rows came with their ids: the identity sequences go on after the highest one, and
      // subscribers' after the id floor too (a forgotten subscriber's id is never given again).
      for (const table of ['subscribers', 'runs', 'mail_events', 'follows']) {
        const floor = table === 'subscribers' ? `(SELECT CAST(value AS BIGINT) FROM meta WHERE key = '${ID_FLOOR}')` : 'NULL';
        const top = `GREATEST((SELECT max(id) FROM ${table}), ${floor})`;
        await q(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST(${top}, 1), ${top} IS NOT NULL)`);
      }
    },
  };
}
