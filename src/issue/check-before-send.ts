/**
 * The gate before a send (issue #22): `send` and each daily run check the copies they are
 * about to make, with the pre-send checks of render/checks/, before the issue is frozen and
 * the first message goes out. With SEND_CHECKS=fail (the default) an error stops the send
 * with one line per problem and exit 1; with SEND_CHECKS=warn it is printed and the send goes
 * on. Warnings never stop anything.
 *
 * Which copies: every copy plan the send will make (subscribers/recipient.ts copyPlanKey:
 * the topics followed), each with and without a name, since templates may branch on it. Each
 * is checked once, as the first active subscriber with that plan gets it: a real recipient,
 * so their signed links (unsubscribe, preferences) are checked too. Up to MAX_CHECKED_COPIES
 * plans; past that, the rest are counted and said to be unchecked. With no active subscriber,
 * a preview reader's copy is checked.
 *
 * 1. take the first active, unsuppressed subscriber of each copy plan (the store groups them);
 * 2. build each one's copy and message (deliver/build-checked-copy.ts) and check it;
 * 3. merge what the copies found: one line per kind of problem, with how many copies have it;
 * 4. stop (SendChecksError) or return the lines to print.
 */
import type { Config } from '../config.js';
import { PaperpostError } from '../errors.js';
import { buildCheckedCopy, type CheckedCopySettings } from '../deliver/build-checked-copy.js';
import { checkCopy } from '../render/checks/check-copy.js';
import { sortProblems, type CheckProblem } from '../render/checks/check-problem.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import type { SubscriberStore } from '../store/store.js';
import { copyPlanKey, previewReader, recipientFor, type Reader } from '../subscribers/recipient.js';
import { plural } from '../plural.js';

/** Copy plans checked at most per send; a list with more plans has the rest counted, unchecked. */
export const MAX_CHECKED_COPIES = 200;

/** What the gate reads: the message settings, SEND_CHECKS, and the active subscribers. */
export interface SendCheckPorts {
  config: CheckedCopySettings & Partial<Pick<Config, 'sendChecks'>>;
  store(): Pick<SubscriberStore, 'firstByThemesAndName'>;
}

/** What the gate found. */
export interface SendCheckReport {
  mode: 'fail' | 'warn';
  /** Copies checked (one per copy plan, up to MAX_CHECKED_COPIES). */
  checked: number;
  /** Copy plans among the active subscribers (more than `checked` when there were too many). */
  plans: number;
  problems: CheckProblem[];
}

/** The gate stopped a send: one line per error. Exit 1. */
export class SendChecksError extends PaperpostError {
  readonly report: SendCheckReport;

  constructor(issueId: string, report: SendCheckReport) {
    const errors = report.problems.filter((p) => p.level === 'error');
    super('CHECKS', `the pre-send checks stopped issue ${issueId}: ${plural(errors.length, 'problem')} in ${describeCoverage(report)}:\n  ${errors.map((p) => `${p.check}: ${p.message}`).join('\n  ')}`, {
      hint: 'fix the templates (paperpost preview shows these checks as you edit), or set SEND_CHECKS=warn to send anyway',
      exitCode: 1,
    });
    this.report = report;
  }
}

/** "3 copies checked (every copy plan of the list)". */
export function describeCoverage(r: Pick<SendCheckReport, 'checked' | 'plans'>): string {
  if (r.plans === 0) return 'the copy of a reader of every topic (no active subscribers)';
  const what = `${plural(r.checked, 'copy', 'copies')} checked`;
  return r.checked < r.plans ? `${what} (the first ${r.checked} of ${r.plans} copy plans; the rest unchecked)` : `${what} (every copy plan of the list)`;
}

/** The kind of a problem, for merging across copies: its words up to the first specifics. */
const kindOf = (p: CheckProblem) => `${p.level} ${p.check} ${p.message.split(/[:(]/)[0]}`;

/** Runs the gate on the copies a send of `compiled` will make; throws SendChecksError to stop it. */
export async function checkBeforeSend(ports: SendCheckPorts, compiled: CompiledIssue): Promise<SendCheckReport> {
  const mode = ports.config.sendChecks ?? 'fail';
  // 1.
  const plansSeen = new Set<string>();
  const readers: Reader[] = [];
  // The database gives the first of each (topics as stored, named or not): one per copy plan or
  // more (topics stored in another order or case key the same plan), in id order, so the first
  // with each key below is the list's first reader of that plan, without reading the whole list.
  for (const sub of await ports.store().firstByThemesAndName({ status: 'active', suppressed: false })) {
    // The plan as the composer keys its variants (copyPlanKey of the recipient), so whatever joins the copy plan later (picks) is followed here too.
    // Keyed from the reader's plan alone (what recipientFor copies into the recipient).
    const key = `${copyPlanKey(sub)}\u0001${sub.name ? 'named' : 'unnamed'}`;
    if (plansSeen.has(key)) continue;
    plansSeen.add(key);
    if (readers.length < MAX_CHECKED_COPIES) readers.push(sub);
  }
  const plans = plansSeen.size;
  if (readers.length === 0) readers.push(previewReader());
  // 2 and 3.
  const kinds = new Map<string, { problem: CheckProblem; copies: number }>();
  let checked = 0;
  for (const reader of readers) {
    const built = buildCheckedCopy(ports.config, compiled, recipientFor(ports.config, reader), reader.id);
    if (!built) continue;
    checked++;
    const headers = { ...built.check.headers };
    delete headers.subject; // the subject itself is checked; its header would repeat each finding
    for (const problem of checkCopy({ ...built.check, headers })) {
      const kind = kinds.get(kindOf(problem));
      if (kind) kind.copies++;
      else kinds.set(kindOf(problem), { problem, copies: 1 });
    }
  }
  const problems = sortProblems(
    [...kinds.values()].map(({ problem, copies }) => (copies < checked ? { ...problem, message: `${problem.message} (in ${copies} of ${checked} copies)` } : problem)),
  );
  const report: SendCheckReport = { mode, checked, plans, problems };
  // 4.
  if (mode === 'fail' && problems.some((p) => p.level === 'error')) throw new SendChecksError(compiled.id, report);
  return report;
}
