/**
 * The PostgreSQL implementation of Store, for installations that outgrow one machine: several
 * senders, web instances and schedulers on one database. It has the SQLite store's semantics
 * method for method (test/store/store.test.ts runs on both), with the schema of migrations.ts.
 *
 * Driver: node-postgres (`pg`) with its Pool. It is the most used and longest maintained
 * PostgreSQL client for Node, pure JavaScript (no native build next to better-sqlite3's), with
 * parameterised queries, a pool with connection timeouts, and COPY and LISTEN available when
 * the senders' queue needs them. It takes an open Pool: only the composition root (src/app.ts)
 * or a test creates one.
 *
 * Start-up: migrations are asynchronous here, so the store starts them when it is created and
 * every method awaits that one `ready` promise first; app.store() stays synchronous. If they
 * fail (server down, login refused), each call rejects with the same PaperpostError, and the
 * next call tries again, so a long-running process recovers when the server comes back.
 *
 * Across processes: locks live in the locks table with an expiry by the store's clock (`now`,
 * injected for tests, as in SQLite); taking one is a single INSERT … ON CONFLICT … WHERE,
 * which PostgreSQL runs atomically, so two processes never both get it. A run per scheduled
 * time is unique by index, whichever process inserts it first.
 */
import { toConfirmation, toDelivery, toIssuePaper, toMailEvent, toRun, toSubscriber, type ConfirmationRow, type DeliveryRow, type IssuePaperRow, type MailEventRow, type RunRow, type SubscriberRow } from '../map-rows.js';
import pg from 'pg';
import type { CustomTypesConfig, Pool, PoolClient, QueryResultRow } from 'pg';
import { randomBytes } from 'node:crypto';
import type { Delivery, DeliveryStatus, SubscriberStatus } from '../../types.js';
import type {
  DeliveryCounts,
  ImportOutcome,
  IssuePaper,
  Store,
  StoredIssue,
  Suppression,
  SubscriberFilter,
  SubscriberInput,
} from '../store.js';
import { DuplicateRunError } from '../store.js';
import { decideImport, LEFT } from '../../subscribers/decide-import.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import { COPY_ORDER } from '../store.js';
import { migratePostgres } from './migrations.js';
import { toDatabaseError } from './to-database-error.js';

/** bigint (ids, counts) read as a JS number, as SQLite gives them: ids stay far below 2^53. */
const INT8 = 20;
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/** Rows a subscriber listing or import works through per query. */
const PAGE = 500;

interface IssueRow {
  id: string;
  frozen: string;
  created_at: string;
  sent_at: string | null;
}
const toIssue = (r: IssueRow): StoredIssue => ({ id: r.id, frozen: r.frozen, createdAt: r.created_at, sentAt: r.sent_at });

interface SuppressionRow {
  pattern: string;
  reason: string;
  created_at: string;
}
const toSuppression = (r: SuppressionRow): Suppression => ({ pattern: r.pattern, reason: r.reason, createdAt: r.created_at });

/** Uniqueness ignores case in the whole address: two rows that differ only in case are one person. */
const emailKey = (email: string) => email.toLowerCase();

const themesJson = (themes: string[] | null | undefined) =>
  themes === undefined || themes === null || themes.length === 0 ? null : JSON.stringify(themes);

/** The address itself and its @domain: the suppression patterns that cover it. */
const suppressionKeys = (key: string) => [key, key.slice(key.lastIndexOf('@'))] as const;

/** SQL that is true when subscriber row `s` is covered by the suppression list (its address or its @domain). */
const SUPPRESSED = `EXISTS (SELECT 1 FROM suppressions x WHERE x.pattern = s.email_key OR x.pattern = substr(s.email_key, strpos(s.email_key, '@')))`;

/** The WHERE clause of a subscriber filter ($1, $2, …), and its parameters. */
function whereOf(filter: SubscriberFilter): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (filter.status) {
    params.push(filter.status);
    parts.push(`s.status = $${params.length}`);
  }
  if (filter.suppressed !== undefined) parts.push(filter.suppressed ? SUPPRESSED : `NOT ${SUPPRESSED}`);
  if (filter.idRange) {
    params.push(filter.idRange.from, filter.idRange.to);
    parts.push(`s.id >= $${params.length - 1} AND s.id < $${params.length}`);
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}

const SQL = {
  byKey: 'SELECT * FROM subscribers WHERE email_key = $1',
  byId: 'SELECT * FROM subscribers WHERE id = $1',
  // $1 email, $2 key, $3 name, $4 status, $5 themes, $6 createdAt, $7 confirmedAt, $8 unsubscribedAt, $9 now
  insertNew: `INSERT INTO subscribers (email, email_key, name, status, themes, created_at, confirmed_at, unsubscribed_at)
    VALUES ($1, $2, $3, $4::text, $5, COALESCE($6::text, $9::text),
            COALESCE($7::text, CASE WHEN $4::text = 'active' THEN $9::text END),
            COALESCE($8::text, CASE WHEN $4::text IN ('unsubscribed','bounced','complained') THEN $9::text END))
    ON CONFLICT (email_key) DO NOTHING
    RETURNING *`,
  // $1 id, $2 name, $3 themes, $4 status, $5 now
  update: `UPDATE subscribers SET name = $2, themes = $3, status = $4::text,
      confirmed_at = CASE WHEN $4::text = 'active' AND confirmed_at IS NULL THEN $5::text ELSE confirmed_at END
    WHERE id = $1`,
  // $1 id, $2 status, $3 now
  setStatus: `UPDATE subscribers SET status = $2::text,
      confirmed_at = CASE WHEN $2::text = 'active' THEN COALESCE(confirmed_at, $3::text) ELSE confirmed_at END,
      unsubscribed_at = CASE WHEN $2::text IN ('unsubscribed','bounced','complained') THEN $3::text
                             WHEN $2::text = 'active' THEN NULL ELSE unsubscribed_at END
    WHERE id = $1`,
  // Open links die when the person leaves (or confirms through another link): only a link requested after that counts.
  closeConfirmations: 'UPDATE confirmations SET expires_at = $1 WHERE subscriber_id = $2 AND used_at IS NULL AND expires_at > $1',
  findSuppression: 'SELECT * FROM suppressions WHERE pattern IN ($1, $2) ORDER BY length(pattern) DESC LIMIT 1',
  getConfirmation: 'SELECT * FROM confirmations WHERE nonce = $1 AND subscriber_id = $2',
  getIssue: 'SELECT * FROM issues WHERE id = $1',
  getDelivery: 'SELECT * FROM deliveries WHERE issue_id = $1 AND subscriber_id = $2',
  // $1 issue, $2 subscriber, $3 Message-ID, $4 now
  beginDelivery: `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
    VALUES ($1, $2, 'queued', 1, $3, $4)
    ON CONFLICT (issue_id, subscriber_id) DO UPDATE SET status = 'queued', attempts = deliveries.attempts + 1, updated_at = excluded.updated_at
    RETURNING *`,
  finishDelivery: 'UPDATE deliveries SET status = $1, response = $2, updated_at = $3 WHERE issue_id = $4 AND subscriber_id = $5',
};

/**
 * Wraps a pool as a Store, migrating the database first (see the comment at the top).
 * close() ends the pool.
 */
export function createPostgresStore(pool: Pool, now: () => Date = () => new Date()): Store {
  const iso = () => now().toISOString();
  const fail = (e: unknown) => toDatabaseError(e, pool.options);

  let ready: Promise<void> | undefined;
  const appliedAtOpen: number[] = [];
  /** The one migration all calls wait for; after a failure, the next call starts it again. */
  const whenReady = () =>
    (ready ??= migratePostgres(pool, now).then(
      (applied) => void appliedAtOpen.push(...applied),
      (e: unknown) => {
        ready = undefined;
        throw fail(e);
      },
    ));
  // Started now, so a process that only opens the store learns early; its failure is reported to the first caller.
  whenReady().catch(() => undefined);

  type On = Pool | PoolClient;
  /** Runs one statement with bigint parsed as numbers, and server trouble as a PaperpostError. */
  const exec = async <R extends QueryResultRow = QueryResultRow>(on: On, text: string, values: unknown[] = []) => {
    try {
      return await on.query<R>({ text, values, types: TYPES });
    } catch (e) {
      throw fail(e);
    }
  };
  /** One statement on the pool, once the schema is ready. */
  const q = async <R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[] = []) => {
    await whenReady();
    return exec<R>(pool, text, values);
  };
  const one = async <R extends QueryResultRow>(on: On, text: string, values: unknown[] = []): Promise<R | undefined> =>
    (await exec<R>(on, text, values)).rows[0];
  const first = async <R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R | undefined> =>
    (await q<R>(text, values)).rows[0];
  let rateHits = 0;

  /** Runs `fn` in one transaction on one connection: committed if it returns, rolled back if it throws. */
  const tx = async <T>(fn: (c: PoolClient) => Promise<T>): Promise<T> => {
    await whenReady();
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw fail(e);
    }
    let broken: Error | undefined;
    try {
      await exec(client, 'BEGIN');
      const result = await fn(client);
      await exec(client, 'COMMIT');
      return result;
    } catch (e) {
      // A connection that cannot even roll back is dropped from the pool, not reused.
      await client.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    } finally {
      client.release(broken);
    }
  };

  const insertParams = (input: SubscriberInput, email: string, status: SubscriberStatus) => [
    email,
    emailKey(email),
    input.name ?? null,
    status,
    themesJson(input.themes),
    input.createdAt ?? null,
    input.confirmedAt ?? null,
    input.unsubscribedAt ?? null,
    iso(),
  ];

  /** Sets a status; someone who leaves loses every open confirmation link (call inside a transaction). */
  const changeStatus = async (c: PoolClient, id: number, status: SubscriberStatus, at: string) => {
    await exec(c, SQL.setStatus, [id, status, at]);
    if (LEFT.has(status)) await exec(c, SQL.closeConfirmations, [iso(), id]);
  };

  const store: Store = {
    async upsertSubscriber(input) {
      const email = normalizeEmail(input.email);
      let existing = await first<SubscriberRow>(SQL.byKey, [emailKey(email)]);
      if (!existing) {
        const inserted = await first<SubscriberRow>(SQL.insertNew, insertParams(input, email, input.status ?? 'active'));
        if (inserted) return { subscriber: toSubscriber(inserted), created: true };
        // Another process added this address a moment ago: theirs is the row to update.
        existing = (await first<SubscriberRow>(SQL.byKey, [emailKey(email)]))!;
      }
      const row = existing;
      await q(SQL.update, [
        row.id,
        input.name === undefined ? row.name : input.name,
        input.themes === undefined ? row.themes : themesJson(input.themes),
        row.status,
        iso(),
      ]);
      if (input.status && input.status !== row.status) await tx((c) => changeStatus(c, row.id, input.status!, iso()));
      return { subscriber: toSubscriber((await first<SubscriberRow>(SQL.byId, [row.id]))!), created: false };
    },
    async getSubscriberByEmail(email) {
      const row = await first<SubscriberRow>(SQL.byKey, [emailKey(email.trim())]);
      return row ? toSubscriber(row) : null;
    },
    async getSubscriberById(id) {
      const row = await first<SubscriberRow>(SQL.byId, [id]);
      return row ? toSubscriber(row) : null;
    },
    async setSubscriberStatus(id, status) {
      await tx((c) => changeStatus(c, id, status, iso()));
    },
    async setSubscriberPreferences(id, prefs) {
      const row = await first<SubscriberRow>(SQL.byId, [id]);
      if (!row) return;
      await q(SQL.update, [
        id,
        prefs.name === undefined ? row.name : prefs.name,
        prefs.themes === undefined ? row.themes : themesJson(prefs.themes),
        row.status,
        iso(),
      ]);
    },
    async *listSubscribers(filter = {}) {
      // Pages by id so memory stays flat however long the list is, and rows that change
      // status mid-iteration are neither skipped nor repeated.
      const where = whereOf(filter);
      const n = where.params.length;
      const sql = `SELECT s.* FROM subscribers s WHERE ${where.sql} AND s.id > $${n + 1} ORDER BY s.id LIMIT $${n + 2}`;
      let after = 0;
      for (;;) {
        const { rows } = await q<SubscriberRow>(sql, [...where.params, after, PAGE]);
        for (const r of rows) yield toSubscriber(r);
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1]!.id;
      }
    },
    async countSubscribers(filter = {}) {
      const where = whereOf(filter);
      return (await first<{ n: number }>(`SELECT count(*) AS n FROM subscribers s WHERE ${where.sql}`, where.params))!.n;
    },
    async maxSubscriberId() {
      return (await first<{ n: number | null }>('SELECT max(id) AS n FROM subscribers'))!.n ?? 0;
    },
    async importSubscribers(rows) {
      const outcome: ImportOutcome = { added: 0, updated: 0, unchanged: 0, skipped: [] };
      await tx(async (c) => {
        /** One row as the SQLite store does it: an insert if new, else what decideImport says. */
        const applyRow = async (line: number, input: SubscriberInput, email: string, key: string, tryInsert: boolean) => {
          const decision0 = decideImport(null, input.status);
          if (tryInsert && decision0.action === 'add' && (await exec(c, SQL.insertNew, insertParams(input, email, decision0.status))).rowCount) {
            outcome.added++;
            return;
          }
          const before = (await one<SubscriberRow>(c, SQL.byKey, [key]))!;
          const decision = decideImport(toSubscriber(before), input.status);
          if (decision.action === 'skip') {
            outcome.skipped.push({ line, email: before.email, reason: decision.reason });
            return;
          }
          if (decision.action !== 'update') return;
          const name = decision.keepProfile || input.name === undefined ? before.name : input.name;
          const themes = decision.keepProfile || input.themes === undefined ? before.themes : themesJson(input.themes);
          if (name === before.name && themes === before.themes && decision.status === before.status) {
            outcome.unchanged++;
            return;
          }
          await exec(c, SQL.update, [before.id, name, themes, before.status, iso()]);
          if (decision.status !== before.status) await changeStatus(c, before.id, decision.status, input.unsubscribedAt ?? iso());
          outcome.updated++;
        };

        for (let start = 0; start < rows.length; start += PAGE) {
          const chunk = rows.slice(start, start + PAGE).map((r) => {
            const email = normalizeEmail(r.input.email);
            return { ...r, email, key: emailKey(email) };
          });
          // 1. The suppression entries that cover this chunk's addresses, and the addresses already
          //    on the list, in two queries.
          const { rows: found } = await exec<SuppressionRow>(c, 'SELECT * FROM suppressions WHERE pattern = ANY($1::text[])', [
            [...new Set(chunk.flatMap((r) => suppressionKeys(r.key)))],
          ]);
          const suppression = new Map(found.map((r) => [r.pattern, r]));
          const { rows: existing } = await exec<{ email_key: string }>(c, 'SELECT email_key FROM subscribers WHERE email_key = ANY($1::text[])', [
            [...new Set(chunk.map((r) => r.key))],
          ]);
          const known = new Set(existing.map((r) => r.email_key));

          // 2. New addresses wait here and go in together, in order; a later row about one of
          //    them sends them in first, so it sees them as SQLite would.
          let waiting: ((typeof chunk)[number] & { status: SubscriberStatus })[] = [];
          const waitingKeys = new Set<string>();
          const flush = async () => {
            if (waiting.length === 0) return;
            const batch = waiting;
            waiting = [];
            waitingKeys.clear();
            const col = <T>(f: (r: (typeof batch)[number]) => T) => batch.map(f);
            const { rows: inserted } = await exec<{ email_key: string }>(
              c,
              `INSERT INTO subscribers (email, email_key, name, status, themes, created_at, confirmed_at, unsubscribed_at)
               SELECT r.email, r.key, r.name, r.status, r.themes, COALESCE(r.created_at, $9),
                      COALESCE(r.confirmed_at, CASE WHEN r.status = 'active' THEN $9 END),
                      COALESCE(r.unsubscribed_at, CASE WHEN r.status IN ('unsubscribed','bounced','complained') THEN $9 END)
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                    WITH ORDINALITY AS r(email, key, name, status, themes, created_at, confirmed_at, unsubscribed_at, n)
               ORDER BY r.n
               ON CONFLICT (email_key) DO NOTHING
               RETURNING email_key`,
              [
                col((r) => r.email),
                col((r) => r.key),
                col((r) => r.input.name ?? null),
                col((r) => r.status),
                col((r) => themesJson(r.input.themes)),
                col((r) => r.input.createdAt ?? null),
                col((r) => r.input.confirmedAt ?? null),
                col((r) => r.input.unsubscribedAt ?? null),
                iso(),
              ],
            );
            outcome.added += inserted.length;
            // Added meanwhile by another process: those rows are updates of its rows.
            const done = new Set(inserted.map((r) => r.email_key));
            for (const r of batch) {
              known.add(r.key);
              if (!done.has(r.key)) await applyRow(r.line, r.input, r.email, r.key, false);
            }
          };

          // 3. Each row in order.
          for (const r of chunk) {
            if (!LEFT.has(r.input.status ?? 'active')) {
              const [address, domain] = suppressionKeys(r.key);
              const suppressed = suppression.get(address) ?? suppression.get(domain);
              if (suppressed) {
                outcome.skipped.push({ line: r.line, email: r.email, reason: `on the suppression list (${suppressed.pattern}: ${suppressed.reason})` });
                continue;
              }
            }
            if (waitingKeys.has(r.key)) await flush();
            const decision = decideImport(null, r.input.status);
            if (!known.has(r.key) && decision.action === 'add') {
              waiting.push({ ...r, status: decision.status });
              waitingKeys.add(r.key);
              continue;
            }
            await applyRow(r.line, r.input, r.email, r.key, !known.has(r.key));
          }
          await flush();
        }
      });
      return outcome;
    },
    async addSuppressions(entries) {
      // One statement: all or nothing, and the first of two entries for one pattern keeps its reason.
      const r = await q(
        `INSERT INTO suppressions (pattern, reason, created_at)
         SELECT e.pattern, e.reason, $3 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS e(pattern, reason, n) ORDER BY e.n
         ON CONFLICT (pattern) DO NOTHING`,
        [entries.map((e) => e.pattern.toLowerCase()), entries.map((e) => e.reason), iso()],
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
    async findSuppression(email) {
      const row = await first<SuppressionRow>(SQL.findSuppression, [...suppressionKeys(emailKey(email.trim()))]);
      return row ? toSuppression(row) : null;
    },
    async createConfirmation(subscriberId, request, ttlMs) {
      const nonce = randomBytes(12).toString('base64url');
      const t = now();
      const row = await first<ConfirmationRow>(
        `INSERT INTO confirmations (nonce, subscriber_id, name, themes, requested_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [nonce, subscriberId, request.name, themesJson(request.themes), t.toISOString(), new Date(t.getTime() + ttlMs).toISOString()],
      );
      return toConfirmation(row!);
    },
    async getConfirmation(subscriberId, nonce) {
      const row = await first<ConfirmationRow>(SQL.getConfirmation, [nonce, subscriberId]);
      return row ? toConfirmation(row) : null;
    },
    async confirmSubscription(subscriberId, nonce) {
      return tx(async (c) => {
        // 1. The subscriber's row first: two links of one person confirmed at once take turns
        //    (and every transaction that touches confirmations locks in this order: no deadlock).
        await exec(c, 'SELECT 1 FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]);
        // 2. Then the request, as the SQLite store decides.
        const row = await one<ConfirmationRow>(c, SQL.getConfirmation, [nonce, subscriberId]);
        if (!row) return 'unknown' as const;
        if (row.used_at) return 'already-confirmed' as const;
        const t = iso();
        if (row.expires_at <= t) return 'expired' as const;
        await exec(c, 'UPDATE confirmations SET used_at = $1 WHERE nonce = $2 AND used_at IS NULL', [t, nonce]);
        await exec(c, SQL.closeConfirmations, [t, subscriberId]);
        await exec(
          c,
          `UPDATE subscribers SET status = 'active', name = COALESCE($2, name), themes = $3, confirmed_at = $4, unsubscribed_at = NULL WHERE id = $1`,
          [subscriberId, row.name, row.themes, t],
        );
        return 'confirmed' as const;
      });
    },
    async getIssue(id) {
      const row = await first<IssueRow>(SQL.getIssue, [id]);
      return row ? toIssue(row) : null;
    },
    async freezeIssue(id, frozen) {
      // Exactly one process's content is kept: the first insert; the others read it back.
      const r = await q('INSERT INTO issues (id, frozen, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [id, frozen, iso()]);
      return { ...toIssue((await first<IssueRow>(SQL.getIssue, [id]))!), created: (r.rowCount ?? 0) > 0 };
    },
    async markIssueSent(id) {
      await q('UPDATE issues SET sent_at = COALESCE(sent_at, $1) WHERE id = $2', [iso(), id]);
    },
    async listIssueIds() {
      const { rows } = await q<Omit<IssueRow, 'frozen'>>('SELECT id, created_at, sent_at FROM issues ORDER BY id DESC');
      return rows.map((r) => ({ id: r.id, createdAt: r.created_at, sentAt: r.sent_at }));
    },
    async listIssues() {
      return (await q<IssueRow>('SELECT * FROM issues ORDER BY id DESC')).rows.map(toIssue);
    },
    async recordIssuePapers(papers) {
      if (papers.length === 0) return;
      await q(
        `INSERT INTO issue_papers (issue_id, paper_id, title, url, upvotes, theme_label, theme_id, keywords, abstract)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
         ON CONFLICT (issue_id, paper_id) DO NOTHING`,
        [
          papers.map((p) => p.issueId),
          papers.map((p) => p.paperId),
          papers.map((p) => p.title),
          papers.map((p) => p.url),
          papers.map((p) => p.upvotes),
          papers.map((p) => p.themeLabel),
          papers.map((p) => p.themeId ?? null),
          papers.map((p) => (p.keywords?.length ? JSON.stringify(p.keywords) : null)),
          papers.map((p) => p.abstract || null),
        ],
      );
    },
    async findEarlierPapers(paperIds, beforeIssueId) {
      const { rows } = await q<IssuePaperRow>(
        `SELECT DISTINCT ON (paper_id) * FROM issue_papers WHERE paper_id = ANY($1::text[]) AND issue_id < $2 ORDER BY paper_id, issue_id DESC`,
        [paperIds, beforeIssueId],
      );
      const latest = new Map(rows.map((r) => [r.paper_id, r]));
      const found = new Map<string, IssuePaper>();
      for (const id of paperIds) {
        const row = latest.get(id);
        if (row) found.set(id, toIssuePaper(row));
      }
      return found;
    },
    async recentIssuePapers(beforeIssueId, count) {
      const { rows } = await q<IssuePaperRow>(
        `SELECT p.* FROM issue_papers p
         WHERE p.issue_id IN (SELECT id FROM issues WHERE id < $1 ORDER BY id DESC LIMIT $2)
         ORDER BY p.issue_id DESC, p.paper_id`,
        [beforeIssueId, count],
      );
      return rows.map(toIssuePaper);
    },
    async listUnfinishedIssues() {
      return (await q<IssueRow>('SELECT * FROM issues WHERE sent_at IS NULL ORDER BY id')).rows.map(toIssue);
    },
    async startRun(scheduledFor) {
      // The unique index makes a second start for the same scheduled time fail, in whichever
      // process comes second: at most one run per tick.
      await whenReady();
      try {
        return (await pool.query<{ id: number }>({ text: 'INSERT INTO runs (scheduled_for, started_at) VALUES ($1, $2) RETURNING id', values: [scheduledFor, iso()], types: TYPES })).rows[0]!.id;
      } catch (e) {
        if (scheduledFor !== null && (e as { code?: string }).code === '23505') throw new DuplicateRunError(scheduledFor, { cause: e });
        throw fail(e);
      }
    },
    async finishRun(id, outcome, issueId, detail) {
      await q('UPDATE runs SET finished_at = $1, outcome = $2, issue_id = $3, detail = $4 WHERE id = $5', [iso(), outcome, issueId, detail, id]);
    },
    async findRunFor(scheduledFor) {
      const row = await first<RunRow>('SELECT * FROM runs WHERE scheduled_for = $1', [scheduledFor]);
      return row ? toRun(row) : null;
    },
    async lastRuns(count) {
      return (await q<RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT $1', [count])).rows.map(toRun);
    },
    async getDelivery(issueId, subscriberId) {
      const row = await first<DeliveryRow>(SQL.getDelivery, [issueId, subscriberId]);
      return row ? toDelivery(row) : null;
    },
    async beginDelivery(issueId, subscriberId, messageId) {
      return toDelivery((await first<DeliveryRow>(SQL.beginDelivery, [issueId, subscriberId, messageId, iso()]))!);
    },
    async finishDelivery(issueId, subscriberId, status, response) {
      await q(SQL.finishDelivery, [status, response, iso(), issueId, subscriberId]);
    },
    async getDeliveries(issueId, subscriberIds) {
      const { rows } = await q<DeliveryRow>('SELECT * FROM deliveries WHERE issue_id = $1 AND subscriber_id = ANY($2::bigint[])', [issueId, subscriberIds]);
      const byId = new Map(rows.map((r) => [r.subscriber_id, r]));
      const found = new Map<number, Delivery>();
      for (const id of subscriberIds) {
        const row = byId.get(id);
        if (row) found.set(id, toDelivery(row));
      }
      return found;
    },
    async beginDeliveries(issueId, rows) {
      if (rows.length === 0) return;
      const at = iso();
      const ids = rows.map((r) => r.subscriberId);
      if (new Set(ids).size < ids.length) {
        // A subscriber twice in one batch counts two attempts, as row by row would.
        await tx(async (c) => {
          for (const r of rows) await exec(c, SQL.beginDelivery, [issueId, r.subscriberId, r.messageId, at]);
        });
        return;
      }
      // One statement (atomic by itself), rows in subscriber order so two batches that overlap lock in the same order.
      await q(
        `INSERT INTO deliveries (issue_id, subscriber_id, status, attempts, message_id, updated_at)
         SELECT $1, r.subscriber_id, 'queued', 1, r.message_id, $4 FROM unnest($2::bigint[], $3::text[]) AS r(subscriber_id, message_id)
         ORDER BY r.subscriber_id
         ON CONFLICT (issue_id, subscriber_id) DO UPDATE SET status = 'queued', attempts = deliveries.attempts + 1, updated_at = excluded.updated_at`,
        [issueId, ids, rows.map((r) => r.messageId), at],
      );
    },
    async finishDeliveries(issueId, rows) {
      if (rows.length === 0) return;
      // Row by row, the last outcome for a subscriber would stand: keep only that one.
      const last = new Map(rows.map((r) => [r.subscriberId, r]));
      const list = [...last.values()];
      await q(
        `UPDATE deliveries d SET status = r.status, response = r.response, updated_at = $5
         FROM unnest($2::bigint[], $3::text[], $4::text[]) AS r(subscriber_id, status, response)
         WHERE d.issue_id = $1 AND d.subscriber_id = r.subscriber_id`,
        [issueId, list.map((r) => r.subscriberId), list.map((r) => r.status), list.map((r) => r.response), iso()],
      );
    },
    async restoreDeliveries(issueId, rows) {
      if (rows.length === 0) return;
      await tx(async (c) => {
        for (const { subscriberId, previous: p } of rows) {
          if (p) {
            await exec(c, 'UPDATE deliveries SET status = $1, attempts = $2, response = $3, updated_at = $4 WHERE issue_id = $5 AND subscriber_id = $6', [
              p.status,
              p.attempts,
              p.response,
              p.updatedAt,
              issueId,
              subscriberId,
            ]);
          } else {
            await exec(c, 'DELETE FROM deliveries WHERE issue_id = $1 AND subscriber_id = $2', [issueId, subscriberId]);
          }
        }
      });
    },
    async countDeliveries(issueId) {
      const counts: DeliveryCounts = { queued: 0, sent: 0, deferred: 0, failed: 0 };
      const { rows } = await q<{ status: DeliveryStatus; n: number }>('SELECT status, count(*) AS n FROM deliveries WHERE issue_id = $1 GROUP BY status', [issueId]);
      for (const r of rows) counts[r.status] = r.n;
      return counts;
    },
    async acquireLock(name, holder, ttlMs) {
      // One statement: a free or expired lock (or one this holder has) is taken; a live one is
      // left alone and nothing changes. Concurrent takers queue on the row and only one wins.
      const t = now().getTime();
      const r = await q(
        `INSERT INTO locks (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE locks.expires_at < $4 OR locks.holder = excluded.holder`,
        [name, holder, t + ttlMs, t],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async renewLock(name, holder, ttlMs) {
      const r = await q('UPDATE locks SET expires_at = $1 WHERE name = $2 AND holder = $3', [now().getTime() + ttlMs, name, holder]);
      return (r.rowCount ?? 0) > 0;
    },
    async releaseLock(name, holder) {
      await q('DELETE FROM locks WHERE name = $1 AND holder = $2', [name, holder]);
    },
    async lockHolder(name) {
      return (await first<{ holder: string }>('SELECT holder FROM locks WHERE name = $1 AND expires_at >= $2', [name, now().getTime()]))?.holder ?? null;
    },
    async recordMailEvent(event) {
      const r = await q(
        `INSERT INTO mail_events (event_key, source, type, severity, issue_id, subscriber_id, recipient, status, diagnostic, occurred_at, received_at, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (event_key) DO NOTHING`,
        [
          event.eventKey,
          event.source,
          event.type,
          event.severity,
          event.issueId,
          event.subscriberId,
          event.recipient,
          event.status,
          event.diagnostic,
          event.occurredAt,
          iso(),
          event.outcome,
        ],
      );
      const row = await first<MailEventRow>('SELECT * FROM mail_events WHERE event_key = $1', [event.eventKey]);
      return { recorded: (r.rowCount ?? 0) > 0, event: toMailEvent(row!) };
    },
    async setMailEventOutcome(id, outcome) {
      await q('UPDATE mail_events SET outcome = $1 WHERE id = $2', [outcome, id]);
    },
    async listMailEvents(filter = {}) {
      const parts: string[] = [];
      const params: (string | number)[] = [];
      const add = (column: string, value: string | number) => {
        params.push(value);
        parts.push(`${column} $${params.length}`);
      };
      if (filter.since) add('received_at >=', filter.since);
      if (filter.subscriberId !== undefined) add('subscriber_id =', filter.subscriberId);
      if (filter.issueId) add('issue_id =', filter.issueId);
      const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
      params.push(filter.limit ?? 1000);
      const { rows } = await q<MailEventRow>(`SELECT * FROM mail_events ${where} ORDER BY received_at DESC, id DESC LIMIT $${params.length}`, params);
      return rows.map(toMailEvent);
    },
    async countSoftBounceIssues(subscriberId, since) {
      const row = await first<{ n: number }>(
        "SELECT count(DISTINCT coalesce(issue_id, event_key)) AS n FROM mail_events WHERE subscriber_id = $1 AND type = 'bounce' AND severity = 'soft' AND received_at >= $2",
        [subscriberId, since],
      );
      return row!.n;
    },
    async mailEventCounts(issueId) {
      const row = await first<{ hard: number; soft: number; complaints: number }>(
        `SELECT count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'hard' THEN subscriber_id END) AS hard,
                count(DISTINCT CASE WHEN type = 'bounce' AND severity = 'soft' THEN subscriber_id END) AS soft,
                count(DISTINCT CASE WHEN type = 'complaint' THEN subscriber_id END) AS complaints
         FROM mail_events WHERE issue_id = $1 AND outcome <> 'unmatched'`,
        [issueId],
      );
      return { hard: row!.hard, soft: row!.soft, complaints: row!.complaints };
    },
    async findDeliveryByMessageId(messageId) {
      const row = await first<DeliveryRow>('SELECT * FROM deliveries WHERE message_id = $1 LIMIT 1', [messageId]);
      return row ? toDelivery(row) : null;
    },
    async hitRateLimit(key, windowMs, nowMs) {
      if (++rateHits % 500 === 0) await q('DELETE FROM rate_limits WHERE window_start < $1', [nowMs - 86_400_000]);
      // One statement: two instances hitting the same key at once count both hits.
      const row = await first<{ window_start: string; count: number }>(
        `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $3, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_start + $2 <= $3 THEN 1 ELSE rate_limits.count + 1 END,
           window_start = CASE WHEN rate_limits.window_start + $2 <= $3 THEN $3 ELSE rate_limits.window_start END
         RETURNING window_start, count`,
        [key, windowMs, nowMs],
      );
      return { windowStart: Number(row!.window_start), count: row!.count };
    },
    async migrate() {
      await whenReady();
      const row = await first<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      return { version: row?.v ?? 0, applied: [...appliedAtOpen] };
    },
    async readRows(table, offset, limit) {
      return (await q(`SELECT * FROM ${table} ORDER BY ${COPY_ORDER[table]} LIMIT $1 OFFSET $2`, [limit, offset])).rows;
    },
    async writeRows(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      await whenReady();
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await exec(client, 'BEGIN');
        // One statement per 200 rows: a copy of 100,000 subscribers is 500 round trips, not 100,000.
        for (let i = 0; i < rows.length; i += 200) {
          const chunk = rows.slice(i, i + 200);
          const values: unknown[] = [];
          const tuples = chunk.map((row) => `(${columns.map((c) => (values.push(row[c] ?? null), `$${values.length}`)).join(', ')})`);
          await exec(client, `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
        }
        await exec(client, 'COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw e;
      } finally {
        client.release(broken);
      }
    },
    async countRows(table) {
      return Number((await first<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))!.n);
    },
    async finishCopy() {
      // Rows came with their ids: the identity sequences go on after the highest one.
      for (const table of ['subscribers', 'runs', 'mail_events']) {
        await q(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1), (SELECT max(id) FROM ${table}) IS NOT NULL)`);
      }
    },
    async getMeta(key) {
      return (await first<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))?.value ?? null;
    },
    async setMeta(key, value) {
      await q('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
    async close() {
      if (closed) return;
      closed = true;
      // A migration under way finishes (or fails) before its connection goes.
      await ready?.catch(() => undefined);
      await pool.end();
    },
  };
  let closed = false;
  return store;
}
