/**
 * JobRuns: one record per run of the daily job, unique per scheduled time, so that of several
 * schedulers exactly one runs a tick and a catch-up happens at most once.
 */

/** One run of the daily job, for catch-up decisions and the operator's history. */
export interface JobRun {
  id: number;
  /** The cron time this run was for (ISO), or null for a manual run. */
  scheduledFor: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** 'sent', 'nothing-new', 'not-sent', 'failed', 'interrupted', or null while running. */
  outcome: string | null;
  issueId: string | null;
  detail: string | null;
}

/**
 * startRun for a scheduled time that already has a run: another scheduler (or an earlier
 * start of this one) took that tick. Both stores throw it, so the scheduler need not know
 * which database said so.
 */
export class DuplicateRunError extends Error {
  constructor(readonly scheduledFor: string, options: { cause?: unknown } = {}) {
    super(`a run for ${scheduledFor} is already recorded`, options);
    this.name = 'DuplicateRunError';
  }
}

export interface JobRuns {
  /** Starts a run record; returns its id. Throws DuplicateRunError when `scheduledFor` has a run already. */
  startRun(scheduledFor: string | null): Promise<number>;
  finishRun(id: number, outcome: string, issueId: string | null, detail: string | null): Promise<void>;
  /** The run recorded for this scheduled time, if any (a catch-up happens at most once). */
  findRunFor(scheduledFor: string): Promise<JobRun | null>;
  lastRuns(count: number): Promise<JobRun[]>;
}
