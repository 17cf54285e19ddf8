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
 *
 * Each function takes only what it reads (TopicInputs, IssueInputs: a few settings and a
 * store() with the issue history), never the App: the commands, the web pages and the
 * scheduler pass theirs, which has both.
 */
import type { Config } from '../config.js';
import type { IssueStore } from '../store/store.js';
import { compileIssue, type CompiledIssue } from '../render/compile-issue.js';
import { assignTopics } from '../topics/assign-topics.js';
import { groupPapers } from '../topics/group-papers.js';
import type { LearnedVocabulary } from '../topics/build-topic-matcher.js';
import { learnVocabulary } from '../topics/learn-vocabulary.js';
import { loadOperatorThemes } from '../topics/load-operator-themes.js';
import { loadTopicMap, type TopicMap } from '../topics/load-topic-map.js';
import type { Digest, ThemedDigest } from '../types.js';
import { applyIssueHistory, type IssueHistoryResult } from './apply-issue-history.js';

/** The issue history the topics stage learns from (role: IssueStore). */
export type TopicHistory = Pick<IssueStore, 'recentIssuePapers'>;
/** The issue history an issue is built against: earlier issues, their papers, the frozen one (role: IssueStore). */
export type IssueHistory = Pick<IssueStore, 'getIssue' | 'findEarlierPapers' | 'recentIssuePapers'>;

/** What the topics stage needs: where the topic map is, how to group without one, and the history. */
export interface TopicInputs {
  config: Pick<Config, 'topicsFile' | 'themesFile' | 'themes'>;
  /** Opened on first use: without a topic map, grouping needs no database. */
  store(): TopicHistory;
}

/** What building an issue needs: the topics stage's inputs, the repeats rule, the templates and the history. */
export interface IssueInputs {
  config: TopicInputs['config'] & Pick<Config, 'repeats' | 'templatesDir' | 'publicUrl' | 'maxPapers'>;
  store(): IssueHistory;
}

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

/** How many earlier issues each topic's vocabulary learns from. */
const LEARN_FROM_ISSUES = 30;

/**
 * The topics stage: each paper into its topic of the map (content/topics.yml, plus the
 * operator's themes.yml), with the vocabulary each topic learned from the papers it carried
 * in the last issues before this digest's date. Without a topic map, day-by-day clusters.
 */
export async function groupDigest(inputs: TopicInputs, digest: Digest): Promise<ThemedDigest> {
  const c = inputs.config;
  const topics = await loadTopicContext(inputs, digest.date);
  if (!topics) return groupPapers(digest, { ...c.themes, operatorThemes: loadOperatorThemes(c.themesFile) });
  return assignTopics(digest, topics);
}

/**
 * The topic map and the vocabulary its topics learned from the papers they carried in the
 * last issues before `date` (all issues when null); null without a topic map.
 */
export async function loadTopicContext(inputs: { config: Pick<Config, 'topicsFile' | 'themesFile'>; store(): TopicHistory }, date: string | null): Promise<{ map: TopicMap; learned: LearnedVocabulary } | null> {
  const c = inputs.config;
  if (c.topicsFile === null) return null;
  const map = loadTopicMap(c.topicsFile, { themesFile: c.themesFile });
  const ids = new Set(map.topics.map((t) => t.id));
  const history = await inputs.store().recentIssuePapers(date ?? '9999-12-31', LEARN_FROM_ISSUES);
  const learned = learnVocabulary(
    history
      .filter((p) => p.themeId && ids.has(p.themeId))
      .map((p) => ({ topicId: p.themeId!, title: p.title, keywords: p.keywords ?? [], abstract: p.abstract ?? '' })),
  );
  return { map, learned };
}

/**
 * Steps 2 and 3: the day's themes with the issue history applied. A digest without a date
 * has no place in the history, so nothing is taken out.
 */
export async function planIssue(inputs: IssueInputs, digest: Digest): Promise<IssueHistoryResult> {
  const themed = await groupDigest(inputs, digest);
  if (!digest.date) return { themed, stillTrending: [], themeStatus: {}, newPaperCount: digest.papers.length };
  const store = inputs.store();
  const earlier = await store.findEarlierPapers(
    digest.papers.map((p) => p.id),
    digest.date,
  );
  const recent = await store.recentIssuePapers(digest.date, 7);
  return applyIssueHistory(themed, earlier, recent, inputs.config.repeats);
}

/** The frozen issue for this digest's date, or a fresh one with issue history applied. */
export async function prepareIssue(inputs: IssueInputs, digest: Digest): Promise<PreparedIssue> {
  // 1.
  const stored = digest.date ? await inputs.store().getIssue(digest.date) : null;
  if (stored) {
    const compiled = JSON.parse(stored.frozen) as CompiledIssue;
    return { compiled, frozen: true, newPaperCount: compiled.paperCount, repeatCount: 0 };
  }
  // 2 and 3.
  const history = await planIssue(inputs, digest);
  // 4.
  const compiled = await compileIssue(history.themed, {
    templatesDir: inputs.config.templatesDir,
    publicUrl: inputs.config.publicUrl,
    maxPapers: inputs.config.maxPapers,
    stillTrending: history.stillTrending,
    themeStatus: history.themeStatus,
  });
  return { compiled, frozen: false, newPaperCount: history.newPaperCount, repeatCount: digest.papers.length - history.newPaperCount };
}
