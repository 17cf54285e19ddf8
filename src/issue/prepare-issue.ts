/**
 * Steps 2 of the issue pipeline (see send-issue.ts): from a digest to a compiled issue.
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
import { applyIssueHistory } from './apply-issue-history.js';

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

/** Groups and compiles a digest into an issue, without issue history (previews, `render`). */
export async function buildIssue(app: App, digest: Digest): Promise<CompiledIssue> {
  const themed = groupDigest(app.config, digest);
  return compileIssue(themed, { templatesDir: app.config.templatesDir, publicUrl: app.config.publicUrl });
}

/** The frozen issue for this digest's date, or a fresh one with issue history applied. */
export async function prepareIssue(app: App, digest: Digest & { date: string }): Promise<PreparedIssue> {
  const store = app.store();
  // 1.
  const stored = await store.getIssue(digest.date);
  if (stored) {
    const compiled = JSON.parse(stored.frozen) as CompiledIssue;
    return { compiled, frozen: true, newPaperCount: compiled.paperCount, repeatCount: 0 };
  }
  // 2.
  const themed = groupDigest(app.config, digest);
  // 3.
  const earlier = await store.findEarlierPapers(
    digest.papers.map((p) => p.id),
    digest.date,
  );
  const recent = await store.recentIssuePapers(digest.date, 7);
  const history = applyIssueHistory(themed, earlier, recent, app.config.repeats);
  // 4.
  const compiled = await compileIssue(history.themed, {
    templatesDir: app.config.templatesDir,
    publicUrl: app.config.publicUrl,
    stillTrending: history.stillTrending,
    themeStatus: history.themeStatus,
  });
  return { compiled, frozen: false, newPaperCount: history.newPaperCount, repeatCount: digest.papers.length - history.newPaperCount };
}
