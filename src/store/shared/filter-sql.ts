/**
 * The WHERE clauses of the stores' filters (which subscribers a listing covers, which mail
 * events), written once: the two dialects differ only in how a parameter is written (`?` in
 * SQLite, `$1` in PostgreSQL) and in the string function that finds the @ of an address.
 */
import type { MailEventFilter } from '../roles/mail-events.js';
import type { SubscriberFilter } from '../roles/subscriber-store.js';

/** What differs between the two dialects here. */
export interface SqlDialect {
  /** The placeholder of the `n`th parameter (1-based). */
  param(n: number): string;
  /** The position of the @ in `s.email_key`: instr(…, '@') in SQLite, strpos(…, '@') in PostgreSQL. */
  atOfEmailKey: string;
}

export const SQLITE: SqlDialect = { param: () => '?', atOfEmailKey: `instr(s.email_key, '@')` };
export const POSTGRES: SqlDialect = { param: (n) => `$${n}`, atOfEmailKey: `strpos(s.email_key, '@')` };

/** A WHERE clause (without the keyword) and its parameters, in order. */
export interface Where {
  sql: string;
  params: (string | number)[];
}

/** SQL that is true when subscriber row `s` is covered by the suppression list (its address or its @domain). */
const suppressed = (d: SqlDialect) => `EXISTS (SELECT 1 FROM suppressions x WHERE x.pattern = s.email_key OR x.pattern = substr(s.email_key, ${d.atOfEmailKey}))`;

/** The WHERE clause of a subscriber filter on `subscribers s`; `1 = 1` when it covers everyone. */
export function subscriberWhere(filter: SubscriberFilter, d: SqlDialect): Where {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (filter.status) {
    params.push(filter.status);
    parts.push(`s.status = ${d.param(params.length)}`);
  }
  if (filter.suppressed !== undefined) parts.push(filter.suppressed ? suppressed(d) : `NOT ${suppressed(d)}`);
  if (filter.idRange) {
    params.push(filter.idRange.from, filter.idRange.to);
    parts.push(`s.id >= ${d.param(params.length - 1)} AND s.id < ${d.param(params.length)}`);
  }
  /** `column IN (…)` over `values` as parameters; an empty list matches nothing. */
  const inList = (column: string, values: readonly (string | number)[]) => {
    if (values.length === 0) return void parts.push('1 = 0');
    const first = params.length + 1;
    params.push(...values);
    parts.push(`${column} IN (${values.map((_, i) => d.param(first + i)).join(', ')})`);
  };
  if (filter.cadence) inList('s.cadence', filter.cadence);
  if (filter.ids) inList('s.id', filter.ids);
  if (filter.unfinishedIn !== undefined) {
    params.push(filter.unfinishedIn);
    parts.push(`NOT EXISTS (SELECT 1 FROM deliveries dl WHERE dl.issue_id = ${d.param(params.length)} AND dl.subscriber_id = s.id AND dl.status IN ('sent', 'failed'))`);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/**
 * The query of SubscriberStore.firstByThemesAndName: the row with the lowest id of each
 * distinct (themes, whether a name is known) among the subscribers `filter` covers, in id order.
 */
export function firstByThemesAndNameSql(filter: SubscriberFilter, d: SqlDialect): Where {
  const where = subscriberWhere(filter, d);
  return {
    sql: `SELECT s.* FROM subscribers s WHERE s.id IN (
            SELECT min(s.id) FROM subscribers s WHERE ${where.sql} GROUP BY s.themes, (s.name IS NULL OR s.name = '')
          ) ORDER BY s.id`,
    params: where.params,
  };
}

/** The WHERE clause of a mail event filter (its limit aside); `1 = 1` when it covers every event. */
export function mailEventWhere(filter: MailEventFilter, d: SqlDialect): Where {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const add = (column: string, value: string | number) => {
    params.push(value);
    parts.push(`${column} ${d.param(params.length)}`);
  };
  if (filter.since) add('received_at >=', filter.since);
  if (filter.subscriberId !== undefined) add('subscriber_id =', filter.subscriberId);
  if (filter.issueId) add('issue_id =', filter.issueId);
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}
