/**
 * ReaderSignals on SQLite: ratings (the paper's text once per paper in rated_papers) and
 * follows, each reader's kept within the limits of picks/reader-signals.ts. A rating and the
 * trimming to MAX_RATINGS happen in one transaction, so a reader never holds more.
 */
import type Database from 'better-sqlite3';
import { InputError, ReaderGoneError } from '../../errors.js';
import { MAX_FOLLOWS, MAX_RATINGS, type ReaderSignalSet } from '../../picks/reader-signals.js';
import type { ReaderSignals } from '../roles/reader-signals.js';
import { followColumns, groupSignals, replacedKind, ratedIds, ratedPaperColumns, signalsSelect, type RatedPaperRow, type SignalRow } from '../shared/signal-rows.js';

/** Readers per query of signalsOfMany (SQLite binds them as one JSON list). */
const BATCH = 1000;

export function createSqliteReaderSignals(db: Database.Database): ReaderSignals {
  const s = {
    upsertPaper: db.prepare(
      `INSERT INTO rated_papers (paper_id, title, abstract, authors, keywords) VALUES (@paperId, @title, @abstract, @authors, @keywords)
       ON CONFLICT (paper_id) DO UPDATE SET title = excluded.title, abstract = excluded.abstract, authors = excluded.authors, keywords = excluded.keywords`,
    ),
    choiceOf: db.prepare<[number, string], { choice: string }>('SELECT choice FROM ratings WHERE subscriber_id = ? AND paper_id = ?'),
    insertRating: db.prepare('INSERT INTO ratings (subscriber_id, paper_id, choice, rated_at) VALUES (?, ?, ?, ?)'),
    changeRating: db.prepare('UPDATE ratings SET choice = ?, rated_at = ? WHERE subscriber_id = ? AND paper_id = ?'),
    beyond: db.prepare<[number, number], { paper_id: string }>(
      'SELECT paper_id FROM ratings WHERE subscriber_id = ? ORDER BY rated_at DESC, paper_id DESC LIMIT -1 OFFSET ?',
    ),
    ratedBy: db.prepare<[number], { paper_id: string }>('SELECT paper_id FROM ratings WHERE subscriber_id = ?'),
    removeRating: db.prepare('DELETE FROM ratings WHERE subscriber_id = ? AND paper_id = ?'),
    // A paper's text stays only while someone's rating needs it.
    dropPaper: db.prepare('DELETE FROM rated_papers WHERE paper_id = ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.paper_id = ?)'),
    // A reader erased by forget (in another process) between a page's check and the write: refused inside the transaction.
    readerExists: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM subscribers WHERE id = ?'),
    countFollows: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM follows WHERE subscriber_id = ?'),
    addFollow: db.prepare('INSERT INTO follows (subscriber_id, kind, key, value, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (subscriber_id, kind, key) DO NOTHING'),
    hasFollow: db.prepare<[number, string, string], { n: number }>('SELECT count(*) AS n FROM follows WHERE subscriber_id = ? AND kind = ? AND key = ?'),
    removeFollow: db.prepare('DELETE FROM follows WHERE subscriber_id = ? AND kind = ? AND key = ?'),
    // Two queries per batch: its ratings and follows, then the rated papers' text once each.
    signalsOf: db.prepare<{ ids: string }, SignalRow>(signalsSelect('IN (SELECT value FROM json_each(@ids))')),
    papersOf: db.prepare<[string], RatedPaperRow>('SELECT * FROM rated_papers WHERE paper_id IN (SELECT value FROM json_each(?))'),
    clearFollows: db.prepare('DELETE FROM follows WHERE subscriber_id = ?'),
  };

  /** Removes these ratings of a reader, and the papers' text nobody else's rating needs (call inside a transaction). */
  const removeRatings = (subscriberId: number, paperIds: string[]) => {
    for (const id of paperIds) {
      if (s.removeRating.run(subscriberId, id).changes > 0) s.dropPaper.run(id, id);
    }
  };

  const signalsOfMany = (ids: readonly number[]) => {
    const out = new Map<number, ReaderSignalSet>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = s.signalsOf.all({ ids: JSON.stringify(ids.slice(i, i + BATCH)) });
      const papers = s.papersOf.all(JSON.stringify(ratedIds(rows)));
      for (const [id, set] of groupSignals(rows, papers)) out.set(id, set);
    }
    return out;
  };

  return {
    async recordRating(subscriberId, paper, choice, at) {
      const columns = ratedPaperColumns(paper, choice);
      return db.transaction(() => {
        if (s.readerExists.get(subscriberId)!.n === 0) throw new ReaderGoneError();
        const before = s.choiceOf.get(subscriberId, columns.paperId);
        if (before?.choice === choice) return 'unchanged' as const;
        s.upsertPaper.run(columns);
        if (before) {
          s.changeRating.run(choice, at.toISOString(), subscriberId, columns.paperId);
          return 'changed' as const;
        }
        s.insertRating.run(subscriberId, columns.paperId, choice, at.toISOString());
        // Beyond MAX_RATINGS, the oldest go (the same order signalsOf reads them in).
        removeRatings(subscriberId, s.beyond.all(subscriberId, MAX_RATINGS).map((r) => r.paper_id));
        return 'recorded' as const;
      })();
    },
    async removeRating(subscriberId, paperId) {
      return db.transaction(() => {
        const removed = s.removeRating.run(subscriberId, paperId).changes > 0;
        if (removed) s.dropPaper.run(paperId, paperId);
        return removed;
      })();
    },
    async addFollow(subscriberId, follow, at) {
      const f = followColumns(follow);
      return db.transaction(() => {
        if (s.readerExists.get(subscriberId)!.n === 0) throw new ReaderGoneError();
        if (s.hasFollow.get(subscriberId, f.kind, f.key)!.n > 0) return false;
        // A refusal below rolls this back with the rest of the transaction.
        const other = replacedKind(f.kind);
        const replaced = other !== null && s.removeFollow.run(subscriberId, other, f.key).changes > 0;
        if (s.countFollows.get(subscriberId)!.n >= MAX_FOLLOWS) {
          throw new InputError(`a reader has at most ${MAX_FOLLOWS} follows and mutes`, 'remove one first');
        }
        const added = s.addFollow.run(subscriberId, f.kind, f.key, f.value, at.toISOString()).changes > 0;
        return added && replaced ? ('replaced' as const) : added;
      })();
    },
    async removeFollow(subscriberId, kind, key) {
      return s.removeFollow.run(subscriberId, kind, key).changes > 0;
    },
    async signalsOf(subscriberId) {
      return signalsOfMany([subscriberId]).get(subscriberId) ?? { ratings: [], follows: [] };
    },
    async signalsOfMany(subscriberIds) {
      return signalsOfMany(subscriberIds);
    },
    async clearSignals(subscriberId) {
      db.transaction(() => {
        removeRatings(subscriberId, s.ratedBy.all(subscriberId).map((r) => r.paper_id));
        s.clearFollows.run(subscriberId);
      })();
    },
  };
}
