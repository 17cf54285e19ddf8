/**
 * The composition root, at the top of the house: the one place that opens the database (SQLite
 * or PostgreSQL), builds the mail transport (SMTP or the outbox) and the send queue, and runs
 * the one-off data migrations. Only cli/, schedule/ and web/ import it (ESLint refuses it
 * anywhere else): they pass the App on, and the stages below (issue/, deliver/ and lower) take
 * only the few things they use as narrow ports, such as issue/deliver-prepared.ts's SendPorts,
 * which an App satisfies. The scheduler builds its own cron clock from the configuration.
 *
 * Start-up (issue #23, item 5): a driver is loaded when it is first used, never at import:
 * better-sqlite3 for SQLite, pg for PostgreSQL (and pg-boss with the send queue), nodemailer's
 * DKIM signer when DKIM_* is set (smtp-transport.ts builds the SMTP transport and the signer). They are CommonJS packages, so `require` loads them on the
 * spot and store(), transport() and sendQueue() stay synchronous.
 */
import { ensureDir } from './ensure-dir.js';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { existsSync } from 'node:fs';
import { readTopicMap } from './topics/read-topic-map.js';
import { describeTopicChoicesReport, migrateTopicChoices } from './subscribers/migrate-topic-choices.js';
import type { Config } from './config.js';
import { PaperpostError } from './errors.js';
import { markingKey } from './subscribers/marking-key.js';
import { createSqliteStore } from './store/sqlite/create-sqlite-store.js';
import { createPostgresStore } from './store/postgres/create-postgres-store.js';
import { closingClient } from './store/postgres/closing-client.js';
import type { Store } from './store/store.js';
import { createOutboxTransport } from './deliver/create-outbox-transport.js';
import { createSmtpTransport, loadDkimSigner } from './smtp-transport.js';
import type { Transport } from './deliver/transport.js';
import { createPgBossSendQueue } from './deliver/create-pg-boss-send-queue.js';
import type { SendQueue } from './deliver/send-queue.js';
import type { SignalReads } from './issue/plan-readers.js';
import type { TopicMatcher } from './topics/build-topic-matcher.js';

/** Loads a CommonJS driver when it is first needed (see the file comment). */
const load = createRequire(import.meta.url);

/** The meta key that remembers whether the topic map was last off (TOPICS_FILE=off) or on. */
const TOPIC_MAP_STATE = 'topic-map';

/** What commands work with. */
export interface App {
  config: Config;
  /** Opens the database on first use. */
  store(): Store;
  /** Builds the transport on first use: SMTP when SMTP_URL is set, else the outbox. */
  transport(): Transport;
  /**
   * The queue several senders share an issue through: on PostgreSQL only (created on first
   * use); null on SQLite, where one process sends an issue under its lock.
   */
  sendQueue(): SendQueue | null;
  /** The readers' ratings and follows their "Picked for you" and order are made from (issue/plan-readers.ts): the store's ReaderSignals. */
  readerSignals(): SignalReads | null;
  /** The topic map's matcher with its learned vocabulary (null: TOPICS_FILE=off), for the readers' models; built once. */
  topicMatcher(): Promise<TopicMatcher | null>;
  /**
   * One-off data migrations that need more than SQL (the topic map): run once per database
   * before a command works on it. Returns a line for the operator for each one that ran, and
   * one when the topic map has been turned off (TOPICS_FILE=off): never a silent fallback.
   */
  migrateData(): Promise<string[]>;
  close(): Promise<void>;
}

/** How the process may use the database. */
export interface AppOptions {
  /**
   * Whether a missing SQLite file may be created. Only the commands that are meant to start
   * a list do (run, schedule, serve, subscribers add/import, suppress add/import); a read on
   * a mistyped DATABASE_URL must say so, not answer from a new, empty database. A PostgreSQL
   * database is never created: it must exist (paperpost creates its tables in it), and a
   * missing one is reported on first use.
   */
  createDatabase?: boolean;
  /** A transport built already (send opens its first connection before the app loads); the app owns and closes it. */
  transport?: Transport;
}

/** Wires the application for one process. */
export function createApp(config: Config, options: AppOptions = {}): App {
  const createDatabase = options.createDatabase ?? true;
  let store: Store | undefined;
  let transport: Transport | undefined = options.transport;
  let sendQueue: SendQueue | undefined;
  let topicMatcher: Promise<TopicMatcher | null> | undefined;
  return {
    config,
    store() {
      if (!store && config.database === 'postgres') store = openPostgres(config);
      if (!store) {
        let db: Database.Database;
        const file = config.databasePath;
        if (file !== ':memory:' && !createDatabase && !existsSync(file)) {
          throw new PaperpostError('DATABASE', `there is no database at ${file} (DATABASE_URL)`, {
            hint: 'check DATABASE_URL; a new list starts with paperpost run, subscribers add or subscribers import',
            exitCode: 2,
          });
        }
        try {
          if (file !== ':memory:') ensureDir(path.dirname(file));
          const SqliteDatabase = load('better-sqlite3') as typeof Database;
          db = new SqliteDatabase(file);
          store = createSqliteStore(db, undefined, { secretKey: markingKey(config) });
        } catch (e) {
          throw new PaperpostError('DATABASE', `cannot open the database ${config.databasePath}: ${(e as Error).message}`, {
            hint: 'check DATABASE_URL: it must name a paperpost SQLite file (or a new one) in a writable directory',
            exitCode: 2,
          });
        }
      }
      return store;
    },
    transport() {
      if (!transport) transport = config.smtpUrl ? createSmtpTransport(config) : createOutboxTransport(config.outboxDir, { dkim: loadDkimSigner(config) });
      return transport;
    },
    sendQueue() {
      if (config.database !== 'postgres') return null;
      sendQueue ??= createPgBossSendQueue({ connectionString: config.postgresUrl!, ...config.sendClaims });
      return sendQueue;
    },
    readerSignals() {
      return this.store();
    },
    topicMatcher() {
      // Loaded only when a reader is planned, so commands that plan nobody never load the topic map.
      topicMatcher ??= (async () => {
        const [{ loadTopicContext }, { buildTopicMatcher }] = await Promise.all([import('./issue/prepare-issue.js'), import('./topics/build-topic-matcher.js')]);
        const context = await loadTopicContext(this, null);
        return context ? buildTopicMatcher(context.map, context.learned) : null;
      })();
      return topicMatcher;
    },
    async migrateData() {
      // The topic map turned off (TOPICS_FILE=off) is said once per database, and again each time it is turned off anew.
      const before = await this.store().getMeta(TOPIC_MAP_STATE);
      if (config.topicsFile === null) {
        if (before === 'off') return [];
        await this.store().setMeta(TOPIC_MAP_STATE, 'off');
        let following = 0;
        for await (const s of this.store().listSubscribers({ status: 'active' })) if (s.themes !== null) following++;
        const readers = following ? `; ${following} active reader(s) follow chosen topics, and get a copy only when a cluster's label is one of them` : '';
        return [`TOPICS_FILE is off: papers are grouped by day-by-day clusters, not by the topic map${readers}`];
      }
      if (before === 'off') await this.store().setMeta(TOPIC_MAP_STATE, 'on');
      const map = await readTopicMap(config.topicsFile, { themesFile: config.themesFile });
      const report = await migrateTopicChoices(this.store(), map.topics);
      return report && report.checked > 0 ? [describeTopicChoicesReport(report)] : [];
    },
    async close() {
      await transport?.close();
      await sendQueue?.close();
      await store?.close();
    },
  };
}

/**
 * A pool on DATABASE_URL and the PostgreSQL store on it. Nothing connects yet: the store
 * migrates on first use and reports a server that is down, a refused login or a missing
 * database as a one-line PaperpostError (exit 1).
 */
function openPostgres(config: Config): Store {
  let pool: pg.Pool;
  try {
    const { Pool, Client } = load('pg') as typeof pg;
    pool = new Pool({ connectionString: config.postgresUrl, application_name: 'paperpost', connectionTimeoutMillis: 10_000, Client: closingClient(Client) });
  } catch (e) {
    throw new PaperpostError('DATABASE', `cannot use DATABASE_URL: ${(e as Error).message}`, {
      hint: 'DATABASE_URL must be postgres://USER@HOST[:PORT]/DATABASE (with a password: USER:PASSWORD)',
      exitCode: 2,
    });
  }
  // An idle connection the server closes is dropped by the pool; the next query reports any lasting trouble.
  pool.on('error', () => undefined);
  return createPostgresStore(pool, undefined, { secretKey: markingKey(config) });
}
