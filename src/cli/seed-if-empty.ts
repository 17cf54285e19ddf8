/**
 * Fills a new, empty database from SUBSCRIBERS_SEED (the example list), so a fresh clone's
 * first send has someone to write to. Only while mail goes to the outbox: a real mail server
 * never gets the example addresses.
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
  if (c.smtpUrl || !existsSync(c.subscribersSeed) || (await store.countSubscribers()) > 0) return;
  // The CSV parser is loaded only for a seed (start-up of every send, issue #23).
  const { parseSubscribersCsv } = await import('../subscribers/parse-subscribers-csv.js');
  const parsed = parseSubscribersCsv(await readFile(c.subscribersSeed, 'utf8'), c.subscribersSeed);
  const r = await store.importSubscribers(parsed.rows);
  for (const x of parsed.rejected) err(`warning: ${c.subscribersSeed}:${x.line}: ${x.reason}`);
  out(`seeded ${plural(r.added, 'subscriber')} from ${path.relative(process.cwd(), c.subscribersSeed)} into ${c.database === 'postgres' ? redactSecrets(c.postgresUrl ?? 'PostgreSQL') : path.relative(process.cwd(), c.databasePath)}`);
}
