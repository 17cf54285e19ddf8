/**
 * Fills a new, empty database from SUBSCRIBERS_SEED (the example list), so a fresh clone's
 * first send has someone to write to. Only while mail goes to the outbox: a real mail server
 * never gets the example addresses. SUBSCRIBERS_SEED=off seeds nothing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { redactSecrets } from '../redact-secrets.js';
import type { App } from '../app.js';
import { err, out } from './context.js';
import { plural } from '../plural.js';

/** Seeds the database when it has no subscribers and no SMTP server is configured. */
export async function seedIfEmpty(app: App): Promise<void> {
  const c = app.config;
  const store = app.store();
  const seed = c.subscribersSeed;
  // A SUBSCRIBERS_SEED that names no file stops paperpost at start (config.ts); the example list may be absent.
  if (c.smtpUrl || seed === null || !existsSync(seed) || (await store.countSubscribers()) > 0) return;
  // The CSV parser is loaded only for a seed (start-up of every send, issue #23).
  const { parseSubscribersCsv } = await import('../subscribers/parse-subscribers-csv.js');
  const parsed = parseSubscribersCsv(await readFile(seed, 'utf8'), seed);
  const r = await store.importSubscribers(parsed.rows);
  for (const x of parsed.rejected) err(`warning: ${seed}:${x.line}: ${x.reason}`);
  out(`seeded ${plural(r.added, 'subscriber')} from ${path.relative(process.cwd(), seed)} into ${c.database === 'postgres' ? redactSecrets(c.postgresUrl ?? 'PostgreSQL') : path.relative(process.cwd(), c.databasePath)}`);
}
