/**
 * render/ owns turning themes into email: the view model, Handlebars helpers, MJML, the
 * plain-text part and each subscriber's copy. It imports only types.ts, errors.ts and
 * to-safe-url.ts; never store/, deliver/, issue/, schedule/, web/ or cli/.
 *
 * compileIssue: a themed digest → a CompiledIssue, once per issue. Handlebars and MJML run
 * here, once; each subscriber's copy is then made by personalizeIssue with Handlebars only.
 */
import path from 'node:path';
import { ConfigError, TemplateError } from '../errors.js';
import type { Theme, ThemedDigest } from '../types.js';
import { buildIssueView, type IssueEdition, type IssueShape, type IssueView, type StillTrendingPaper } from './build-issue-view.js';
import { restoreSubscriberFields } from './defer-subscriber-fields.js';
import { firstPass } from './first-pass.js';
import { compileCards, type CompiledCard } from './compile-cards.js';
import { copyPapers } from './lay-out-copy.js';
import { loadTemplates, type TemplateSet } from './load-templates.js';
import { checkLineTemplate, personalizeIssue, sectionAllocation } from './personalize-issue.js';
import { sampleRecipient } from '../subscribers/recipient.js';
import { plural } from '../plural.js';
import { runMjml, type LocateMjmlLine } from './run-mjml.js';
import { toSafeUrl } from '../to-safe-url.js';

export type { IssueEdition, StillTrendingPaper } from './build-issue-view.js';

/** Options of compileIssue. */
export interface CompileOptions {
  /** Where issue.mjml.hbs, issue.txt.hbs, subject.txt.hbs, preheader.txt.hbs and partials/ are. */
  templatesDir: string;
  /** Base of the web-version and "N more on the web" links (http or https, no trailing slash needed). */
  publicUrl: string;
  /** Gmail clips HTML above about 102 KB, hiding the footer; the issue is trimmed to fit this. */
  maxHtmlBytes?: number;
  /**
   * The length budget of each reader's copy (MAX_PAPERS, issue #21): at most this many papers,
   * the top few of each section the reader gets (allocate-budget.ts), and a link to the web for
   * the rest. The issue itself keeps every paper. Unset: no budget.
   */
  maxPapers?: number;
  /** Papers sent in earlier issues that are still trending; a short list at the end. */
  stillTrending?: StillTrendingPaper[];
  /** A short line under a theme's heading, by theme id ("new today", "3rd day running"). */
  themeStatus?: Record<string, string>;
  /** A weekly issue's id, web page and date line (issue/prepare-weekly-issue.ts); default: the digest date's. */
  edition?: IssueEdition;
}

/** One theme as the per-subscriber pass knows it. */
export interface CompiledSection {
  /** The key the templates' `follows` conditionals use (the theme id when it is a safe slug). */
  key: string;
  id: string;
  label: string;
  other: boolean;
  /** Papers in the theme, including any left to the web version. */
  paperCount: number;
  /** Papers of the theme the compiled templates carry: the most a copy can show of it. */
  shownCount: number;
  /** Title of the theme's first paper (for the preheader). */
  topTitle: string;
  /** Its papers' cards (indices into CompiledIssue.cards), in the day's order; absent in issues frozen before cards. */
  cards?: number[];
  /** The day's interest in the theme (summed upvotes): which sections a length budget serves first. */
  interest?: number;
}

/**
 * An issue compiled once, ready to personalise. Plain JSON data: it is stored when the issue is
 * first sent, so a resend uses exactly this content even if the templates change meanwhile.
 */
export interface CompiledIssue {
  /** The digest date YYYY-MM-DD, an ISO week YYYY-Www for a weekly issue, or 'undated'. */
  id: string;
  date: string | null;
  /** The subject for a reader of every theme. */
  subject: string;
  preheader: string;
  /**
   * Every theme of the digest that has papers, with EVERY paper, including those the email left
   * to the web version to fit the size limit and themes only listed by name. The web archive and
   * the issue history read this, so it must not be the trimmed list; what the email shows is
   * `sections` (shownCount) and shownPaperCount.
   */
  themes: Theme[];
  /** The themes the email shows, in order; a theme only listed by name has no section. */
  sections: CompiledSection[];
  /** Post-MJML HTML whose only Handlebars expressions are the per-subscriber ones. */
  htmlTemplate: string;
  /** The plain-text body, likewise. */
  textTemplate: string;
  /** The subject rule (subject.txt.hbs), rendered per subscriber for their themes. */
  subjectTemplate?: string;
  preheaderTemplate?: string;
  /** Anything a human should know: papers or themes trimmed to fit the size limit. */
  warnings: string[];
  /** Bytes of HTML of a full copy (every theme) with realistic per-subscriber values. */
  htmlBytes: number;
  /** Bytes of the plain-text part of the same copy. */
  textBytes: number;
  /** publicUrl + '/archive/' + id. */
  webUrl: string;
  /** Papers in the digest and papers shown in the email (a copy of every section, under the budget). */
  paperCount: number;
  shownPaperCount: number;
  /** The length budget of a copy (CompileOptions.maxPapers); null or absent: none. */
  maxPapers?: number | null;
  /**
   * Every paper's card (compile-cards.ts), so a copy can show any paper in its reader's order
   * ("Picked for you", issue #20). Absent in issues frozen before cards (and with templates
   * without paper-card partials): their copies lay out without plans.
   */
  cards?: CompiledCard[];
}

/** The largest n in 1..high for which `attempt` gives a result (binary search: a result for n means one for every smaller n); null if none. */
async function largestFitting<T>(high: number, attempt: (n: number) => Promise<T | null>): Promise<T | null> {
  let low = 1;
  let best: T | null = null;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const got = await attempt(mid);
    if (got) {
      best = got;
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}

/** The default size limit: a safe margin under Gmail's ~102 KB clipping point. */
export const DEFAULT_MAX_HTML_BYTES = 90_000;

function locator(templates: TemplateSet, view: IssueView): LocateMjmlLine {
  let traced: string[] | null = null;
  return (line, tagName) => {
    traced ??= firstPass(templates.html, templates.htmlPartials, false, true)(view).split('\n');
    const marker = /<!--@pp ([^:]+):(\d+)--><([a-z-]+)/g;
    const onLine = [...(traced[line - 1] ?? '').matchAll(marker)];
    const hit = onLine.find((m) => m[3] === tagName) ?? onLine[0];
    if (hit) return `${path.join(templates.shownDir, hit[1]!)} line ${hit[2]} (${tagName})`;
    for (let i = Math.min(line - 2, traced.length - 1); i >= 0; i--) {
      const before = [...traced[i]!.matchAll(marker)].pop();
      if (before) return `${path.join(templates.shownDir, before[1]!)} near line ${before[2]} (${tagName})`;
    }
    return null;
  };
}

/**
 * Compiles one issue: Handlebars over the MJML layout with the issue's data, then MJML once
 * (strict: an invalid template is a TemplateError naming the file and line), leaving only the
 * per-subscriber expressions for personalizeIssue. Templates are read from templatesDir on every
 * call. With a length budget (maxPapers) each copy shows at most that many papers, the top few
 * of each of its sections; the size is measured on the copy of every section. When the HTML
 * would still pass maxHtmlBytes: with a budget, every copy gets a smaller one (the largest that
 * fits), with a warning; without one (or if even one paper a copy is too big), each theme shows
 * its top papers and an "N more on the web" link (and, if that is not enough, the last themes
 * are only listed), with a warning.
 */
export async function compileIssue(themed: ThemedDigest, options: CompileOptions): Promise<CompiledIssue> {
  const publicUrl = toSafeUrl(options.publicUrl)?.replace(/\/+$/, '');
  if (!publicUrl) throw new ConfigError([`publicUrl must be an http(s) URL (got ${JSON.stringify(options.publicUrl)})`]);
  const maxHtmlBytes = options.maxHtmlBytes ?? DEFAULT_MAX_HTML_BYTES;
  const maxPapers = options.maxPapers === undefined ? null : options.maxPapers;
  if (maxPapers !== null && !(Number.isInteger(maxPapers) && maxPapers >= 1)) {
    throw new ConfigError([`maxPapers must be a whole number of 1 or more (got ${JSON.stringify(maxPapers)})`]);
  }
  const templates = await loadTemplates(options.templatesDir);
  // Each copy renders the subject and preheader templates; checked here, an error names their files.
  for (const t of [templates.subject, templates.preheader]) checkLineTemplate(t.source.trim(), t.file);
  const renderHtml = firstPass(templates.html, templates.htmlPartials, false, false);
  const renderText = firstPass(templates.text, templates.textPartials, true, false);
  const withPapers = themed.themes.filter((t) => t.papers.length > 0);
  const cards = await compileCards(withPapers, templates);

  const build = async (shape: IssueShape, budget: number | null = maxPapers) => {
    const view = buildIssueView(themed, { publicUrl, shape, stillTrending: options.stillTrending, themeStatus: options.themeStatus, edition: options.edition });
    const html = await runMjml(renderHtml(view), {
      templateName: templates.html.file,
      filePath: path.join(templates.dir, templates.html.name),
      locate: locator(templates, view),
    });
    const compiled: CompiledIssue = {
      id: view.issue.id,
      date: view.issue.date,
      subject: '',
      preheader: '',
      // A JSON copy: the stored issue must not share objects with the caller's digest. Not
      // view.themes: that is cut to the size limit, and the web version must keep what was cut.
      themes: JSON.parse(JSON.stringify(themed.themes.filter((t) => t.papers.length > 0))) as Theme[],
      sections: view.themes.map((t, i) => ({
        key: t.key,
        id: t.id,
        label: t.label,
        other: t.other,
        paperCount: t.paperCount,
        shownCount: t.shownCount,
        topTitle: t.papers[0]?.title ?? '',
        interest: t.interest,
        ...(cards ? { cards: cards.byTheme[i]! } : {}),
      })),
      htmlTemplate: restoreSubscriberFields(html, 'html'),
      textTemplate: restoreSubscriberFields(renderText(view), 'text'),
      subjectTemplate: templates.subject.source.trim(),
      preheaderTemplate: templates.preheader.source.trim(),
      warnings: [],
      htmlBytes: 0,
      textBytes: 0,
      webUrl: view.issue.webUrl,
      paperCount: view.issue.paperCount,
      shownPaperCount: view.issue.shownPaperCount,
      maxPapers: budget,
      ...(cards ? { cards: cards.cards } : {}),
    };
    compiled.shownPaperCount = sectionAllocation(compiled, compiled.sections).reduce((n, k) => n + k, 0);
    // Measured on a reader of every section, with a feedback link under every paper it shows.
    const copy = personalizeIssue(compiled, sampleRecipient(publicUrl, copyPapers(compiled, { themes: null })))!;
    compiled.subject = copy.subject;
    compiled.preheader = copy.preheader;
    compiled.htmlBytes = Buffer.byteLength(copy.html);
    compiled.textBytes = Buffer.byteLength(copy.text);
    return { compiled, view };
  };

  // No section of a copy shows more than the budget, so the templates carry no more than that.
  const largest = Math.min(maxPapers ?? Number.POSITIVE_INFINITY, Math.max(1, ...themed.themes.map((t) => t.papers.length)));
  const themeCount = Math.max(1, themed.themes.filter((t) => t.papers.length > 0).length);
  const full = await build({ maxPapersPerTheme: largest, maxThemes: themeCount });
  if (full.compiled.htmlBytes <= maxHtmlBytes) return full.compiled;

  // With a budget, a copy's size follows the papers it shows: a smaller budget for every copy,
  // never topics dropped from the email (their followers would get none). The largest that fits.
  if (maxPapers !== null) {
    const fitted = await largestFitting(maxPapers - 1, (budget) =>
      build({ maxPapersPerTheme: Math.min(budget, largest), maxThemes: themeCount }, budget).then((b) => (b.compiled.htmlBytes <= maxHtmlBytes ? b.compiled : null)),
    );
    if (fitted) {
      fitted.warnings.push(
        `MAX_PAPERS ${maxPapers} makes a copy of every topic ${full.compiled.htmlBytes} bytes of HTML, over the ${maxHtmlBytes}-byte limit: ` +
          `each copy shows at most ${plural(fitted.maxPapers!, 'paper')}`,
      );
      return fitted;
    }
  }

  // Size grows about linearly with the papers shown: fit a line through "all" and "one per
  // theme", guess the largest cap that fits, then step down until it really does.
  let result = await build({ maxPapersPerTheme: 1, maxThemes: themeCount });
  if (result.compiled.htmlBytes <= maxHtmlBytes) {
    const sizes = themed.themes.filter((t) => t.papers.length > 0).map((t) => t.papers.length);
    const shown = (cap: number) => sizes.reduce((n, s) => n + Math.min(s, cap), 0);
    const perPaper = (full.compiled.htmlBytes - result.compiled.htmlBytes) / Math.max(1, shown(largest) - shown(1));
    let cap = 1;
    for (let k = largest - 1; k > 1; k--) {
      if (result.compiled.htmlBytes + perPaper * (shown(k) - shown(1)) <= maxHtmlBytes) {
        cap = k;
        break;
      }
    }
    for (; cap > 1; cap--) {
      const attempt = await build({ maxPapersPerTheme: cap, maxThemes: themeCount });
      if (attempt.compiled.htmlBytes <= maxHtmlBytes) {
        result = attempt;
        break;
      }
    }
  } else {
    // Even one paper per theme is too big (dozens of themes): list the last themes by name only.
    const best = await largestFitting(themeCount - 1, (themes) =>
      build({ maxPapersPerTheme: 1, maxThemes: themes }).then((b) => (b.compiled.htmlBytes <= maxHtmlBytes ? b : null)),
    );
    if (!best) {
      throw new TemplateError(
        `the issue is ${result.compiled.htmlBytes} bytes of HTML even with one theme and one paper, over the ${maxHtmlBytes}-byte limit`,
        'make the templates smaller, or raise maxHtmlBytes (Gmail clips above about 102 KB)',
      );
    }
    result = best;
  }
  const c = result.compiled;
  const trimmed = c.paperCount - c.shownPaperCount;
  const hiddenThemes = result.view.hiddenThemes.length;
  const perTheme = Math.max(...c.sections.map((s) => s.shownCount));
  c.warnings.push(
    `HTML trimmed to fit ${maxHtmlBytes} bytes (${full.compiled.htmlBytes} in full, ${c.htmlBytes} now): ` +
      `at most ${plural(perTheme, 'paper')} per theme, ${trimmed} of ${plural(c.paperCount, 'paper')} left to the web version` +
      (hiddenThemes > 0 ? `, ${plural(hiddenThemes, 'topic')} only listed by name (their followers get no email)` : ''),
  );
  return c;
}
