/**
 * The plans of an issue's readers (issue #20): the port every path that makes copies calls, a
 * batch of readers at a time, so a send of 100,000 readers reads their signals in a few hundred
 * queries and keeps one batch of plans in memory.
 *
 * 1. Once per issue: index the day's papers (picks/plan-reader.ts indexDay): every paper of the
 *    issue, its section (topic id and label) and its place in the day's order.
 * 2. Per batch: read the signals of all its readers at once (ReaderSignals.signalsOfMany), then
 *    plan each reader from their signals and topics (planReader). A reader with no signals and
 *    every topic gets EMPTY_PLAN: today's copy. Such a reader is known by their signals alone
 *    (no follow, fewer ratings than a model needs), so the day is indexed (step 1: the topic
 *    matcher, the day's vectors, a good part of a second) only when a batch has someone else.
 * 3. planOf(reader) gives a planned reader's plan to whoever builds their recipient.
 *
 * An issue frozen before cards existed cannot show plans (render/lay-out-copy.ts): every reader
 * of it gets EMPTY_PLAN, and no signal is read.
 */
import type { Config } from '../config.js';
import type { DayIndex } from '../picks/plan-reader.js';
import { EMPTY_PLAN, saidNothing, type ReaderPlan } from '../picks/reader-plan.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import type { ReaderSignals } from '../store/roles/reader-signals.js';
import type { TopicMatcher } from '../topics/build-topic-matcher.js';
import { IO_SLICE, yieldToIo } from '../yield-to-io.js';

/** What planning reads of the store (role: ReaderSignals). */
export type SignalReads = Pick<ReaderSignals, 'signalsOfMany'>;

/** What planning needs: how many picks, and the readers' signals (null: the store keeps none, so plans come from topics alone). */
export interface PlanPorts {
  config: Pick<Config, 'picks'>;
  readerSignals(): SignalReads | null;
  /**
   * The topic matcher of the map the issue was grouped with (its learned vocabulary included),
   * so a rated paper of an earlier issue counts for its topic in the reader's model; absent or
   * null: rated papers have no topic feature (the model is then weaker, never wrong).
   */
  topicMatcher?(): Promise<TopicMatcher | null>;
}

/** Who is planned: a subscriber (or any reader with an id) and the topics they follow. */
export interface PlannedReader {
  id: number | null;
  themes: string[] | null;
}

/** The plans of one issue's readers, a batch at a time. */
export interface ReaderPlanner {
  /** Step 2: reads the batch's signals and plans every reader in it (replacing the batch before). */
  planBatch(readers: readonly PlannedReader[]): Promise<void>;
  /** Step 3: the plan of a reader of the last batch; EMPTY_PLAN for anyone else. */
  planOf(reader: PlannedReader): ReaderPlan;
}

/** Step 1, with the port; see the file comment. */
export function createReaderPlanner(compiled: CompiledIssue, ports: PlanPorts): ReaderPlanner {
  const picks = ports.config.picks;
  // The planning code (and the topics stage's tokenizer behind it) is loaded with the first reader to plan.
  let day: Promise<{ index: DayIndex; planReader: typeof import('../picks/plan-reader.js').planReader }> | null = null;
  const dayOf = () =>
    (day ??= (async () => {
      const { indexDay, planReader } = await import('../picks/plan-reader.js');
      const index = indexDay(
        compiled.themes.flatMap((t) => t.papers.map((paper) => ({ paper, topicId: t.other ? null : t.id, topicLabel: t.other ? null : t.label }))).map((p, rank) => ({ ...p, rank })),
        { matcher: (await ports.topicMatcher?.()) ?? undefined },
      );
      return { index, planReader };
    })());
  let plans = new Map<number, ReaderPlan>();
  return {
    async planBatch(readers) {
      plans = new Map();
      if (!compiled.cards || picks <= 0) return;
      const ids = readers.flatMap((r) => (r.id === null ? [] : [r.id]));
      const signals = ids.length > 0 ? ((await ports.readerSignals()?.signalsOfMany(ids)) ?? new Map()) : new Map();
      // Most batches of most lists say nothing: known from their signals, without loading the planning code.
      if (readers.every((r) => r.id === null || saidNothing(signals.get(r.id), r.themes))) return;
      const { index, planReader } = await dayOf();
      let planned = 0;
      for (const r of readers) {
        if (r.id === null) continue;
        // A few readers at a time: a send's replies are answered in between (yield-to-io.ts).
        if (++planned % IO_SLICE === 0) await yieldToIo();
        const plan = planReader(index, { signals: signals.get(r.id) ?? null, topics: r.themes }, { picks });
        if (plan !== EMPTY_PLAN) plans.set(r.id, plan);
      }
    },
    planOf: (reader) => (reader.id === null ? EMPTY_PLAN : (plans.get(reader.id) ?? EMPTY_PLAN)),
  };
}

/** Plans one reader (`render`, a test copy, /admin): a batch of one. */
export async function planOne(compiled: CompiledIssue, ports: PlanPorts, reader: PlannedReader): Promise<ReaderPlan> {
  const planner = createReaderPlanner(compiled, ports);
  await planner.planBatch([reader]);
  return planner.planOf(reader);
}
