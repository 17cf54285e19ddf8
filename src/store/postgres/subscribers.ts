/**
 * SubscriberStore on PostgreSQL: the subscribers table (and the open confirmation links that
 * die when someone leaves). Several processes may add the same address at once: an insert
 * that finds it there updates theirs instead. The import's decisions are
 * shared/import-plan.ts; import-port.ts answers its steps on one connection.
 */
import type { PoolClient } from 'pg';
import type { SubscriberStatus } from '../../types.js';
import { LEFT } from '../../subscribers/decide-import.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import type { SubscriberStore } from '../roles/subscriber-store.js';
import { POSTGRES, firstByThemesAndNameSql, subscriberWhere } from '../shared/filter-sql.js';
import { forgottenRefusal, markRefusesUpsert } from '../shared/forgotten-refusal.js';
import { runImportAsync, type Marker } from '../shared/import-plan.js';
import { emailKey, themesJson, toNewSubscriber, toSubscriber, type NewSubscriber, type SubscriberRow } from '../shared/map-rows.js';
import { createImportPort } from './import-port.js';
import { SUBSCRIBER_SQL } from './subscriber-sql.js';
import type { SqlRunner } from './sql-runner.js';

/** Rows a listing reads per query. */
const PAGE = 500;


const insertValues = (r: NewSubscriber, at: string) => [r.email, r.key, r.name, r.status, r.themes, r.createdAt, r.confirmedAt, r.unsubscribedAt, at, r.cadence];

export function createPostgresSubscribers(db: SqlRunner, marker: Marker = null): SubscriberStore {
  const { q, first, exec, tx, iso } = db;
  const SQL = SUBSCRIBER_SQL;

  /** Sets a status; someone who leaves loses every open confirmation link (call inside a transaction). */
  const changeStatus = async (c: PoolClient, id: number, status: SubscriberStatus, at: string) => {
    await exec(c, SQL.setStatus, [id, status, at]);
    if (LEFT.has(status)) await exec(c, SQL.closeConfirmations, [iso(), id]);
  };

  return {
    async upsertSubscriber(input) {
      const email = normalizeEmail(input.email);
      let existing = await first<SubscriberRow>(SQL.byKey, [emailKey(email)]);
      // A forgotten address: refused until its owner confirms (which lifts the mark), but for the form's new pending row.
      const marks = marker?.(emailKey(email));
      if (marks && markRefusesUpsert(!!existing, input.status)) {
        const marked = await first('SELECT 1 FROM suppressions WHERE pattern IN ($1, $2)', [marks.forgotten, marks.suppressed]);
        if (marked) throw forgottenRefusal(email, !!existing);
      }
      if (!existing) {
        const inserted = await first<SubscriberRow>(SQL.insertNew, insertValues(toNewSubscriber(input, email, input.status ?? 'active'), iso()));
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
        input.cadence ?? row.cadence,
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
        prefs.cadence ?? row.cadence,
      ]);
    },
    async *listSubscribers(filter = {}) {
      // Pages by id so memory stays flat however long the list is, and rows that change
      // status mid-iteration are neither skipped nor repeated.
      const where = subscriberWhere(filter, POSTGRES);
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
    async firstByThemesAndName(filter = {}) {
      const { sql, params } = firstByThemesAndNameSql(filter, POSTGRES);
      return (await q<SubscriberRow>(sql, params)).rows.map(toSubscriber);
    },
    async countSubscribers(filter = {}) {
      const where = subscriberWhere(filter, POSTGRES);
      return (await first<{ n: number }>(`SELECT count(*) AS n FROM subscribers s WHERE ${where.sql}`, where.params))!.n;
    },
    async maxSubscriberId() {
      return (await first<{ n: number | null }>('SELECT max(id) AS n FROM subscribers'))!.n ?? 0;
    },
    async importSubscribers(rows) {
      return tx((c) => runImportAsync(rows, createImportPort(db, c, (id, status, at) => changeStatus(c, id, status, at)), iso, marker));
    },
  };
}
