/** Meta on SQLite: the key-value table one-off data migrations keep their state in. */
import type Database from 'better-sqlite3';
import type { Meta } from '../roles/meta.js';

export function createSqliteMeta(db: Database.Database): Meta {
  const s = {
    get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    set: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
  return {
    async getMeta(key) {
      return s.get.get(key)?.value ?? null;
    },
    async setMeta(key, value) {
      s.set.run(key, value);
    },
  };
}
