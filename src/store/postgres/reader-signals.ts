/**
 * ReaderSignals on PostgreSQL: ratings (the paper's text once per paper in rated_papers) and
 * follows, each reader's kept within the limits of picks/reader-signals.ts, with the SQLite
 * store's semantics. Two processes may record the same rating at once (the same POST twice):
 * the insert that finds the row there changes it only when the choice differs, so exactly
 * one of them is 'recorded'.
 */
import type { PoolClient } from 'pg';
import { InputError, ReaderGoneError } from '../../errors.js';
import { MAX_FOLLOWS, MAX_RATINGS, type ReaderSignalSet } from '../../picks/reader-signals.js';
import type { ReaderSignals } from '../roles/reader-signals.js';
import { followColumns, groupSignals, replacedKind, ratedIds, ratedPaperColumns, signalsSelect, type RatedPaperRow, type SignalRow } from '../shared/signal-rows.js';
import type { SqlRunner } from './sql-runner.js';

/** Readers per query of signalsOfMany. */
const BATCH = 1000;

/** The papers' text that no rating needs any more, among these ids (the statement after the ratings went). */
const DROP_PAPERS = `DELETE FROM rated_papers p WHERE p.paper_id = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.paper_id = p.paper_id)`;

export function createPostgresReaderSignals({ q, exec, one, tx }: SqlRunner): ReaderSignals {
  /** Removes the ratings a DELETE … RETURNING paper_id statement names, and the papers' text left unneeded. */
  const removeRatings = async (c: PoolClient, sql: string, values: unknown[]) => {
    const gone = (await exec<{ paper_id: string }>(c, sql, values)).rows.map((r) => r.paper_id);
    if (gone.length) await exec(c, DROP_PAPERS, [gone]);
    return gone.length;
  };

  /** Two queries per batch of readers, whatever the batch's size: its ratings and follows, then the rated papers' text once each. */
  const signalsOfMany = async (subscriberIds: readonly number[]) => {
    const out = new Map<number, ReaderSignalSet>();
    for (let i = 0; i < subscriberIds.length; i += BATCH) {
      const rows = (await q<SignalRow>(signalsSelect('= ANY($1::bigint[])'), [subscriberIds.slice(i, i + BATCH)])).rows;
      const ids = ratedIds(rows);
      const papers = ids.length ? (await q<RatedPaperRow>('SELECT * FROM rated_papers WHERE paper_id = ANY($1::text[])', [ids])).rows : [];
      for (const [id, set] of groupSignals(rows, papers)) out.set(id, set);
    }
    return out;
  };

  return {
    async recordRating(subscriberId, paper, choice, at) {
      const p = ratedPaperColumns(paper, choice);
      return tx(async (c) => {
        // The reader's row is held (KEY SHARE) until this commits, so a forget waits for it; a reader already
        // erased is refused here rather than failing the ratings insert on its foreign key.
        if (!(await one(c, 'SELECT 1 FROM subscribers WHERE id = $1 FOR KEY SHARE', [subscriberId]))) throw new ReaderGoneError();
        await exec(
          c,
          `INSERT INTO rated_papers (paper_id, title, abstract, authors, keywords) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (paper_id) DO UPDATE SET title = excluded.title, abstract = excluded.abstract, authors = excluded.authors, keywords = excluded.keywords`,
          [p.paperId, p.title, p.abstract, p.authors, p.keywords],
        );
        const row = await one<{ inserted: boolean }>(
          c,
          `INSERT INTO ratings (subscriber_id, paper_id, choice, rated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (subscriber_id, paper_id) DO UPDATE SET choice = excluded.choice, rated_at = excluded.rated_at
             WHERE ratings.choice <> excluded.choice
           RETURNING (xmax = 0) AS inserted`,
          [subscriberId, p.paperId, choice, at.toISOString()],
        );
        if (!row) return 'unchanged' as const;
        if (!row.inserted) return 'changed' as const;
        // Beyond MAX_RATINGS, the oldest go (the same order signalsOf reads them in).
        await removeRatings(
          c,
          `DELETE FROM ratings WHERE subscriber_id = $1 AND paper_id IN (
             SELECT paper_id FROM ratings WHERE subscriber_id = $1 ORDER BY rated_at DESC, paper_id DESC OFFSET $2)
           RETURNING paper_id`,
          [subscriberId, MAX_RATINGS],
        );
        return 'recorded' as const;
      });
    },
    async removeRating(subscriberId, paperId) {
      return tx(async (c) => (await removeRatings(c, 'DELETE FROM ratings WHERE subscriber_id = $1 AND paper_id = $2 RETURNING paper_id', [subscriberId, paperId])) > 0);
    },
    async addFollow(subscriberId, follow, at) {
      const f = followColumns(follow);
      return tx(async (c) => {
        // The reader's follows are counted under a lock on their row, so two adds at once cannot pass the limit together.
        // (A reader erased meanwhile has no row to lock: refused, as recordRating does.)
        if (!(await one(c, 'SELECT 1 FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]))) throw new ReaderGoneError();
        const had = await one(c, 'SELECT 1 FROM follows WHERE subscriber_id = $1 AND kind = $2 AND key = $3', [subscriberId, f.kind, f.key]);
        if (had) return false;
        // A refusal below rolls this back with the rest of the transaction.
        const other = replacedKind(f.kind);
        const replaced = other !== null && ((await exec(c, 'DELETE FROM follows WHERE subscriber_id = $1 AND kind = $2 AND key = $3', [subscriberId, other, f.key])).rowCount ?? 0) > 0;
        const { n } = (await one<{ n: number }>(c, 'SELECT count(*) AS n FROM follows WHERE subscriber_id = $1', [subscriberId]))!;
        if (n >= MAX_FOLLOWS) throw new InputError(`a reader has at most ${MAX_FOLLOWS} follows and mutes`, 'remove one first');
        const r = await exec(
          c,
          'INSERT INTO follows (subscriber_id, kind, key, value, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subscriber_id, kind, key) DO NOTHING',
          [subscriberId, f.kind, f.key, f.value, at.toISOString()],
        );
        const added = (r.rowCount ?? 0) > 0;
        return added && replaced ? ('replaced' as const) : added;
      });
    },
    async removeFollow(subscriberId, kind, key) {
      return ((await q('DELETE FROM follows WHERE subscriber_id = $1 AND kind = $2 AND key = $3', [subscriberId, kind, key])).rowCount ?? 0) > 0;
    },
    async signalsOf(subscriberId) {
      return (await signalsOfMany([subscriberId])).get(subscriberId) ?? { ratings: [], follows: [] };
    },
    async signalsOfMany(subscriberIds) {
      return signalsOfMany(subscriberIds);
    },
    async clearSignals(subscriberId) {
      await tx(async (c) => {
        await removeRatings(c, 'DELETE FROM ratings WHERE subscriber_id = $1 RETURNING paper_id', [subscriberId]);
        await exec(c, 'DELETE FROM follows WHERE subscriber_id = $1', [subscriberId]);
      });
    },
  };
}
