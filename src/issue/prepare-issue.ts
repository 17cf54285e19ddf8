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
 * Steps 2 and 4 are the slow part of a start-up; each is a pure function of its inputs, so
 * their results are kept on disk between processes (issue-cache.ts), and the stages are loaded
 * only when something must be computed.
 *
 * Each function takes only what it reads (TopicInputs, IssueInputs: a few settings and a
 * store() with the issue history), never the App: the commands, the web pages and the
 * scheduler pass theirs, which has both.
 */
import type { Config } from '../config.js';
import type { IssueStore } from '../store/store.js';
import type { CompiledIssue, CompileOptions } from '../render/compile-issue.js';
import type { LearnedVocabulary } from '../topics/build-topic-matcher.js';
import type { PastAssignment } from '../topics/learn-vocabulary.js';
import type { TopicMap } from '../topics/load-topic-map.js';
import { readTopicMap } from '../topics/read-topic-map.js';
import type { Digest, ThemedDigest } from '../types.js';
import { applyIssueHistory, type IssueHistoryResult } from './apply-issue-history.js';
import { compileKey, groupingKey, keepCompiled, keepGrouping, readCompiled, readGrouping } from './issue-cache.js';

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
 * With a map, the result is read from the cache when these very inputs were grouped before.
 */
export async function groupDigest(inputs: TopicInputs, digest: Digest): Promise<ThemedDigest> {
  const c = inputs.config;
  if (c.topicsFile === null) {
    const [{ groupPapers }, { loadOperatorThemes }] = await Promise.all([import('../topics/group-papers.js'), import('../topics/load-operator-themes.js')]);
    return groupPapers(digest, { ...c.themes, operatorThemes: loadOperatorThemes(c.themesFile) });
  }
  const map = await readTopicMap(c.topicsFile, { themesFile: c.themesFile });
  const history = await pastAssignments(inputs, map, digest.date);
  const key = groupingKey(digest, map, history);
  const kept = readGrouping(key, digest);
  if (kept) return kept;
  const [{ assignTopics }, { learnVocabulary }] = await Promise.all([import('../topics/assign-topics.js'), import('../topics/learn-vocabulary.js')]);
  const themed = assignTopics(digest, { map, learned: learnVocabulary(history) });
  keepGrouping(key, digest, themed);
  return themed;
}

/** The papers the map's topics carried in the last issues before `date` (all issues when null): what their vocabulary is learned from. */
async function pastAssignments(inputs: { store(): TopicHistory }, map: TopicMap, date: string | null): Promise<PastAssignment[]> {
  const ids = new Set(map.topics.map((t) => t.id));
  const history = await inputs.store().recentIssuePapers(date ?? '9999-12-31', LEARN_FROM_ISSUES);
  return history
    .filter((p) => p.themeId && ids.has(p.themeId))
    .map((p) => ({ topicId: p.themeId!, title: p.title, keywords: p.keywords ?? [], abstract: p.abstract ?? '' }));
}

/**
 * The topic map and the vocabulary its topics learned from the papers they carried in the
 * last issues before `date` (all issues when null); null without a topic map.
 */
export async function loadTopicContext(inputs: { config: Pick<Config, 'topicsFile' | 'themesFile'>; store(): TopicHistory }, date: string | null): Promise<{ map: TopicMap; learned: LearnedVocabulary } | null> {
  const c = inputs.config;
  if (c.topicsFile === null) return null;
  const map = await readTopicMap(c.topicsFile, { themesFile: c.themesFile });
  const history = await pastAssignments(inputs, map, date);
  const { learnVocabulary } = await import('../topics/learn-vocabulary.js');
  return { map, learned: learnVocabulary(history) };
}

/** compileIssue, read from the cache when these very themes were compiled with these templates before. */
async function compileCached(themed: ThemedDigest, options: CompileOptions): Promise<CompiledIssue> {
  const key = compileKey(themed, options);
  const kept = key === null ? null : readCompiled(key);
  if (kept) return kept;
  const { compileIssue } = await import('../render/compile-issue.js');
  const compiled = await compileIssue(themed, options);
  if (key !== null) keepCompiled(key, compiled);
  return compiled;
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
  const compiled = await compileCached(history.themed, {
    templatesDir: inputs.config.templatesDir,
    publicUrl: inputs.config.publicUrl,
    maxPapers: inputs.config.maxPapers,
    stillTrending: history.stillTrending,
    themeStatus: history.themeStatus,
  });
  return { compiled, frozen: false, newPaperCount: history.newPaperCount, repeatCount: digest.papers.length - history.newPaperCount };
}
