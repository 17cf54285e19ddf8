/**
 * The subscriber import's decision loop, written once for both stores.
 *
 * Why a generator: SQLite imports synchronously inside one better-sqlite3 transaction (no
 * other call can run in between), PostgreSQL awaits each round trip inside one transaction on
 * one connection. What each row does is the same; only how a step reaches the database
 * differs. So the loop is a generator that yields each database step (an ImportStep) and is
 * given its answer: runImportSync drives it with SQLite's ImportPort, runImportAsync with
 * PostgreSQL's. It never touches SQL itself.
 *
 * Protocol, per chunk of 500 rows, in row order:
 * 1. Look up the suppression entries that cover the chunk's addresses, and which addresses
 *    the list has already, in two steps.
 * 2. A row whose address was forgotten at its owner's request (a keyed mark, see
 *    subscribers/forgotten-address.ts) is skipped, whatever it says: only the owner's own
 *    confirmation brings it back. A row whose address or domain is suppressed is skipped,
 *    unless it says the person left.
 * 3. New addresses wait and go in together, in order; a later row about one of them sends
 *    them in first, so it sees them as a row-by-row import would. One that another process
 *    added meanwhile is treated as an existing one.
 * 4. A row for an existing subscriber does what subscribers/decide-import.ts decides: skip
 *    (with why), nothing (unchanged), or an update of name, themes and cadence and maybe the status
 *    (someone who leaves loses their open confirmation links: the port's changeStatus).
 */
import type { Cadence, SubscriberStatus } from '../../types.js';
import { decideImport, LEFT } from '../../subscribers/decide-import.js';
import type { AddressMarks } from '../../subscribers/forgotten-address.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import type { ImportOutcome, SubscriberInput } from '../roles/subscriber-store.js';
import { emailKey, suppressionKeys, themesJson, toNewSubscriber, toSubscriber, type NewSubscriber, type SubscriberRow, type SuppressionRow } from './map-rows.js';

/** Rows the loop works through per lookup. */
const CHUNK = 500;

/** What the loop asks of a store, all inside the import's one transaction. */
export interface ImportPort {
  /** The suppression entries among these patterns. */
  suppressions(patterns: string[]): SuppressionRow[];
  /** Which of these email keys the list has. */
  existingKeys(keys: string[]): string[];
  /** Inserts in order those whose key is not on the list by now; returns the keys it inserted. */
  insertNew(rows: NewSubscriber[]): string[];
  byKey(key: string): SubscriberRow;
  /** Sets name, themes and cadence (and `status`, the row's own: the status changes through changeStatus). */
  update(id: number, name: string | null, themes: string | null, status: SubscriberStatus, cadence: Cadence): void;
  /** Sets a status; someone who leaves loses every open confirmation link. */
  changeStatus(id: number, status: SubscriberStatus, at: string): void;
}

/** The same port for a database whose every step is a round trip. */
export type AsyncImportPort = { [K in keyof ImportPort]: (...args: Parameters<ImportPort[K]>) => Promise<ReturnType<ImportPort[K]>> };

type ImportStep = { [K in keyof ImportPort]: { op: K; args: Parameters<ImportPort[K]> } }[keyof ImportPort];
type Plan<T> = Generator<ImportStep, T, unknown>;

/** One step: yields it, and returns what the store answered. */
function* ask<K extends keyof ImportPort>(op: K, ...args: Parameters<ImportPort[K]>): Plan<ReturnType<ImportPort[K]>> {
  return (yield { op, args } as unknown as ImportStep) as ReturnType<ImportPort[K]>;
}

/** A row of the chunk under way, its address normalized; `status` is what a new row is added with. */
interface ChunkRow {
  line: number;
  input: SubscriberInput;
  email: string;
  key: string;
  domain: string;
  status: SubscriberStatus;
}

/** The marks of a forgotten address, when the store knows SECRET_KEY (see the store's options). */
export type Marker = ((emailKey: string) => AddressMarks) | null;

/** Why a forgotten address is kept out of an import. */
export const FORGOTTEN_SKIP = 'forgotten at their request: only their own confirmation through the subscribe form brings them back';

/** The loop (see the protocol at the top); `iso` is the store's clock. */
function* importPlan(rows: { line: number; input: SubscriberInput }[], iso: () => string, marker: Marker): Plan<ImportOutcome> {
  const outcome: ImportOutcome = { added: 0, updated: 0, unchanged: 0, skipped: [] };

  /** 4. A row for an address on the list. */
  function* applyRow({ line, input, key }: ChunkRow): Plan<void> {
    const before = yield* ask('byKey', key);
    const decision = decideImport(toSubscriber(before), input.status);
    if (decision.action === 'skip') {
      outcome.skipped.push({ line, email: before.email, reason: decision.reason });
      return;
    }
    if (decision.action !== 'update') return;
    const name = decision.keepProfile || input.name === undefined ? before.name : input.name;
    const themes = decision.keepProfile || input.themes === undefined ? before.themes : themesJson(input.themes);
    const cadence = decision.keepProfile || input.cadence === undefined ? before.cadence : input.cadence;
    if (name === before.name && themes === before.themes && cadence === before.cadence && decision.status === before.status) {
      outcome.unchanged++;
      return;
    }
    yield* ask('update', before.id, name, themes, before.status, cadence);
    if (decision.status !== before.status) yield* ask('changeStatus', before.id, decision.status, input.unsubscribedAt ?? iso());
    outcome.updated++;
  }

  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk: ChunkRow[] = [];
    for (let i = start; i < Math.min(start + CHUNK, rows.length); i++) {
      const { line, input } = rows[i]!;
      const email = normalizeEmail(input.email);
      const key = emailKey(email);
      const [, domain] = suppressionKeys(key);
      chunk.push({ line, input, email, key, domain, status: 'active' });
    }
    // 1. Suppression entries and known addresses, in two steps.
    const patterns = new Set<string>();
    const marks = new Map<string, AddressMarks>();
    for (const r of chunk) {
      patterns.add(r.key).add(r.domain);
      const m = marker?.(r.key);
      if (!m) continue;
      marks.set(r.key, m);
      patterns.add(m.forgotten).add(m.suppressed);
    }
    const suppression = new Map((yield* ask('suppressions', [...patterns])).map((r) => [r.pattern, r]));
    const known = new Set(yield* ask('existingKeys', [...new Set(chunk.map((r) => r.key))]));

    // 3. New addresses wait here and go in together.
    let waiting: ChunkRow[] = [];
    const waitingKeys = new Set<string>();
    const flush = function* (): Plan<void> {
      if (waiting.length === 0) return;
      const batch = waiting;
      waiting = [];
      waitingKeys.clear();
      const done = new Set(yield* ask('insertNew', batch.map((r) => toNewSubscriber(r.input, r.email, r.status))));
      outcome.added += done.size;
      // Added meanwhile by another process: those rows are updates of its rows.
      for (const r of batch) {
        known.add(r.key);
        if (!done.has(r.key)) yield* applyRow(r);
      }
    };

    for (const r of chunk) {
      // 2. Forgotten addresses stay out, whatever the row says.
      const m = marks.get(r.key);
      if (m && (suppression.has(m.forgotten) || suppression.has(m.suppressed))) {
        outcome.skipped.push({ line: r.line, email: r.email, reason: FORGOTTEN_SKIP });
        continue;
      }
      // Suppressed addresses stay out, unless the row says the person left.
      if (!LEFT.has(r.input.status ?? 'active')) {
        const suppressed = suppression.get(r.key) ?? suppression.get(r.domain);
        if (suppressed) {
          outcome.skipped.push({ line: r.line, email: r.email, reason: `on the suppression list (${suppressed.pattern}: ${suppressed.reason})` });
          continue;
        }
      }
      if (waitingKeys.has(r.key)) yield* flush();
      if (known.has(r.key)) {
        yield* applyRow(r);
        continue;
      }
      // A new address is added with the row's status (decide-import.ts: active by default).
      const fresh = decideImport(null, r.input.status);
      if (fresh.action !== 'add') continue;
      r.status = fresh.status;
      waiting.push(r);
      waitingKeys.add(r.key);
    }
    yield* flush();
  }
  return outcome;
}

/** Runs the import with a synchronous port (call it inside the store's transaction). */
export function runImportSync(rows: { line: number; input: SubscriberInput }[], port: ImportPort, iso: () => string, marker: Marker = null): ImportOutcome {
  const plan = importPlan(rows, iso, marker);
  let step = plan.next();
  while (!step.done) {
    const { op, args } = step.value;
    step = plan.next((port[op] as (...a: unknown[]) => unknown)(...args));
  }
  return step.value;
}

/** Runs the import with a port whose steps are round trips (call it inside the store's transaction). */
export async function runImportAsync(
  rows: { line: number; input: SubscriberInput }[],
  port: AsyncImportPort,
  iso: () => string,
  marker: Marker = null,
): Promise<ImportOutcome> {
  const plan = importPlan(rows, iso, marker);
  let step = plan.next();
  while (!step.done) {
    const { op, args } = step.value;
    step = plan.next(await (port[op] as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return step.value;
}
