import type Handlebars from 'handlebars';
import { fitTopics, MAX_SUBJECT_LINE } from './fit-topics.js';
import { formatDate, type DateStyle } from './format-date.js';
import { plural, pluralWord } from '../plural.js';
import { truncateWords } from './truncate-words.js';

type HandlebarsEnv = typeof Handlebars;
type HelperOptions = Handlebars.HelperOptions;

const numberFormat = new Intl.NumberFormat('en-US');

/** A helper's argument as a count: a number, or 0. */
const asCount = (value: unknown): number => (Number.isFinite(Number(value)) ? Number(value) : 0);

/** Labels of `themes` ({label} objects), empty ones left out. */
const labelsOf = (themes: unknown): string[] =>
  Array.isArray(themes) ? themes.map((t: { label?: unknown }) => String(t?.label ?? '')).filter(Boolean) : [];

/** True when a helper was called with fewer arguments than its trailing options object. */
const given = (value: unknown): boolean => value !== undefined && !(typeof value === 'object' && value !== null && 'hash' in value);

/** Wraps text at `width` columns for the plain-text part, indenting continuation lines. */
function wrapText(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

/**
 * Registers every helper the templates may use, in both passes, on one isolated Handlebars
 * environment (never the global one, so operators' partials from one compile cannot leak into
 * another). Issue templates, the subject and preheader templates and the per-subscriber pass
 * all see the same set:
 *
 * - `formatDate date ["long"|"medium"|"short"]`: "Thursday, December 11, 2025" / "Dec 11, 2025" / "Dec 11"
 * - `plural count "paper" ["papers"]`: "1 paper", "3 papers", "1,204 papers" (src/render/plural.ts,
 *   the one rule for every count paperpost prints)
 * - `pluralWord count "paper" ["papers"]`: the word alone ("is"/"are" works too)
 * - `formatNumber n`: 12,345
 * - `truncate text max`: cut at a word boundary with an ellipsis
 * - `topLabels themes n`: "A, B and 4 more" (the first n labels and how many more)
 * - `#fitTopics themes [max]`: block; renders its body with `topics` set to the most topics
 *   of `themes` that keep the line within `max` characters (78): "A, B and 5 more topics";
 *   the catch-all is never named ("A, B and more"); `{{else}}` when `themes` has no other
 *   theme (subject.txt.hbs)
 * - `wrap text width [indent]`: word-wraps plain text
 * - `follows "theme-key"`: per-subscriber pass only; true when the reader gets that theme
 * - `shows "theme-key" [rank]`: per-subscriber pass only; true when the reader's copy shows
 *   that theme's paper number `rank` (1 by default: the section has a paper in the copy), under
 *   the copy's length budget (MAX_PAPERS)
 * - `listed "theme-key"`: per-subscriber pass only; the reader gets the theme but the budget
 *   left it no paper, and some of its papers are not in the copy's picks either: the copy
 *   lists it by name, with a link to it on the web
 * - `moreIn "theme-key"`: per-subscriber pass only; papers of the theme the copy does not show
 *   (neither under it nor picked): what it leaves to the web
 * - `#cards "theme-key"`: per-subscriber pass only; block, once per paper the copy shows of that
 *   theme, in the reader's order, with `card` (the paper's card, print it as `\{{{card}}}`),
 *   `position` and `@first`/`@last`/`@index`
 * - `#picks`: per-subscriber pass only; the same over the reader's "Picked for you" papers
 * - `lb`, `rb`, `bs`: a literal "{", "}" or "\" (the renderer uses them to keep paper text from
 *   being read as Handlebars in the per-subscriber pass; templates rarely need them)
 */
export function registerHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper('formatDate', (date: unknown, style: unknown) =>
    formatDate(typeof date === 'string' ? date : null, given(style) ? (String(style) as DateStyle) : 'medium'),
  );
  const pluralOf = (singular: unknown, pluralForm: unknown) => [String(singular), given(pluralForm) ? String(pluralForm) : undefined] as const;
  hb.registerHelper('pluralWord', (count: unknown, singular: unknown, pluralForm: unknown) => pluralWord(asCount(count), ...pluralOf(singular, pluralForm)));
  hb.registerHelper('plural', (count: unknown, singular: unknown, pluralForm: unknown) => plural(asCount(count), ...pluralOf(singular, pluralForm)));
  hb.registerHelper('formatNumber', (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : ''));
  hb.registerHelper('truncate', (text: unknown, max: unknown) =>
    truncateWords(typeof text === 'string' ? text : '', Number.isFinite(Number(max)) ? Number(max) : 80),
  );
  hb.registerHelper('topLabels', (themes: unknown, n: unknown) => {
    const labels = labelsOf(themes);
    const count = Math.max(1, Number.isFinite(Number(n)) ? Number(n) : 2);
    const shown = labels.slice(0, count).join(', ');
    return labels.length > count ? `${shown} and ${labels.length - count} more` : shown;
  });
  hb.registerHelper('fitTopics', function (this: unknown, themes: unknown, max: unknown, options?: HelperOptions) {
    const opts = (given(max) ? options : max) as HelperOptions;
    const list = Array.isArray(themes) ? (themes as { other?: unknown }[]) : [];
    const labels = labelsOf(list.filter((t) => t?.other !== true));
    const context = (this ?? {}) as Record<string, unknown>;
    if (labels.length === 0) return opts.inverse(context);
    const limit = given(max) && Number(max) > 0 ? Number(max) : MAX_SUBJECT_LINE;
    return fitTopics(labels, (topics) => opts.fn({ ...context, topics }), limit, list.some((t) => t?.other === true));
  });
  hb.registerHelper('wrap', (text: unknown, width: unknown, indent: unknown) =>
    wrapText(typeof text === 'string' ? text : '', Number(width) > 0 ? Number(width) : 72, given(indent) ? String(indent) : ''),
  );
  hb.registerHelper('follows', function (this: unknown, key: unknown, options: HelperOptions) {
    const show = (options?.data?.root as { show?: Record<string, boolean> } | undefined)?.show;
    return show?.[String(key)] === true;
  });
  const root = (options: HelperOptions | undefined) =>
    (options?.data?.root ?? {}) as { show?: Record<string, boolean>; shown?: Record<string, number>; more?: Record<string, number> };
  hb.registerHelper('shows', function (this: unknown, key: unknown, rank: unknown, options: HelperOptions) {
    const { show, shown } = root(given(rank) ? options : (rank as HelperOptions));
    const k = String(key);
    if (show?.[k] !== true) return false;
    // A copy without a budget (or a template compiled before budgets) shows every paper it carries.
    const count = shown?.[k] ?? Number.POSITIVE_INFINITY;
    return count >= (given(rank) && Number.isFinite(Number(rank)) ? Number(rank) : 1);
  });
  hb.registerHelper('listed', function (this: unknown, key: unknown, options: HelperOptions) {
    const { show, shown, more } = root(options);
    const k = String(key);
    // A section whose every paper is in "Picked for you" has nothing left to list.
    return show?.[k] === true && shown?.[k] === 0 && (more?.[k] ?? 1) > 0;
  });
  hb.registerHelper('moreIn', function (this: unknown, key: unknown, options: HelperOptions) {
    return root(options).more?.[String(key)] ?? 0;
  });
  const eachCard = (list: unknown, options: HelperOptions) => {
    const cards = Array.isArray(list) ? list : [];
    let out = '';
    cards.forEach((card, i) => {
      const data = options.data ? hb.createFrame(options.data) : {};
      Object.assign(data, { first: i === 0, last: i === cards.length - 1, index: i });
      out += options.fn({ card, position: i + 1 }, { data });
    });
    return out;
  };
  const cardRoot = (options: HelperOptions | undefined) => (options?.data?.root ?? {}) as { cardsIn?: Record<string, unknown>; pickCards?: unknown };
  hb.registerHelper('cards', function (this: unknown, key: unknown, options: HelperOptions) {
    return eachCard(cardRoot(options).cardsIn?.[String(key)], options);
  });
  hb.registerHelper('picks', function (this: unknown, options: HelperOptions) {
    return eachCard(cardRoot(options).pickCards, options);
  });
  hb.registerHelper('lb', () => '{');
  hb.registerHelper('rb', () => '}');
  hb.registerHelper('bs', () => '\\');
}
