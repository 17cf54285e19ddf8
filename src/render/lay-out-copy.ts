/**
 * Which papers one reader's copy shows, and in what order: the copy plan (the topics they
 * follow, their ReaderPlan) laid out over a compiled issue under its length budget. It is the
 * one place that decides this, so the plain render (personalize-issue.ts), the composer's
 * assembly from blocks (deliver/create-issue-composer.ts), `render --json` and /admin agree,
 * and the feedback links are made for exactly the papers shown (copyPapers).
 *
 * 1. The sections: those the reader follows (by topic id, or label from before topics), in
 *    the issue's order. None of them today: the copy is their picks alone (picks come from
 *    every paper of the day, issue #20), and without picks the issue has nothing for them (null).
 * 2. "Picked for you": the plan's picks that the issue has a card for, at most the budget;
 *    they count toward the budget (allocateBudget's `reserved`).
 * 3. The budget over the sections (allocate-budget.ts), as for every reader of those sections
 *    with as many picks: it depends on nothing else, so readers share the copy's skeleton.
 * 4. Within each section: the reader's order (the plan's scores, best first, ties in the day's
 *    order) when the plan has scores, else the day's; picked papers are left out (never shown
 *    twice); then the section's share of the budget (fewer when picks took the rest). "N more
 *    papers in X, on the web" counts the papers of X this copy does not show at all: neither
 *    under X nor in "Picked for you". A section that shows no paper is listed by name only
 *    while it has such papers (its picked papers are already in the copy).
 * A reader without a plan (or with EMPTY_PLAN) gets the day's copy: no picks, the day's order.
 * An issue frozen before cards existed (no `cards`) lays out without a plan.
 */
import type { ReaderPlan } from '../picks/reader-plan.js';
import { allocateBudget, type BudgetSection } from './allocate-budget.js';
import { cleanText } from './clean-text.js';
import type { CompiledIssue, CompiledSection } from './compile-issue.js';
import { truncateWords } from './truncate-words.js';

/** One paper card in a copy. */
export interface CardRef {
  /** Index into compiled.cards. */
  card: number;
  paperId: string;
  /** Why it was picked (cleaned, one line), for a pick; null in a section. */
  reason: string | null;
  /** "1." for the plain-text list, padded like every item of its list; and the indent of its continuation lines. */
  marker: string;
  indent: string;
}

/** One reader's copy laid out. */
export interface CopyLayout {
  /** The sections the reader gets, in the issue's order. */
  sections: CompiledSection[];
  /** True when the reader chose topics (the copy names them). */
  followed: boolean;
  /** Papers shown per section (cards, or the old templates' count without cards). */
  shown: number[];
  /** Papers per section this copy does not show, under it or picked ("N more papers in X, on the web"). */
  more: number[];
  /** "Picked for you", best first. */
  picks: CardRef[];
  /** The cards of each section, in the reader's order; empty for an issue without cards. */
  cards: CardRef[][];
}

/** What the layout reads of a recipient: the copy plan. */
export interface CopyPlan {
  themes: string[] | null;
  plan?: ReaderPlan;
}

/** The longest reason printed under a pick, in characters. */
const MAX_REASON = 120;

/** Reasons as printed (cleaned, cut), by reason: readers share a few hundred ("you follow …", "in your topic …"). */
const reasons = new Map<string, string>();
function reasonOf(reason: string): string {
  let printed = reasons.get(reason);
  if (printed === undefined) {
    printed = truncateWords(cleanText(reason), MAX_REASON);
    if (reasons.size >= 10_000) reasons.clear();
    reasons.set(reason, printed);
  }
  return printed;
}

interface Index {
  /** Section index by lowercased, trimmed label and by id. */
  byLabel: Map<string, number>;
  /** Card index by paper id. */
  byPaper: Map<string, number>;
  /** A section's cards in the day's order, none picked, by section index and count shown (never changed: shared by copies). */
  sectionRefs: Map<string, CardRef[]>;
}
const indexes = new WeakMap<CompiledIssue, Index>();

function indexOf(compiled: CompiledIssue): Index {
  let index = indexes.get(compiled);
  if (!index) {
    index = {
      byLabel: new Map(compiled.sections.flatMap((s, i) => [[s.label.trim().toLowerCase(), i] as const, [s.id.toLowerCase(), i] as const])),
      byPaper: new Map((compiled.cards ?? []).map((c, i) => [c.id, i])),
      sectionRefs: new Map(),
    };
    indexes.set(compiled, index);
  }
  return index;
}

/** The budget of a copy (compiled.maxPapers); none: every paper the issue carries. */
export const budgetOf = (compiled: Pick<CompiledIssue, 'maxPapers'>) =>
  typeof compiled.maxPapers === 'number' && compiled.maxPapers >= 1 ? compiled.maxPapers : Number.POSITIVE_INFINITY;
export const budgetSection = (s: CompiledSection): BudgetSection => ({ size: s.paperCount, cap: s.shownCount, interest: s.interest ?? 0, other: s.other });

/** The sections a copy plan gets, as indices in the issue's order; null when none of its topics is in the issue. */
export function sectionsOf(compiled: CompiledIssue, themes: string[] | null): number[] | null {
  if (themes === null) return compiled.sections.map((_, i) => i);
  const { byLabel } = indexOf(compiled);
  const picked: number[] = [];
  for (const label of themes) {
    const i = byLabel.get(String(label).trim().toLowerCase());
    if (i !== undefined && !picked.includes(i)) picked.push(i);
  }
  return picked.length === 0 ? null : picked.sort((a, b) => a - b);
}

const markerOf = (position: number, last: number) => {
  const width = String(Math.max(position, last)).length;
  return { marker: `${position}.`.padStart(width + 1), indent: ' '.repeat(width + 2) };
};

/** The last layout made: a copy is laid out for its feedback links, then again to be rendered. */
let last: { compiled: CompiledIssue; themes: string[] | null; plan: ReaderPlan | undefined; layout: CopyLayout | null } | null = null;

/** Lays out one reader's copy (see the file comment); null when the issue has nothing for them. */
export function layOutCopy(compiled: CompiledIssue, plan: CopyPlan): CopyLayout | null {
  // A plan that changes nothing is no plan (the recipient leaves it out, its reader may carry it).
  const own = plan.plan && (plan.plan.picks.length > 0 || plan.plan.scores !== null) ? plan.plan : undefined;
  if (last && last.compiled === compiled && last.themes === plan.themes && last.plan === own) return last.layout;
  const layout = layOut(compiled, { themes: plan.themes, plan: own });
  last = { compiled, themes: plan.themes, plan: own, layout };
  return layout;
}

function layOut(compiled: CompiledIssue, plan: CopyPlan): CopyLayout | null {
  // 1.
  const cards = compiled.cards;
  const { byPaper } = indexOf(compiled);
  const picked = sectionsOf(compiled, plan.themes) ?? (cards && plan.plan?.picks.some((p) => byPaper.has(p.paperId)) ? [] : null);
  if (picked === null) return null;
  const sections = picked.map((i) => compiled.sections[i]!);
  const budget = budgetOf(compiled);
  // 2.
  const picks: CardRef[] = [];
  const pickedCards = new Set<number>();
  if (cards && plan.plan) {
    for (const p of plan.plan.picks) {
      const card = byPaper.get(p.paperId);
      if (card === undefined || pickedCards.has(card) || picks.length >= budget) continue;
      pickedCards.add(card);
      const reason = reasonOf(p.reason);
      picks.push({ card, paperId: p.paperId, reason: reason || null, marker: '', indent: '' });
    }
    picks.forEach((ref, i) => Object.assign(ref, markerOf(i + 1, picks.length)));
  }
  // 3. How many each section shows depends on the sections and the number of picks alone, so
  // readers of the same sections share the copy's skeleton whatever they picked.
  const allocation = allocateBudget(sections.map(budgetSection), budget, picks.length);
  if (!cards) return { sections, followed: plan.themes !== null, shown: allocation, more: sections.map((s, i) => s.paperCount - allocation[i]!), picks: [], cards: sections.map(() => []) };
  // 4.
  const scores = plan.plan?.scores ?? null;
  const scoreOf = (card: number) => scores?.get(cards[card]!.id) ?? Number.NEGATIVE_INFINITY;
  const { sectionRefs } = indexOf(compiled);
  const sectionCards = sections.map((s, i) => {
    const all = s.cards ?? [];
    // In the day's order with none of its papers picked, a section's cards are every such reader's: made once.
    const shared = !scores && !all.some((c) => pickedCards.has(c));
    const key = `${picked[i]}|${allocation[i]}`;
    if (shared) {
      const known = sectionRefs.get(key);
      if (known) return known;
    }
    let order = all.filter((c) => !pickedCards.has(c));
    if (scores) order = order.map((c, k) => ({ c, k, score: scoreOf(c) })).sort((a, b) => b.score - a.score || a.k - b.k).map(({ c }) => c);
    const refs = order.slice(0, allocation[i]).map((card, k): CardRef => ({ card, paperId: cards[card]!.id, reason: null, ...markerOf(k + 1, s.shownCount) }));
    if (shared) sectionRefs.set(key, refs);
    return refs;
  });
  const shown = sectionCards.map((c) => c.length);
  // "N more in X" promises papers this copy does not show: not those under X, nor X's picked ones.
  const pickedIn = sections.map((s) => (pickedCards.size === 0 ? 0 : (s.cards ?? []).reduce((n, c) => n + (pickedCards.has(c) ? 1 : 0), 0)));
  return { sections, followed: plan.themes !== null, shown, more: sections.map((s, i) => s.paperCount - shown[i]! - pickedIn[i]!), picks, cards: sectionCards };
}

/** The cards of the last layout asked for: a send asks for each copy's cards twice (its feedback links, then its assembly). */
let lastCards: { layout: CopyLayout; cards: readonly CardRef[] } | null = null;

/** Every card of a layout in the order the copy shows them: picks, then each section's (not to be changed: it may be shared). */
export function cardsOf(layout: CopyLayout): readonly CardRef[] {
  if (lastCards?.layout === layout) return lastCards.cards;
  const cards = [...layout.picks, ...layout.cards.flat()];
  lastCards = { layout, cards };
  return cards;
}

/** The ids of the papers a copy shows (what its feedback links are made for); empty for an issue without cards. */
export function copyPapers(compiled: CompiledIssue, plan: CopyPlan): string[] {
  const layout = layOutCopy(compiled, plan);
  return layout ? cardsOf(layout).map((c) => c.paperId) : [];
}
