/**
 * The per-subscriber pass: one reader's copy of a compiled issue, with Handlebars only. The
 * issue's templates are compiled once per CompiledIssue and cached. Per copy:
 *
 * 1. lay the copy out (lay-out-copy.ts): the sections of the topics the reader follows, their
 *    "Picked for you" papers, and each section's papers in the reader's order under the
 *    issue's length budget;
 * 2. the variant of that layout (cached): which sections show how many papers, the counts, the
 *    subject and the preheader;
 * 3. each card shown (compile-cards.ts), rendered with the reader's values and its paper's
 *    entry of every value by paper (the feedback links), and for a pick its reason;
 * 4. the issue's templates with the variant, the reader's values and the cards in their
 *    places: `\{{#picks}}…\{{{card}}}…\{{/picks}}` and `\{{#cards "key"}}…\{{/cards}}`.
 *
 * The reader's values fill in `\{{recipient.<key>}}`: `email`, `name`, and every value of the
 * open list (subscribers/reader-values.ts), each treated by one rule, so a new value needs no
 * code here. copyParts() gives the composer the same steps apart (a copy without its cards,
 * and each card), so it can encode each once and assemble copies from the pieces.
 */
import Handlebars from 'handlebars';
import { InputError, TemplateError } from '../errors.js';
import { readerValuesOf, type Recipient, type ReaderValue } from '../subscribers/recipient.js';
import { cleanSubject } from './clean-subject.js';
import { cleanText } from './clean-text.js';
import { compileCached } from './compile-cached.js';
import { handlebarsErrorLine } from './handlebars-error-line.js';
import { allocateBudget, servingOrder } from './allocate-budget.js';
import type { CompiledIssue, CompiledSection } from './compile-issue.js';
import { budgetOf, budgetSection, cardsOf, layOutCopy, sectionsOf, type CardRef, type CopyLayout, type CopyPlan } from './lay-out-copy.js';
import { registerHelpers } from './register-helpers.js';
import { toSafeUrl } from '../to-safe-url.js';
import { truncateWords } from './truncate-words.js';

/** One subscriber's copy of an issue. */
export interface RenderedMessage {
  /** One line, at most 150 characters. */
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

type Render = Handlebars.TemplateDelegate;

/** Everything a copy needs that depends only on its layout's shape (which sections show how many papers, how many picks). */
interface Variant {
  show: Record<string, boolean>;
  /** Papers shown per section key (the length budget's allocation); 0: the heading and a link to the web. */
  shown: Record<string, number>;
  /** Papers per section key left to the web version ("N more papers in X, on the web"). */
  more: Record<string, number>;
  /** Sections the reader gets that the budget left no paper, with papers the copy does not show: listed by name, with a link. */
  listedCount: number;
  subject: string;
  preheader: string;
  followedLabels: string;
  /** Papers the copy shows (picks included, not the papers of its sections): what the subject counts. */
  paperCount: number;
  themeCount: number;
  /** Papers in "Picked for you". */
  pickCount: number;
}

interface Prepared {
  html: Render;
  text: Render;
  subject: Render | null;
  preheader: Render | null;
  /** Variants by their layout's shape (variantKey); subscribers share a few. */
  variants: Map<string, Variant>;
  /** Each card's per-subscriber templates, compiled on first use. */
  cards: Map<number, { html?: Render; text?: Render }>;
}

/** Bounds the variant cache of one issue; beyond it variants are simply recomputed. */
const MAX_VARIANTS = 4096;

// The per-subscriber pass has no partials, so one isolated environment serves every issue.
const env = Handlebars.create();
registerHelpers(env);
const cache = new WeakMap<CompiledIssue, Prepared>();

/**
 * Compiles a per-subscriber template, failing now rather than mid-send. `what` names it in an
 * error: the per-subscriber expressions (written \{{...}}) of the HTML or text templates, or,
 * with `wholeFile`, a subject or preheader template, every expression of which is per-subscriber.
 */
function compileTemplate(source: string, what: string, noEscape: boolean, wholeFile = false): Render {
  try {
    const render = compileCached(env, source, { noEscape });
    // Handlebars compiles lazily; a bad template must fail here, at compile time, not mid-send.
    render({ recipient: {}, show: {} });
    return render;
  } catch (error) {
    const why = handlebarsErrorLine(error);
    if (wholeFile) throw new TemplateError(`${what}: ${why}`, 'check that every {{#if}} has its {{/if}}, and that it uses only the fields and helpers templates/README.md lists', error);
    throw new TemplateError(
      `the per-subscriber expressions (written \\{{...}}) in ${what} do not form a valid template: ${why}`,
      'check that every \\{{#if}} has its \\{{/if}} and that per-subscriber expressions only use the fields templates/README.md lists',
      error,
    );
  }
}

/**
 * Checks a subject or preheader template (a whole file of per-subscriber expressions) as a copy
 * will compile it; a TemplateError names it as `file`. compileIssue checks its templates' with
 * it, so an error names the file in TEMPLATES_DIR (and a weekly subject its own file).
 */
export function checkLineTemplate(source: string, file: string): void {
  compileTemplate(source, file, true, true);
}

function prepare(compiled: CompiledIssue): Prepared {
  const prepared: Prepared = {
    html: compileTemplate(compiled.htmlTemplate, 'the HTML templates', false),
    text: compileTemplate(compiled.textTemplate, 'the text templates', true),
    subject: compiled.subjectTemplate === undefined ? null : compileTemplate(compiled.subjectTemplate, 'the subject template', true, true),
    preheader: compiled.preheaderTemplate === undefined ? null : compileTemplate(compiled.preheaderTemplate, 'the preheader template', true, true),
    variants: new Map(),
    cards: new Map(),
  };
  cache.set(compiled, prepared);
  return prepared;
}

/**
 * Papers shown per section of a copy without picks: the issue's length budget
 * (compiled.maxPapers; null or absent, as in issues frozen before budgets, means no budget)
 * over the sections the copy shows.
 */
export function sectionAllocation(compiled: Pick<CompiledIssue, 'maxPapers'>, sections: readonly CompiledSection[]): number[] {
  return allocateBudget(sections.map(budgetSection), budgetOf(compiled));
}

/**
 * What the subject and preheader templates see: the same rule for every subset of themes. Under
 * a budget, themes come in the order the budget serves them (what the copy shows most of first:
 * on an arXiv day, without upvotes, the issue's order says little); without one, the issue's.
 */
function envelope(compiled: CompiledIssue, sections: CompiledSection[], shown: number[]) {
  const order = Number.isFinite(budgetOf(compiled)) ? servingOrder(sections.map(budgetSection)) : sections.map((_, i) => i);
  // Only sections the copy shows a paper of are named: one the budget left to a line (or picks took) is not what it is about.
  const ordered = order.filter((i) => shown[i]! > 0).map((i) => sections[i]!);
  const themes = ordered.map((s) => ({ label: s.label, paperCount: s.paperCount, other: s.other }));
  return {
    date: compiled.date,
    paperCount: shown.reduce((n, k) => n + k, 0),
    // Sections that show a paper: those the budget left none are only listed, further down.
    themeCount: ordered.length,
    themes,
    namedThemes: themes.filter((t) => !t.other),
    topTitle: ordered[0]?.topTitle ?? '',
  };
}

/** The shape of a layout: all its variant depends on. */
const variantKey = (layout: CopyLayout) => `${layout.sections.map((s) => s.key).join(',')}|${layout.followed ? 1 : 0}|${layout.picks.length}|${layout.shown.join(',')}|${layout.more.join(',')}`;

/**
 * "N more papers in X" depends on which sections a reader's picks came from, so counts of 2 or
 * more are values in an assembled copy's skeleton, not part of its shape: the skeleton is
 * rendered with MORE_SENTINEL + i as section i's count (a number no copy prints), and the
 * assembler puts each reader's count there (deliver/assemble-copy.ts). 0 and 1 stay in the
 * shape: templates test for them and pick the singular.
 */
export const MORE_SENTINEL = 9_000_000;
const moreShape = (more: readonly number[]) => more.map((m, i) => (m >= 2 ? MORE_SENTINEL + i : m));

function makeVariant(prepared: Prepared, compiled: CompiledIssue, layout: CopyLayout): Variant {
  const { sections, shown } = layout;
  const data = envelope(compiled, sections, shown);
  data.paperCount += layout.picks.length;
  return {
    show: Object.fromEntries(sections.map((s) => [s.key, true])),
    shown: Object.fromEntries(sections.map((s, i) => [s.key, shown[i]!])),
    more: Object.fromEntries(sections.map((s, i) => [s.key, layout.more[i]!])),
    listedCount: shown.filter((k, i) => k === 0 && layout.more[i]! > 0).length,
    subject: cleanSubject(prepared.subject ? prepared.subject(data) : compiled.subject),
    preheader: cleanSubject(prepared.preheader ? prepared.preheader(data) : compiled.preheader),
    followedLabels: layout.followed ? sections.map((s) => s.label).join(', ') : '',
    paperCount: data.paperCount,
    themeCount: data.themeCount,
    pickCount: layout.picks.length,
  };
}

function variantOf(prepared: Prepared, compiled: CompiledIssue, layout: CopyLayout): Variant {
  const key = variantKey(layout);
  let variant = prepared.variants.get(key);
  if (!variant) {
    variant = makeVariant(prepared, compiled, layout);
    if (prepared.variants.size < MAX_VARIANTS) prepared.variants.set(key, variant);
  }
  return variant;
}

function checkedUrl(value: string, field: string): string {
  const url = toSafeUrl(value);
  if (url === null) throw new InputError(`recipient ${field} must be an absolute http(s) URL (got ${JSON.stringify(String(value).slice(0, 80))})`);
  return url;
}

/** One per-reader value as templates see it: a link (a key ending in Url) checked, any other text cleaned. */
function templateValue(key: string, value: string): string {
  return key.endsWith('Url') ? checkedUrl(value, key) : cleanText(value);
}

/**
 * What `recipient` holds in the per-subscriber pass: every per-reader value by the same rules
 * (a value that repeats per paper keeps its paper ids); the name, cut to 60 words, or null.
 */
function templateValues(recipient: Recipient): Record<string, ReaderValue | null> {
  const out: Record<string, ReaderValue | null> = {};
  for (const [key, value] of readerValuesOf(recipient)) {
    if (key === 'name') {
      const name = truncateWords(cleanText(value as string | null), 60);
      out.name = name === '' ? null : name;
    } else if (value === null || typeof value === 'string') {
      out[key] = value === null ? null : templateValue(key, value);
    } else {
      out[key] = Object.fromEntries(Object.entries(value).map(([id, v]) => [id, templateValue(key, v)]));
    }
  }
  return out;
}

type Values = Record<string, ReaderValue | null>;
type Mode = 'html' | 'text';

/** One card of a copy (step 3): its paper's entry of every value by paper as `paper`; the text card without its last line break. */
function renderCard(prepared: Prepared, compiled: CompiledIssue, ref: CardRef, values: Values, mode: Mode): string {
  let templates = prepared.cards.get(ref.card);
  if (!templates) prepared.cards.set(ref.card, (templates = {}));
  const render = (templates[mode] ??= compileTemplate(compiled.cards![ref.card]![mode], `the ${mode} card of paper ${ref.paperId}`, mode === 'text'));
  const paper: Record<string, string> = {};
  for (const key in values) {
    const v = values[key];
    if (v !== null && typeof v === 'object' && typeof v[ref.paperId] === 'string') paper[key] = v[ref.paperId]!;
  }
  const out = render({ recipient: values, paper, reason: ref.reason, marker: ref.marker, indent: ref.indent });
  return mode === 'text' && out.endsWith('\n') ? out.slice(0, -1) : out;
}

/** Step 4: the copy, each card given by `card` (its place in cardsOf(layout), and its ref). */
function renderCopy(prepared: Prepared, variant: Variant, layout: CopyLayout, values: Values, card: (k: number, ref: CardRef, mode: Mode) => string): RenderedMessage {
  const data = (mode: Mode) => {
    let k = 0;
    const place = (ref: CardRef) => new Handlebars.SafeString(card(k++, ref, mode));
    const pickCards = layout.picks.map(place);
    const cardsIn = Object.fromEntries(layout.sections.map((s, i) => [s.key, layout.cards[i]!.map(place)]));
    return {
      subject: variant.subject,
      preheader: variant.preheader,
      recipient: values,
      show: variant.show,
      shown: variant.shown,
      more: variant.more,
      listedCount: variant.listedCount,
      paperCount: variant.paperCount,
      themeCount: variant.themeCount,
      followedLabels: variant.followedLabels,
      pickCount: variant.pickCount,
      pickCards,
      cardsIn,
    };
  };
  return { subject: variant.subject, preheader: variant.preheader, html: prepared.html(data('html')), text: prepared.text(data('text')) };
}

/**
 * Makes one subscriber's copy of a compiled issue with Handlebars only (the templates are
 * compiled once per CompiledIssue and cached). A subscriber who follows themes gets only those
 * sections, with the table of contents, counts, subject and preheader to match; labels match
 * case-insensitively. A reader with a plan gets "Picked for you" and their own order (a reader
 * without one, or with EMPTY_PLAN, the day's copy). Returns null when none of the subscriber's
 * themes is in this issue, so delivery can skip them: an issue with nothing they asked for is
 * not worth an email. Throws InputError when a link value is not http(s).
 */
export function personalizeIssue(compiled: CompiledIssue, recipient: Recipient): RenderedMessage | null {
  const prepared = cache.get(compiled) ?? prepare(compiled);
  const layout = layOutCopy(compiled, recipient);
  if (!layout) return null;
  const values = templateValues(recipient);
  return renderCopy(prepared, variantOf(prepared, compiled, layout), layout, values, (_k, ref, mode) => renderCard(prepared, compiled, ref, values, mode));
}

/**
 * The steps of personalizeIssue apart, for the composer (deliver/create-issue-composer.ts),
 * which encodes a copy without its cards once per layout shape and each card once, then
 * assembles each reader's copy from the encoded pieces. Rendering a skeleton with `mark` in
 * place of each card and putting the cards there gives exactly personalizeIssue's copy.
 */
export interface CopyParts {
  /** The layout of a copy plan (lay-out-copy.ts); null when the issue has nothing for it. */
  layout(plan: CopyPlan): CopyLayout | null;
  /** What the copy without its cards depends on besides the values: equal keys, equal skeletons. */
  skeletonKey(layout: CopyLayout): string;
  /** The copy with `mark(k)` in place of its k-th card (cardsOf order), and MORE_SENTINEL + i for a count of 2 or more in section i. */
  skeleton(layout: CopyLayout, recipient: Recipient, mark: (k: number, mode: Mode) => string): RenderedMessage;
  /** One card of a layout, for these values. */
  card(ref: CardRef, recipient: Recipient, mode: Mode): string;
  /** True when a card prints its list marker or indent (so its output depends on its place). */
  positional(card: number, mode: Mode): boolean;
}

/** The parts of personalizeIssue for one compiled issue (see CopyParts); null for an issue without cards (frozen before them). */
export function copyParts(compiled: CompiledIssue): CopyParts | null {
  if (!compiled.cards) return null;
  const prepared = cache.get(compiled) ?? prepare(compiled);
  return {
    layout: (plan) => layOutCopy(compiled, plan),
    skeletonKey: (layout) => variantKey({ ...layout, more: moreShape(layout.more) }),
    skeleton: (layout, recipient, mark) => {
      const shape = { ...layout, more: moreShape(layout.more) };
      return renderCopy(prepared, variantOf(prepared, compiled, shape), shape, templateValues(recipient), (k, _ref, mode) => mark(k, mode));
    },
    card: (ref, recipient, mode) => renderCard(prepared, compiled, ref, templateValues(recipient), mode),
    positional: (card, mode) => /\{\{[~\s]*(?:marker|indent)\b/.test(compiled.cards![card]![mode]),
  };
}

export { cardsOf, sectionsOf, type CardRef, type CopyLayout };
