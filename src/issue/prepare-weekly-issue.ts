/**
 * A weekly issue (docs/CONTEXT.md): the week's best papers by topic, for readers who chose a
 * weekly cadence. It is built from what the week's daily issues carried, not from the digests
 * again: the frozen daily issues are what readers of that week were sent, so a weekly reader
 * gets the same papers, whatever happened to the digest folder since. Like a daily issue it is
 * frozen at its first send (its id is the ISO week, `2026-W49`), delivered through the same
 * ledger, and archived at /archive/week/<id>.
 *
 * 1. reuse the weekly issue frozen at its first send, if there is one;
 * 2. collect the papers the week's frozen daily issues carried in full (a paper carried twice
 *    keeps its latest copy: the newer upvotes);
 * 3. leave out every paper the previous weekly issue carried;
 * 4. place them in the topic map and rank each section (the topics stage, as for a day:
 *    topics/assign-topics.ts with topics/rank-papers.ts), so a section's best come first;
 * 5. compile it under the same per-reader budget (MAX_PAPERS) as a daily copy, with the week's
 *    id, web page and date line, and a subject that says "week of …".
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addWeeks, daysOfWeek, isWeekId } from '../iso-week.js';
import { compileIssue, type CompiledIssue, type IssueEdition } from '../render/compile-issue.js';
import { formatDate } from '../render/format-date.js';
import { templateFile } from '../render/load-templates.js';
import { checkLineTemplate, personalizeIssue } from '../render/personalize-issue.js';
import type { IssueStore } from '../store/store.js';
import { sampleRecipient } from '../subscribers/recipient.js';
import type { Paper } from '../types.js';
import { groupDigest, type IssueInputs, type PreparedIssue } from './prepare-issue.js';

/** What building a weekly issue reads (role: IssueStore): the frozen issues, and the history the topics stage learns from. */
export type WeeklyHistory = Pick<IssueStore, 'getIssue' | 'listIssueIds' | 'recentIssuePapers'>;

/** What building a weekly issue needs: a daily issue's settings, and the stored issues. */
export interface WeeklyInputs {
  config: IssueInputs['config'];
  store(): WeeklyHistory;
}

/** A weekly issue ready to deliver, and what it was built from. */
export interface PreparedWeeklyIssue extends PreparedIssue {
  weekId: string;
  /** The daily issues of the week it was made from (none when it was frozen already). */
  dailyIssues: string[];
  /** The weekly issue whose papers were left out, or null. */
  previousWeekly: string | null;
}

/**
 * The subject of a weekly copy (the same helpers as templates/subject.txt.hbs); a
 * `subject-weekly.txt.hbs` in TEMPLATES_DIR replaces it.
 */
export const WEEKLY_SUBJECT =
  '{{#fitTopics themes 70}}Trending papers, week of {{formatDate date "short"}}: {{plural paperCount "paper"}} on {{topics}}{{else}}Trending papers, week of {{formatDate date "short"}}: {{plural paperCount "paper"}}{{/fitTopics}}';

/** The web page of a weekly issue. */
export const weeklyWebUrl = (publicUrl: string, weekId: string) => `${publicUrl.replace(/\/+$/, '')}/archive/week/${weekId}`;

/** A weekly issue's id, web page and date line ("Week of Dec 7, 2026"), for the email and its web page. */
export function weeklyEdition(publicUrl: string, weekId: string): IssueEdition {
  const monday = daysOfWeek(weekId)[0]!;
  return { id: weekId, webUrl: weeklyWebUrl(publicUrl, weekId), dateLabel: `Week of ${formatDate(monday, 'medium')}`, shortDate: `week of ${formatDate(monday, 'short')}` };
}

/** Every paper an issue carried in full (its sections, not "Still trending"). */
const papersOf = (compiled: CompiledIssue): Paper[] => compiled.themes.flatMap((t) => t.papers);

/** The weekly issue before `weekId` that is stored (frozen), or null. */
async function previousWeeklyIssue(store: WeeklyHistory, weekId: string): Promise<{ id: string; compiled: CompiledIssue } | null> {
  const earlier = (await store.listIssueIds()).map((i) => i.id).filter((id) => isWeekId(id) && id < weekId);
  earlier.sort();
  const id = earlier.pop();
  const stored = id ? await store.getIssue(id) : null;
  return stored ? { id: stored.id, compiled: JSON.parse(stored.frozen) as CompiledIssue } : null;
}

/** The frozen weekly issue for `weekId`, or a fresh one; see the file comment for the steps. */
export async function prepareWeeklyIssue(inputs: WeeklyInputs, weekId: string): Promise<PreparedWeeklyIssue> {
  if (!isWeekId(weekId)) throw new Error(`${JSON.stringify(weekId)} is not an ISO week such as 2026-W49`);
  const store = inputs.store();
  // 1.
  const stored = await store.getIssue(weekId);
  if (stored) {
    const compiled = JSON.parse(stored.frozen) as CompiledIssue;
    return { compiled, frozen: true, newPaperCount: compiled.paperCount, repeatCount: 0, weekId, dailyIssues: [], previousWeekly: null };
  }
  // 2.
  const days = daysOfWeek(weekId);
  const papers = new Map<string, Paper>();
  const dailyIssues: string[] = [];
  for (const day of days) {
    const daily = await store.getIssue(day);
    if (!daily) continue;
    dailyIssues.push(day);
    for (const p of papersOf(JSON.parse(daily.frozen) as CompiledIssue)) {
      papers.delete(p.id);
      papers.set(p.id, p);
    }
  }
  // 3.
  const previous = await previousWeeklyIssue(store, weekId);
  let repeatCount = 0;
  if (previous) {
    for (const p of papersOf(previous.compiled)) if (papers.delete(p.id)) repeatCount++;
  }
  // 4. The topics learn from every issue before the week is over; the issue is dated by its Monday.
  const nextMonday = daysOfWeek(addWeeks(weekId, 1))[0]!;
  const themed = await groupDigest(inputs, { date: nextMonday, source: `the daily issues of ${weekId}`, papers: [...papers.values()] });
  themed.date = days[0]!;
  // 5.
  const c = inputs.config;
  const compiled = await compileIssue(themed, {
    templatesDir: c.templatesDir,
    publicUrl: c.publicUrl,
    maxPapers: c.maxPapers,
    edition: weeklyEdition(c.publicUrl, weekId),
  });
  const weekly: CompiledIssue = { ...compiled, subjectTemplate: weeklySubjectTemplate(c.templatesDir) };
  const sample = personalizeIssue(weekly, sampleRecipient(c.publicUrl.replace(/\/+$/, '')));
  if (sample) {
    weekly.subject = sample.subject;
    weekly.preheader = sample.preheader;
  }
  return { compiled: weekly, frozen: false, newPaperCount: papers.size, repeatCount, weekId, dailyIssues, previousWeekly: previous?.id ?? null };
}

/** TEMPLATES_DIR's subject-weekly.txt.hbs (checked: an error names that file), or the built-in one. */
function weeklySubjectTemplate(templatesDir: string): string {
  const file = path.join(templatesDir, 'subject-weekly.txt.hbs');
  if (!existsSync(file)) return WEEKLY_SUBJECT;
  const source = readFileSync(file, 'utf8').trim();
  checkLineTemplate(source, templateFile(templatesDir, 'subject-weekly.txt.hbs'));
  return source;
}
