/**
 * One reader's copy of an issue as data (issue #20): their picks (paper id, title, score and
 * reason) and their sections with the ids of the papers shown, in the order the copy shows
 * them. `paperpost render --subscriber EMAIL --json` prints it, and /admin's subscriber page
 * shows the same, so an operator can see why a reader got what they got.
 */
import type { ReaderPlan } from '../picks/reader-plan.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import { layOutCopy } from '../render/lay-out-copy.js';

/** A reader's copy as data; null sections: the issue has nothing for them. */
export interface ReaderCopyDescription {
  issueId: string;
  picks: { paperId: string; title: string; score: number; reason: string }[];
  sections: { id: string; label: string; paperIds: string[]; more: number }[] | null;
  /** True when the issue was frozen before cards: its copies show no picks and keep the day's order. */
  withoutPlans: boolean;
}

/** Describes the copy of a reader who follows `themes` with `plan`. */
export function describeReaderCopy(compiled: CompiledIssue, themes: string[] | null, plan: ReaderPlan): ReaderCopyDescription {
  const layout = layOutCopy(compiled, { themes, plan });
  const titles = new Map(compiled.themes.flatMap((t) => t.papers.map((p) => [p.id, p.title] as const)));
  const scoreOf = new Map(plan.picks.map((p) => [p.paperId, p.score]));
  return {
    issueId: compiled.id,
    picks: (layout?.picks ?? []).map((p) => ({ paperId: p.paperId, title: titles.get(p.paperId) ?? '', score: scoreOf.get(p.paperId) ?? 0, reason: p.reason ?? '' })),
    sections: layout
      ? layout.sections.map((s, i) => ({
          id: s.id,
          label: s.label,
          paperIds: layout.cards[i]!.length > 0 || compiled.cards ? layout.cards[i]!.map((c) => c.paperId) : (compiled.themes.find((t) => t.id === s.id)?.papers.slice(0, layout.shown[i]).map((p) => p.id) ?? []),
          more: layout.more[i]!,
        }))
      : null,
    withoutPlans: !compiled.cards,
  };
}
