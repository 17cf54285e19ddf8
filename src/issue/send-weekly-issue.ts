/**
 * Sending a weekly issue (`paperpost send --weekly [<YYYY-Www>]`, and the scheduler's weekly
 * step on every tick): the weekly counterpart of send-issue.ts, sharing its freeze-and-deliver
 * steps (deliver-prepared.ts) and so its ledger, its Message-IDs and its locks.
 *
 * 1. Which week: the one given, or the last full week before `today` (YYYY-MM-DD in TZ).
 * 2. Build it, or reuse it frozen (prepare-weekly-issue.ts).
 * 3. Who gets it today: the weekly readers whose weekday has come in the week after it
 *    (issue-audience.ts); before that week nobody, so a week is never sent before it is over.
 * 4. Not sent, with why, when the week had no daily issue, when every paper was in the previous
 *    weekly issue, or when nobody's day has come (an issue is never frozen for nobody).
 *    A test copy (`send --weekly --to`) of such a week is bad input instead: one asked for
 *    a copy, and there is nothing to show.
 * 5. A test copy: one copy to one address, as `send --to` sends a daily one
 *    (deliver/send-test-copy.ts): "[TEST]" in its subject, a Message-ID of its own, outside the
 *    ledger and without freezing the issue, so it is nobody's weekly issue and a reader it
 *    went to still gets theirs. Any week with daily issues, the week in progress too (its
 *    days so far, as `render --weekly` shows it), whoever's day it is.
 * 6. Otherwise freeze and deliver it (or, for --dry-run, count who would get it now) to the
 *    readers of that audience the ledger says are owed it (weekly-owed.ts): not to a reader who
 *    had the week as daily issues, nor to one who was sent another week today.
 */
import { lastFullWeek, localDate } from '../iso-week.js';
import type { DeliverySummary } from '../deliver/deliver-issue.js';
import { sendTestCopy } from '../deliver/send-test-copy.js';
import { InputError } from '../errors.js';
import { countWouldSend } from './count-would-send.js';
import { planOne } from './plan-readers.js';
import { deliverPrepared, type DeliverPreparedOptions } from './deliver-prepared.js';
import { audienceCadences, audienceOf } from './issue-audience.js';
import { prepareWeeklyIssue, type PreparedWeeklyIssue, type WeeklyInputs } from './prepare-weekly-issue.js';
import type { SendIssuePorts } from './send-issue.js';
import { weeklyOwed, type WeeklyOwed } from './weekly-owed.js';
import type { Subscriber } from '../types.js';

/** What a weekly send uses: what a daily send uses, without the digest. */
export type SendWeeklyPorts = Omit<SendIssuePorts, 'config'> & { config: Omit<SendIssuePorts['config'], 'digestSource' | 'http' | 'sendEmpty'> } & WeeklyInputs;

/** Options of one weekly send. */
export interface SendWeeklyOptions extends Pick<DeliverPreparedOptions, 'limit' | 'signal' | 'onProgress' | 'joinOnly'> {
  /** The week (YYYY-Www); default: the last full week before `today`. */
  weekId?: string;
  /** The local date that decides the week and who gets it; default: today in TZ. */
  today?: string;
  dryRun?: boolean;
  /** Send one test copy of the week here instead (step 5), outside the ledger. */
  to?: string;
  /** The catch-up of an overdue week: only readers subscribed on their day of the week it was due (weekly-owed.ts, rule 3). */
  overdue?: boolean;
}

/** What a weekly send did. */
export interface WeeklySendReport {
  issueId: string;
  subject: string;
  mode: 'send' | 'dry-run' | 'test' | 'not-sent';
  reason?: string;
  /** For a test copy: the week is not over, so the copy has its daily issues so far. */
  weekInProgress?: boolean;
  frozeNow: boolean;
  wouldSend?: number;
  summary?: DeliverySummary;
  /** How many active weekly readers it is for today (whatever the ledger says). */
  audience: number;
  prepared: PreparedWeeklyIssue;
  renderWarnings: string[];
  htmlBytes: number;
}

/** The readers of `subscribers` the ledger says are owed the issue (a dry run's count, as the send decides it). */
async function* owedOnly(subscribers: AsyncIterable<Subscriber>, owed: WeeklyOwed): AsyncIterable<Subscriber> {
  for await (const s of subscribers) {
    await owed.load([s]);
    if (owed.owes(s)) yield s;
  }
}

/** Sends (or counts) one weekly issue; see the file comment for the steps. */
export async function sendWeeklyIssue(ports: SendWeeklyPorts, options: SendWeeklyOptions = {}): Promise<WeeklySendReport> {
  // 1.
  const today = options.today ?? localDate(new Date(), ports.config.timeZone);
  const weekId = options.weekId ?? lastFullWeek(today);
  // 2.
  const prepared = await prepareWeeklyIssue(ports, weekId);
  const { compiled } = prepared;
  // 3.
  const cadence = audienceCadences(weekId, today);
  const store = ports.store();
  const audience = cadence.length ? await store.countSubscribers({ status: 'active', suppressed: false, cadence }) : 0;
  const base = { issueId: weekId, subject: compiled.subject, prepared, audience, renderWarnings: compiled.warnings, htmlBytes: compiled.htmlBytes, frozeNow: false };
  // 4.
  if (!prepared.frozen) {
    const nothing =
      prepared.dailyIssues.length === 0
        ? `no daily issue of ${weekId} is stored, so there is no week to send`
        : prepared.newPaperCount === 0
          ? `all ${prepared.repeatCount} papers of ${weekId} were in the weekly issue ${prepared.previousWeekly}`
          : null;
    if (nothing && options.to !== undefined) throw new InputError(`no test copy of weekly issue ${weekId}: ${nothing}`, 'give a week whose daily issues were sent (paperpost render --weekly YYYY-Www shows a week)');
    if (nothing) return { ...base, mode: 'not-sent', reason: nothing };
  }
  // 5.
  if (options.to !== undefined) {
    await sendTestCopy({ ...ports, planOf: (reader) => planOne(compiled, ports, reader) }, compiled, options.to);
    return { ...base, mode: 'test', weekInProgress: !prepared.frozen && cadence.length === 0 };
  }
  if (cadence.length === 0) return { ...base, mode: 'not-sent', reason: `${weekId} is not over yet: its weekly readers get it in the week after, each on their day` };
  if (audience === 0 && !options.dryRun) return { ...base, mode: 'not-sent', reason: `no active weekly reader's day has come yet for ${weekId} (by ${today})` };
  // 6.
  const issueIds = (await (ports as WeeklyInputs).store().listIssueIds()).map((i) => i.id);
  const owed = weeklyOwed({ ledger: store, issueIds, timeZone: ports.config.timeZone }, weekId, today, { overdue: options.overdue });
  if (options.dryRun) {
    const subscribers = owedOnly(store.listSubscribers({ status: 'active', suppressed: false, cadence }), owed);
    const wouldSend = await countWouldSend(ports, compiled, subscribers, audienceOf(weekId, today), options.limit);
    return { ...base, mode: 'dry-run', wouldSend };
  }
  const { summary, frozeNow } = await deliverPrepared(ports, prepared, { ...options, today, owed });
  return { ...base, mode: 'send', frozeNow, summary };
}
