/**
 * Issue history applied to a day's themes: papers already sent in an earlier issue are not
 * repeated in full (they move to a short "Still trending" list, or are dropped), and each
 * theme learns how it stands lately ("new today", "3rd day running").
 *
 * Themes are formed over the whole day's list first, repeats included, so that a theme that
 * carries on from yesterday is recognised by the papers it shares with yesterday's issue as
 * well as by its label; only then are the repeats taken out.
 */
import type { Theme, ThemedDigest } from '../types.js';
import type { IssuePaper } from '../store/store.js';

/** A paper as an earlier issue carried it (see Store.findEarlierPapers). */
export type EarlierPaper = IssuePaper;

/** What to do with a paper already sent in an earlier issue. */
export type RepeatMode = 'still-trending' | 'drop';

/** A repeat, listed briefly at the end of the issue. */
export interface StillTrendingEntry {
  paperId: string;
  title: string;
  url: string | null;
  upvotesThen: number | null;
  upvotesNow: number | null;
}

/** The day's themes with repeats taken out, the list of repeats, and each theme's streak. */
export interface IssueHistoryResult {
  themed: ThemedDigest;
  stillTrending: StillTrendingEntry[];
  /** By theme id: "new today", "2nd day running", ... */
  themeStatus: Record<string, string>;
  /** Papers carried in full (not repeats). */
  newPaperCount: number;
}

const ordinal = (n: number) => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

/**
 * Applies `earlier` (papers of previous issues, by paper id) and `recent` (every paper of
 * the last few issues, newest issue first) to today's themes.
 */
export function applyIssueHistory(
  themed: ThemedDigest,
  earlier: Map<string, EarlierPaper>,
  recent: EarlierPaper[],
  mode: RepeatMode,
): IssueHistoryResult {
  // Recent issues, newest first, each as its themes' labels and paper ids.
  const issues: { id: string; labels: Set<string>; ids: Set<string>; papers: Set<string> }[] = [];
  for (const p of recent) {
    let last = issues[issues.length - 1];
    if (!last || last.id !== p.issueId) {
      last = { id: p.issueId, labels: new Set(), ids: new Set(), papers: new Set() };
      issues.push(last);
    }
    last.labels.add(p.themeLabel.toLowerCase());
    if (p.themeId) last.ids.add(p.themeId);
    last.papers.add(p.paperId);
  }

  const themeStatus: Record<string, string> = {};
  const stillTrending: StillTrendingEntry[] = [];
  const themes: Theme[] = [];
  let newPaperCount = 0;
  for (const theme of themed.themes) {
    if (!theme.other) {
      // The streak: how many issues in a row, going back from the latest, had this theme.
      let streak = 0;
      for (const issue of issues) {
        // A topic is the same topic whatever its label says: its id counts first.
        const byId = issue.ids.has(theme.id);
        const byLabel = issue.labels.has(theme.label.toLowerCase());
        const byPapers = theme.papers.some((p) => issue.papers.has(p.id));
        if (!byId && !byLabel && !byPapers) break;
        streak++;
      }
      themeStatus[theme.id] = streak === 0 ? 'new today' : `${ordinal(streak + 1)} day running`;
    }
    const fresh = theme.papers.filter((p) => !earlier.has(p.id));
    for (const p of theme.papers) {
      const before = earlier.get(p.id);
      if (before && mode === 'still-trending') {
        stillTrending.push({ paperId: p.id, title: p.title, url: p.url ?? before.url, upvotesThen: before.upvotes, upvotesNow: p.upvotes });
      }
    }
    newPaperCount += fresh.length;
    if (fresh.length > 0) themes.push({ ...theme, papers: fresh });
  }
  // Most upvoted first; ties by id, so the list does not depend on input order.
  stillTrending.sort((a, b) => (b.upvotesNow ?? -1) - (a.upvotesNow ?? -1) || a.paperId.localeCompare(b.paperId));
  for (const id of Object.keys(themeStatus)) if (!themes.some((t) => t.id === id)) delete themeStatus[id];
  return { themed: { ...themed, themes }, stillTrending, themeStatus, newPaperCount };
}
