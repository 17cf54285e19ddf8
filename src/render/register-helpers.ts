import type Handlebars from 'handlebars';
import { formatDate, type DateStyle } from './format-date.js';
import { truncateWords } from './truncate-words.js';

type HandlebarsEnv = typeof Handlebars;
type HelperOptions = Handlebars.HelperOptions;

const numberFormat = new Intl.NumberFormat('en-US');

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
 * - `plural count "paper" ["papers"]`: "1 paper", "3 papers", "1,204 papers"
 * - `pluralWord count "paper" ["papers"]`: the word alone
 * - `formatNumber n`: 12,345
 * - `truncate text max`: cut at a word boundary with an ellipsis
 * - `topLabels themes n`: "A, B +4" (the first n labels and how many more)
 * - `wrap text width [indent]`: word-wraps plain text
 * - `follows "theme-key"`: per-subscriber pass only; true when the reader gets that theme
 * - `lb`, `rb`, `bs`: a literal "{", "}" or "\" (the renderer uses them to keep paper text from
 *   being read as Handlebars in the per-subscriber pass; templates rarely need them)
 */
export function registerHelpers(hb: HandlebarsEnv): void {
  hb.registerHelper('formatDate', (date: unknown, style: unknown) =>
    formatDate(typeof date === 'string' ? date : null, given(style) ? (String(style) as DateStyle) : 'medium'),
  );
  const word = (count: unknown, singular: unknown, plural: unknown): string => {
    const one = String(singular);
    return Number(count) === 1 ? one : given(plural) ? String(plural) : `${one}s`;
  };
  hb.registerHelper('pluralWord', (count: unknown, singular: unknown, plural: unknown) => word(count, singular, plural));
  hb.registerHelper('plural', (count: unknown, singular: unknown, plural: unknown) => {
    const n = Number(count);
    // Small whole numbers are most counts; skipping Intl for them keeps the per-subscriber pass fast.
    const shown = Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : Number.isFinite(n) ? numberFormat.format(n) : '0';
    return `${shown} ${word(n, singular, plural)}`;
  });
  hb.registerHelper('formatNumber', (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : ''));
  hb.registerHelper('truncate', (text: unknown, max: unknown) =>
    truncateWords(typeof text === 'string' ? text : '', Number.isFinite(Number(max)) ? Number(max) : 80),
  );
  hb.registerHelper('topLabels', (themes: unknown, n: unknown) => {
    const labels = Array.isArray(themes) ? themes.map((t: { label?: unknown }) => String(t?.label ?? '')).filter(Boolean) : [];
    const count = Math.max(1, Number.isFinite(Number(n)) ? Number(n) : 2);
    const shown = labels.slice(0, count).join(', ');
    return labels.length > count ? `${shown} +${labels.length - count}` : shown;
  });
  hb.registerHelper('wrap', (text: unknown, width: unknown, indent: unknown) =>
    wrapText(typeof text === 'string' ? text : '', Number(width) > 0 ? Number(width) : 72, given(indent) ? String(indent) : ''),
  );
  hb.registerHelper('follows', function (this: unknown, key: unknown, options: HelperOptions) {
    const show = (options?.data?.root as { show?: Record<string, boolean> } | undefined)?.show;
    return show?.[String(key)] === true;
  });
  hb.registerHelper('lb', () => '{');
  hb.registerHelper('rb', () => '}');
  hb.registerHelper('bs', () => '\\');
}
