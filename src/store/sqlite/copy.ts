/**
 * TableCopy on SQLite: rows read and written as stored, for `paperpost db copy`. SQLite keeps
 * the copied ids and goes on after the highest by itself, so finishCopy has nothing to do.
 */
import type Database from 'better-sqlite3';
import { COPY_ORDER, type TableCopy } from '../roles/table-copy.js';

export function createSqliteCopy(db: Database.Database): TableCopy {
  return {
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
      return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
    },
    async finishCopy() {},
  };
}
