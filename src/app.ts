/**
 * The composition root: the one place that opens the database, builds the mail transport
 * and (later) the scheduler. Commands get what they need from here; the stages themselves
 * only ever see interfaces.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import { readFileSync } from 'node:fs';
import type { Config } from './config.js';
import { ConfigError, PaperpostError } from './errors.js';
import { createSqliteStore } from './subscribers/create-sqlite-store.js';
import type { Store } from './subscribers/store.js';
import { createOutboxTransport } from './deliver/create-outbox-transport.js';
import { wrapSmtpTransport } from './deliver/wrap-smtp-transport.js';
import type { Transport } from './deliver/transport.js';

/** What commands work with. */
export interface App {
  config: Config;
  /** Opens the database on first use. */
  store(): Store;
  /** Builds the transport on first use: SMTP when SMTP_URL is set, else the outbox. */
  transport(): Transport;
  close(): Promise<void>;
}

/** Wires the application for one process. */
export function createApp(config: Config): App {
  let store: Store | undefined;
  let transport: Transport | undefined;
  return {
    config,
    store() {
      if (!store) {
        if (config.databasePath !== ':memory:') mkdirSync(path.dirname(config.databasePath), { recursive: true });
        let db: Database.Database;
        try {
          db = new Database(config.databasePath);
        } catch (e) {
          throw new PaperpostError('DATABASE', `cannot open the database ${config.databasePath}: ${(e as Error).message}`, {
            hint: 'check DATABASE_URL and that the directory is writable',
            exitCode: 1,
          });
        }
        store = createSqliteStore(db);
      }
      return store;
    },
    transport() {
      if (!transport) transport = config.smtpUrl ? createSmtpTransport(config) : createOutboxTransport(config.outboxDir);
      return transport;
    },
    async close() {
      await transport?.close();
      await store?.close();
    },
  };
}

function createSmtpTransport(config: Config): Transport {
  const url = new URL(config.smtpUrl!);
  let dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
  if (config.dkim) {
    try {
      dkim = { domainName: config.dkim.domainName, keySelector: config.dkim.keySelector, privateKey: readFileSync(config.dkim.privateKeyPath, 'utf8') };
    } catch (e) {
      throw new ConfigError([`DKIM_PRIVATE_KEY_PATH cannot be read: ${(e as Error).message}`]);
    }
  }
  const transporter = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    maxConnections: config.smtpPoolSize,
    maxMessages: Infinity,
    dkim,
    // Allow STARTTLS with self-signed certificates only when the operator says so in the URL.
    tls: url.searchParams.get('tls_reject_unauthorized') === 'false' ? { rejectUnauthorized: false } : undefined,
  });
  return wrapSmtpTransport(transporter, { name: `smtp://${url.host}`, poolSize: config.smtpPoolSize });
}
