/**
 * The run's guardrails: a send that is hurting the sender's reputation stops, and keeps the
 * rest for a later run, before the providers stop taking its mail at all.
 *
 * - Hard bounces: in the run's last WINDOW outcomes (sent, bounced, deferred), more than
 *   MAX_HARD_BOUNCE_RATE (default 5%) were refused for good. A list with many dead addresses
 *   (an old import) shows it within a few hundred messages. It is judged once MIN_OUTCOMES
 *   outcomes are in, so the first bounce of a run does not stop it.
 * - Complaints: the complaints recorded for this issue (bounces/, from feedback loops and
 *   webhooks, arriving while the run goes on) are over 0.3% (COMPLAINT_RATE_LINE) of the
 *   messages it had accepted, counted as at least MIN_ACCEPTED: one report in a first batch
 *   of 100 is 1%, but too small a sample to stop a run on (it takes 4 before 1,000 are
 *   accepted). Such an issue is still named in a warning line by every send and run
 *   (cli/complaint-warnings.ts). Looked at when the run starts and every CHECK_EVERY outcomes.
 *
 * Once tripped, `tripped()` says why in one line; the dispatcher treats it as a stop
 * (dispatch-jobs.ts, `halted`), and deliver-issue.ts reports it.
 */
import { COMPLAINT_RATE_LINE, percent } from '../bounces/complaint-rates.js';
import type { AttemptOutcome } from './pacer.js';

/** The meta key under which the line of the guardrail that stopped an issue's last run is kept, for /admin ('' once a run completes). */
export const GUARDRAIL_META_KEY = (issueId: string) => `guardrail:${issueId}`;

/** Outcomes the hard-bounce rate is taken over. */
export const WINDOW = 1000;
/** Outcomes needed before the hard-bounce rate is judged. */
export const MIN_OUTCOMES = 100;
/** The accepted count the complaint rate is taken over, at least. */
export const MIN_ACCEPTED = 1000;
/** Outcomes between two looks at the complaints. */
export const CHECK_EVERY = 1000;

/**
 * MAX_HARD_BOUNCE_RATE as written, a percent with or without its sign ("5%" and "5" are both
 * 5%, "0.5" is 0.5%), as a fraction; throws a one-line reason. A bare number is a percent
 * whatever its size: read as a fraction up to 1, "1" meant 100% (the guardrail off) while
 * "2" meant 2%.
 */
export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0 && n <= 100)) throw new Error('a percent above 0 and at most 100, such as 5% (a bare number is a percent too: 2 is 2%)');
  return n / 100;
}

export interface GuardrailOptions {
  /** MAX_HARD_BOUNCE_RATE, as a fraction (0.05). */
  maxHardBounceRate: number;
  /** The complaint rate line, as a fraction (default 0.003). */
  maxComplaintRate?: number;
  /** Complaints recorded for the issue and the messages it had accepted. */
  complaints?: () => Promise<{ complaints: number; accepted: number }>;
  /** A failed look at the complaints (a store failure): the run stops on it too. */
  onError: (e: unknown) => void;
}

export interface Guardrail {
  /** Each message's final outcome in this run. */
  note(outcome: AttemptOutcome | 'deferred'): void;
  /** Looks at the complaints now. */
  check(): Promise<void>;
  /** Why the run must stop, or null. */
  tripped(): string | null;
}

/** Builds the guardrails of one run; see the file comment. */
export function createGuardrail(o: GuardrailOptions): Guardrail {
  const maxComplaints = o.maxComplaintRate ?? COMPLAINT_RATE_LINE;
  const ring = new Uint8Array(WINDOW);
  let count = 0;
  let hard = 0;
  let since = 0;
  let reason: string | null = null;

  const check = async () => {
    if (!o.complaints || reason) return;
    const { complaints, accepted } = await o.complaints();
    const rate = complaints / Math.max(accepted, MIN_ACCEPTED);
    if (rate > maxComplaints && reason === null) {
      reason = `stopped: ${complaints} complaint(s) recorded for this issue, ${percent(complaints / Math.max(accepted, 1))} of ${accepted} accepted, over the ${percent(maxComplaints)} line; the rest stay queued for a later run (check who is on the list and how they joined)`;
    }
  };

  return {
    note(outcome) {
      const isHard = outcome === 'permanent' ? 1 : 0;
      const slot = count % WINDOW;
      if (count >= WINDOW) hard -= ring[slot]!;
      ring[slot] = isHard;
      hard += isHard;
      count++;
      const n = Math.min(count, WINDOW);
      if (reason === null && n >= MIN_OUTCOMES && hard / n > o.maxHardBounceRate) {
        reason = `stopped: ${hard} hard bounces in the last ${n} outcomes (${percent(hard / n)}), over MAX_HARD_BOUNCE_RATE (${percent(o.maxHardBounceRate)}); the rest stay queued for a later run (clean the list first)`;
      }
      if (++since >= CHECK_EVERY) {
        since = 0;
        check().catch(o.onError);
      }
    },
    check,
    tripped: () => reason,
  };
}
