/**
 * The per-subscriber pass: one reader's copy of a compiled issue, with Handlebars only. The
 * issue's templates are compiled once per CompiledIssue and cached; per copy, the recipient's
 * copy plan (the topics they follow) picks the sections, the issue's length budget how many
 * papers of each (allocate-budget.ts; per variant, so it is cached too), and their per-reader values fill in
 * `\{{recipient.<key>}}`: `email`, `name`, and every value of the open list
 * (subscribers/reader-values.ts), each treated by one rule, so a new value needs no code here.
 */
import Handlebars from 'handlebars';
import { InputError, TemplateError } from '../errors.js';
import { readerValuesOf, type Recipient, type ReaderValue } from '../subscribers/recipient.js';
import { cleanSubject } from './clean-subject.js';
import { cleanText } from './clean-text.js';
import { allocateBudget, servingOrder, type BudgetSection } from './allocate-budget.js';
import type { CompiledIssue, CompiledSection } from './compile-issue.js';
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

/** Everything a copy needs that depends only on which themes it shows. */
interface Variant {
  show: Record<string, boolean>;
  /** Papers shown per section key (the length budget's allocation); 0: the heading and a link to the web. */
  shown: Record<string, number>;
  /** Papers per section key left to the web version ("N more papers in X, on the web"). */
  more: Record<string, number>;
  /** Sections the reader gets that the budget left no paper: listed by name, with a link. */
  listedCount: number;
  subject: string;
  preheader: string;
  followedLabels: string;
  /** Papers the copy shows (not the papers of its sections): what the subject counts. */
  paperCount: number;
  themeCount: number;
}

interface Prepared {
  html: Render;
  text: Render;
  subject: Render | null;
  preheader: Render | null;
  /** Section index by lowercased, trimmed label. */
  byLabel: Map<string, number>;
  everyone: Variant | null;
  /** Variants by the sorted indices of the sections shown; subscribers share a few theme sets. */
  variants: Map<string, Variant>;
}

/** Bounds the variant cache of one issue; beyond it variants are simply recomputed. */
const MAX_VARIANTS = 4096;

// The per-subscriber pass has no partials, so one isolated environment serves every issue.
const env = Handlebars.create();
registerHelpers(env);
const cache = new WeakMap<CompiledIssue, Prepared>();

function compileTemplate(source: string, what: string, noEscape: boolean): Render {
  try {
    const render = env.compile(source, { noEscape });
    // Handlebars compiles lazily; a bad template must fail here, at compile time, not mid-send.
    render({ recipient: {}, show: {} });
    return render;
  } catch (error) {
    throw new TemplateError(
      `the per-subscriber expressions (written \\{{...}}) in ${what} do not form a valid template: ${(error as Error).message.split('\n')[0]}`,
      'check that every \\{{#if}} has its \\{{/if}} and that per-subscriber expressions only use the fields templates/README.md lists',
      error,
    );
  }
}

function prepare(compiled: CompiledIssue): Prepared {
  const prepared: Prepared = {
    html: compileTemplate(compiled.htmlTemplate, 'the HTML templates', false),
    text: compileTemplate(compiled.textTemplate, 'the text templates', true),
    subject: compiled.subjectTemplate === undefined ? null : compileTemplate(compiled.subjectTemplate, 'subject.txt.hbs', true),
    preheader: compiled.preheaderTemplate === undefined ? null : compileTemplate(compiled.preheaderTemplate, 'preheader.txt.hbs', true),
    // A subscriber's choice is a topic id (labels from before topics still match).
    byLabel: new Map(compiled.sections.flatMap((s, i) => [[s.label.trim().toLowerCase(), i] as const, [s.id.toLowerCase(), i] as const])),
    everyone: null,
    variants: new Map(),
  };
  cache.set(compiled, prepared);
  return prepared;
}

/**
 * Papers shown per section of a copy: the issue's length budget (compiled.maxPapers; null or
 * absent, as in issues frozen before budgets, means no budget) over the sections the copy
 * shows. It depends on those sections alone, so one variant serves every reader of them.
 */
export function sectionAllocation(compiled: Pick<CompiledIssue, 'maxPapers'>, sections: readonly CompiledSection[]): number[] {
  return allocateBudget(sections.map(budgetSection), budgetOf(compiled));
}

const budgetOf = (compiled: Pick<CompiledIssue, 'maxPapers'>) =>
  typeof compiled.maxPapers === 'number' && compiled.maxPapers >= 1 ? compiled.maxPapers : Number.POSITIVE_INFINITY;
const budgetSection = (s: CompiledSection): BudgetSection => ({ size: s.paperCount, cap: s.shownCount, interest: s.interest ?? 0, other: s.other });

/**
 * What the subject and preheader templates see: the same rule for every subset of themes. Under
 * a budget, themes come in the order the budget serves them (what the copy shows most of first:
 * on an arXiv day, without upvotes, the issue's order says little); without one, the issue's.
 */
function envelope(compiled: CompiledIssue, sections: CompiledSection[], shown: number[]) {
  const ordered = Number.isFinite(budgetOf(compiled)) ? servingOrder(sections.map(budgetSection)).map((i) => sections[i]!) : sections;
  const themes = ordered.map((s) => ({ label: s.label, paperCount: s.paperCount, other: s.other }));
  return {
    date: compiled.date,
    paperCount: shown.reduce((n, k) => n + k, 0),
    themeCount: sections.length,
    themes,
    namedThemes: themes.filter((t) => !t.other),
    topTitle: ordered[0]?.topTitle ?? '',
  };
}

function makeVariant(prepared: Prepared, compiled: CompiledIssue, sections: CompiledSection[], followed: boolean): Variant {
  const shown = sectionAllocation(compiled, sections);
  const data = envelope(compiled, sections, shown);
  return {
    show: Object.fromEntries(sections.map((s) => [s.key, true])),
    shown: Object.fromEntries(sections.map((s, i) => [s.key, shown[i]!])),
    more: Object.fromEntries(sections.map((s, i) => [s.key, s.paperCount - shown[i]!])),
    listedCount: shown.filter((k) => k === 0).length,
    subject: cleanSubject(prepared.subject ? prepared.subject(data) : compiled.subject),
    preheader: cleanSubject(prepared.preheader ? prepared.preheader(data) : compiled.preheader),
    followedLabels: followed ? sections.map((s) => s.label).join(', ') : '',
    paperCount: data.paperCount,
    themeCount: data.themeCount,
  };
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

/**
 * Makes one subscriber's copy of a compiled issue with Handlebars only (the templates are
 * compiled once per CompiledIssue and cached). A subscriber who follows themes gets only those
 * sections, with the table of contents, counts, subject and preheader to match; labels match
 * case-insensitively. Returns null when none of the subscriber's themes is in this issue, so
 * delivery can skip them: an issue with nothing they asked for is not worth an email.
 * Throws InputError when an unsubscribe or preferences URL is not http(s).
 */
export function personalizeIssue(compiled: CompiledIssue, recipient: Recipient): RenderedMessage | null {
  const prepared = cache.get(compiled) ?? prepare(compiled);
  let variant: Variant;
  if (recipient.themes === null) {
    variant = prepared.everyone ??= makeVariant(prepared, compiled, compiled.sections, false);
  } else {
    const picked: number[] = [];
    for (const label of recipient.themes) {
      const index = prepared.byLabel.get(String(label).trim().toLowerCase());
      if (index !== undefined && !picked.includes(index)) picked.push(index);
    }
    if (picked.length === 0) return null;
    picked.sort((a, b) => a - b);
    const key = picked.join(',');
    const known = prepared.variants.get(key);
    if (known) {
      variant = known;
    } else {
      variant = makeVariant(prepared, compiled, picked.map((i) => compiled.sections[i]!), true);
      if (prepared.variants.size < MAX_VARIANTS) prepared.variants.set(key, variant);
    }
  }
  const data = {
    subject: variant.subject,
    preheader: variant.preheader,
    recipient: templateValues(recipient),
    show: variant.show,
    shown: variant.shown,
    more: variant.more,
    listedCount: variant.listedCount,
    paperCount: variant.paperCount,
    themeCount: variant.themeCount,
    followedLabels: variant.followedLabels,
  };
  return { subject: variant.subject, preheader: variant.preheader, html: prepared.html(data), text: prepared.text(data) };
}
