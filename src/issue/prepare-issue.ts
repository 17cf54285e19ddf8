/**
 * Step 2 of the issue pipeline (see send-issue.ts): from a digest to a compiled issue. One
 * code path for everything that shows or sends an issue (`render`, the /admin preview,
 * `send --dry-run`, `send`, the scheduler), so all of them agree on the subject, the
 * sections and the papers.
 *
 * 1. reuse the issue frozen at its first send, if there is one: a resend after a crash uses
 *    exactly the same content, whatever happened to the templates since;
 * 2. otherwise group the day's papers into themes (topics/);
 * 3. take out the papers earlier issues already carried (issue history);
 * 4. compile the templates once for the issue (render/).
 */
import type { App } from '../app.js';
import type { Config } from '../config.js';
import { compileIssue, type CompiledIssue } from '../render/compile-issue.js';
import { groupPapers } from '../topics/group-papers.js';
import { loadOperatorThemes } from '../topics/load-operator-themes.js';
import type { Digest } from '../types.js';
import { applyIssueHistory, type IssueHistoryResult } from './apply-issue-history.js';

/** An issue ready to deliver, and what building it found. */
export interface PreparedIssue {
  compiled: CompiledIssue;
  /** True when the issue was frozen by an earlier send. */
  frozen: boolean;
  /** Papers carried in full; 0 means every paper was already sent in an earlier issue. */
  newPaperCount: number;
  /** Papers moved to "Still trending" (or dropped) because an earlier issue carried them. */
  repeatCount: number;
}

/** The topics stage with the configured parameters and the operator's themes.yml. */
export function groupDigest(config: Config, digest: Digest) {
  return groupPapers(digest, { ...config.themes, operatorThemes: loadOperatorThemes(config.themesFile) });
}

/**
 * Steps 2 and 3: the day's themes with the issue history applied. A digest without a date
 * has no place in the history, so nothing is taken out.
 */
export async function planIssue(app: App, digest: Digest): Promise<IssueHistoryResult> {
  const themed = groupDigest(app.config, digest);
  if (!digest.date) return { themed, stillTrending: [], themeStatus: {}, newPaperCount: digest.papers.length };
  const store = app.store();
  const earlier = await store.findEarlierPapers(
    digest.papers.map((p) => p.id),
    digest.date,
  );
  const recent = await store.recentIssuePapers(digest.date, 7);
  return applyIssueHistory(themed, earlier, recent, app.config.repeats);
}

/** The frozen issue for this digest's date, or a fresh one with issue history applied. */
export async function prepareIssue(app: App, digest: Digest): Promise<PreparedIssue> {
  // 1.
  const stored = digest.date ? await app.store().getIssue(digest.date) : null;
  if (stored) {
    const compiled = JSON.parse(stored.frozen) as CompiledIssue;
    return { compiled, frozen: true, newPaperCount: compiled.paperCount, repeatCount: 0 };
  }
  // 2 and 3.
  const history = await planIssue(app, digest);
  // 4.
  const compiled = await compileIssue(history.themed, {
    templatesDir: app.config.templatesDir,
    publicUrl: app.config.publicUrl,
    stillTrending: history.stillTrending,
    themeStatus: history.themeStatus,
  });
  return { compiled, frozen: false, newPaperCount: history.newPaperCount, repeatCount: digest.papers.length - history.newPaperCount };
}
