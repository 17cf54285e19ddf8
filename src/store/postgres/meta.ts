/** Meta on PostgreSQL: the key-value table one-off data migrations keep their state in. */
import type { Meta } from '../roles/meta.js';
import type { SqlRunner } from './sql-runner.js';

export function createPostgresMeta({ q, first }: SqlRunner): Meta {
  return {
    async getMeta(key) {
      return (await first<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))?.value ?? null;
    },
    async setMeta(key, value) {
      await q('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
  };
}
