/**
 * The second half of importing an export (`subscribers import`): each imported row's ratings
 * and follows (the export's signals column), recorded for the subscriber the row is now, as
 * the feedback page and `subscribers follow` would record them, each at its original time.
 * Every limit of a cell was checked when the file was read (subscribers/signals-cell.ts), so a
 * bad cell has already rejected its row. What the store can still refuse here is what depends
 * on the list (an updated subscriber's own follows plus the row's over MAX_FOLLOWS): reported
 * by line; the other rows' go in. The subscribers themselves are in by then (their import is
 * one transaction of its own).
 */
import { PaperpostError } from '../errors.js';
import { followKey } from '../picks/reader-signals.js';
import type { Store } from '../store/store.js';
import type { SubscriberInput } from '../subscribers/subscriber-input.js';
import { plural } from '../plural.js';
import { err } from './context.js';

/** Records the rows' signals; returns what to add to the import's summary line ('' when no row had any). */
export async function recordImportedSignals(store: Store, file: string, rows: { line: number; input: SubscriberInput }[]): Promise<string> {
  if (rows.length === 0) return '';
  let ratings = 0;
  let follows = 0;
  for (const { line, input } of rows) {
    const subscriber = await store.getSubscriberByEmail(input.email);
    if (!subscriber || !input.signals) continue;
    try {
      // Oldest first, so the newest are the ones a reader keeps at the limit.
      for (const r of [...input.signals.ratings].reverse()) {
        if ((await store.recordRating(subscriber.id, r, r.choice, new Date(r.ratedAt))) !== 'unchanged') ratings++;
      }
      for (const f of input.signals.follows) {
        if (await store.addFollow(subscriber.id, { kind: f.kind, value: f.value, key: followKey(f.kind, f.value) }, new Date(f.createdAt))) follows++;
      }
    } catch (e) {
      if (!(e instanceof PaperpostError) || e.exitCode !== 2) throw e;
      err(`signals not imported ${file}:${line}: ${e.message}`);
    }
  }
  return `; ${plural(ratings, 'rating')} and ${plural(follows, 'follow')} recorded`;
}
