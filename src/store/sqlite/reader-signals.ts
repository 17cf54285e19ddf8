/**
 * ReaderSignals on SQLite: ratings (the paper's text once per paper in rated_papers) and
 * follows, each reader's kept within the limits of picks/reader-signals.ts. A rating and the
 * trimming to MAX_RATINGS happen in one transaction, so a reader never holds more.
 */
import type Database from 'better-sqlite3';
import { InputError } from '../../errors.js';
import { MAX_FOLLOWS, MAX_RATINGS, type ReaderSignalSet } from '../../picks/reader-signals.js';
import type { ReaderSignals } from '../roles/reader-signals.js';
import {
  FOLLOW_ORDER,
  FOLLOW_SELECT,
  followColumns,
  groupSignals,
  RATING_ORDER,
  RATING_SELECT,
  ratedPaperColumns,
  type FollowRow,
  type RatingRow,
} from '../shared/signal-rows.js';

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
    countFollows: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM follows WHERE subscriber_id = ?'),
    addFollow: db.prepare('INSERT INTO follows (subscriber_id, kind, key, value, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (subscriber_id, kind, key) DO NOTHING'),
    hasFollow: db.prepare<[number, string, string], { n: number }>('SELECT count(*) AS n FROM follows WHERE subscriber_id = ? AND kind = ? AND key = ?'),
    removeFollow: db.prepare('DELETE FROM follows WHERE subscriber_id = ? AND kind = ? AND key = ?'),
    ratingsOf: db.prepare<[string], RatingRow>(`${RATING_SELECT} WHERE r.subscriber_id IN (SELECT value FROM json_each(?)) ${RATING_ORDER}`),
    followsOf: db.prepare<[string], FollowRow>(`${FOLLOW_SELECT} WHERE f.subscriber_id IN (SELECT value FROM json_each(?)) ${FOLLOW_ORDER}`),
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
      const list = JSON.stringify(ids.slice(i, i + BATCH));
      for (const [id, set] of groupSignals(s.ratingsOf.all(list), s.followsOf.all(list))) out.set(id, set);
    }
    return out;
  };

  return {
    async recordRating(subscriberId, paper, choice, at) {
      const columns = ratedPaperColumns(paper, choice);
      return db.transaction(() => {
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
        if (s.hasFollow.get(subscriberId, f.kind, f.key)!.n > 0) return false;
        if (s.countFollows.get(subscriberId)!.n >= MAX_FOLLOWS) {
          throw new InputError(`a reader has at most ${MAX_FOLLOWS} follows and mutes`, 'remove one first');
        }
        return s.addFollow.run(subscriberId, f.kind, f.key, f.value, at.toISOString()).changes > 0;
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
