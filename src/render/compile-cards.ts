/**
 * Every paper's card, compiled once per issue (issue #20): the HTML and text a copy shows of
 * one paper, apart from the layout, so each reader's copy can show any paper of the day
 * ("Picked for you" draws from all of them) in the reader's own order, and the composer can
 * encode each card once and assemble copies from encoded pieces.
 *
 * 1. Render the `paper-card` partials (partials/paper-card.mjml.hbs and .txt.hbs) of every
 *    paper in the first pass, each card between two marker characters; the text card's list
 *    marker ("1.") and indent, which depend on where a reader's copy puts the card, are
 *    placeholders.
 * 2. Run the HTML cards through MJML once, in a document of their own (so they are minified as
 *    in the issue), and cut them out at the markers.
 * 3. Make each card a per-subscriber template: the deferred expressions live again, and the
 *    placeholders become `\{{marker}}` and `\{{indent}}`. A card is then rendered per copy with
 *    `recipient`, `paper` (this paper's entry of every value by paper: its feedback links),
 *    `reason` (why it was picked, or null), `marker` and `indent`.
 * Templates without both paper-card partials get no cards: copies then lay out without plans.
 */
import path from 'node:path';
import { TemplateError } from '../errors.js';
import type { Theme } from '../types.js';
import { buildPaperView } from './build-paper-view.js';
import { restoreSubscriberFields } from './defer-subscriber-fields.js';
import { firstPass } from './first-pass.js';
import type { TemplateSet } from './load-templates.js';
import { runMjml } from './run-mjml.js';

/** One paper's card as the per-subscriber pass renders it. */
export interface CompiledCard {
  /** The paper's id (what plans and feedback links name). */
  id: string;
  /** Per-subscriber Handlebars: the HTML card, and the plain-text one (without its last line break). */
  html: string;
  text: string;
}

const OPEN = '\uE001';
const CLOSE = '\uE002';
const MARKER = '\uE005';
const INDENT = '\uE006';
const CARD_LIST = `{{#each cards}}${OPEN}{{> paper-card}}${CLOSE}{{/each}}`;

/** The placeholders back as per-subscriber fields (after the deferred expressions are restored). */
const livePlaceholders = (card: string) => card.replaceAll(MARKER, '{{marker}}').replaceAll(INDENT, '{{indent}}');

function cut(output: string, count: number, what: string): string[] {
  const cards = [...output.matchAll(new RegExp(`${OPEN}([\\s\\S]*?)${CLOSE}`, 'g'))].map((m) => m[1]!);
  if (cards.length !== count) {
    throw new TemplateError(`the ${what} paper-card partial gave ${cards.length} cards for ${count} papers`, 'a paper card must not print the characters U+E001 or U+E002');
  }
  return cards;
}

/** The cards of every paper of `themes` (see the file comment), and each theme's cards by index in the day's order; null without paper-card partials. */
export async function compileCards(themes: readonly Theme[], templates: TemplateSet): Promise<{ cards: CompiledCard[]; byTheme: number[][] } | null> {
  const htmlPartial = templates.htmlPartials.get('paper-card');
  const textPartial = templates.textPartials.get('paper-card');
  if (!htmlPartial || !textPartial) return null;
  // 1.
  const views: object[] = [];
  const ids: string[] = [];
  const byTheme = themes.map((t) =>
    t.papers.map((p) => {
      views.push({ ...buildPaperView(p), marker: MARKER, indent: INDENT });
      ids.push(p.id);
      return views.length - 1;
    }),
  );
  if (views.length === 0) return { cards: [], byTheme };
  const name = 'paper cards (partials/paper-card)';
  const file = `paper cards (${path.join(templates.shownDir, 'partials/paper-card')})`;
  const html = firstPass({ name, file, source: `<mjml><mj-body><mj-section><mj-column><mj-text>${CARD_LIST}</mj-text></mj-column></mj-section></mj-body></mjml>` }, templates.htmlPartials, false, false)({ cards: views });
  const text = firstPass({ name, file, source: CARD_LIST }, templates.textPartials, true, false)({ cards: views });
  // 2.
  const htmlCards = cut(await runMjml(html, { templateName: htmlPartial.file, filePath: path.join(templates.dir, htmlPartial.name) }), views.length, 'HTML');
  const textCards = cut(text, views.length, 'text');
  // 3.
  const cards = ids.map((id, i) => ({
    id,
    html: livePlaceholders(restoreSubscriberFields(htmlCards[i]!.trim(), 'html')),
    text: livePlaceholders(restoreSubscriberFields(textCards[i]!, 'text')),
  }));
  return { cards, byTheme };
}
