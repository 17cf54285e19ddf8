/**
 * The pages behind a paper's "More like this" / "Less like this" link (routes/mount-feedback-routes.ts).
 * Mail scanners open every link of a message, and some run its scripts, so the page a link opens
 * only shows the paper with the choice preselected and one button: nothing is recorded until a
 * person presses it (a POST with a CSRF field). After it, the confirmation offers undo and a
 * follow button per author, each a POST too.
 *
 * Everything here is untrusted text from a digest (titles, authors, abstracts), escaped by
 * renderHtml. Links: the paper's own page only (arXiv or the source's, as the issue had it);
 * never the reader's preferences link, which a feedback link must not hand out (feedback links
 * are copied and shared more freely, and the preferences page can erase the subscription).
 */
import type { RatedPaper, RatingChoice } from '../../picks/reader-signals.js';
import { arxivLinks } from '../../render/arxiv-links.js';
import { truncateWords } from '../../render/truncate-words.js';
import { toSafeUrl } from '../../to-safe-url.js';
import { renderHtml as h, type Html } from './render-html.js';

/** A rated paper as the page shows it: its text, and its page when the issue had one. */
export type FeedbackPaper = RatedPaper & { url?: string | null };

/** The abstract is cut to this many characters: the page is for recognising the paper, not reading it. */
export const SHORT_ABSTRACT = 400;
/** Authors shown with a follow button each; a 300-author paper lists the first ones. */
export const MAX_FOLLOWABLE_AUTHORS = 12;

/** The words of each choice, as the email's links say them. */
export const CHOICE_LABEL: Record<RatingChoice, string> = { more: 'More like this', less: 'Less like this' };

/** The paper's page: the issue's link when it is a safe http(s) URL, else arXiv's by id. */
export function paperUrl(paper: FeedbackPaper): string | null {
  return toSafeUrl(paper.url ?? null) ?? arxivLinks(paper.paperId)?.abs ?? null;
}

/** Title (linked), authors and a short abstract. */
export function renderPaperCard(paper: FeedbackPaper): Html {
  const url = paperUrl(paper);
  const title = url ? h`<a href="${url}">${paper.title}</a>` : h`${paper.title}`;
  const shown = paper.authors.slice(0, MAX_FOLLOWABLE_AUTHORS);
  const more = paper.authors.length - shown.length;
  const authors = shown.length ? h`<p class="meta muted">${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}</p>` : '';
  const abstract = paper.abstract ? h`<p>${truncateWords(paper.abstract, SHORT_ABSTRACT)}</p>` : '';
  return h`<article class="paper"><h2>${title}</h2>${authors}${abstract}</article>`;
}

/** What the choice form needs. */
export interface ChoiceFormView {
  action: string;
  csrf: Html;
  paper: FeedbackPaper;
  /** The choice to preselect (the link's). */
  choice: RatingChoice;
  /** The reader's current rating of this paper, if any. */
  current: { choice: RatingChoice; ratedAt: string } | null;
  /** A line above the form ("Your rating is removed."). */
  notice?: string;
}

/** The page a feedback link opens: the paper, the choice preselected, one button. */
export function renderChoiceForm(view: ChoiceFormView): Html {
  const radio = (value: RatingChoice) =>
    h`<label class="choice"><input type="radio" name="choice" value="${value}"${view.choice === value ? h` checked` : ''}> <span>${CHOICE_LABEL[value]}</span></label>`;
  const current = view.current
    ? h`<p class="muted">You marked this paper “${CHOICE_LABEL[view.current.choice]}” on ${view.current.ratedAt.slice(0, 10)}.</p>`
    : '';
  return h`<h1>${CHOICE_LABEL[view.choice]}?</h1>
${view.notice ? h`<p class="notice" role="status">${view.notice}</p>` : ''}
${renderPaperCard(view.paper)}
${current}
<form method="post" action="${view.action}">
${view.csrf}
<fieldset>
<legend>Your rating of this paper</legend>
${radio('more')}
${radio('less')}
</fieldset>
<button type="submit">Save my rating</button>
</form>
<p class="muted">Nothing is saved until you press the button. Your ratings choose the papers “Picked for you” at the top of your issues. Your preferences page (the link at the foot of every issue) lists them, with undo.</p>`;
}

/** One author of the rated paper, with what following them needs. */
export interface AuthorFollow {
  name: string;
  /** The reader follows this author already. */
  following: boolean;
  csrf: Html;
}

/** What the confirmation needs. */
export interface SavedView {
  paper: FeedbackPaper;
  choice: RatingChoice;
  /**
   * 'recorded' (new), 'changed' (the other choice replaced), 'unchanged' (the same POST again),
   * 'current' (no rating was posted now: the page after a follow shows the rating as it stands).
   */
  outcome: 'recorded' | 'changed' | 'unchanged' | 'current';
  undo: { action: string; csrf: Html };
  follow: { action: string; authors: AuthorFollow[] };
  /** The result of a follow just made, shown at the top. */
  followed?: { name: string; ambiguous: string[] | null; added: boolean };
}

/** After the POST: the rating confirmed, undo, and a follow button per author. */
export function renderSaved(view: SavedView): Html {
  const said =
    view.outcome === 'unchanged'
      ? h`<p class="notice" role="status">You had already marked this paper “${CHOICE_LABEL[view.choice]}”: it counts once.</p>`
      : view.outcome === 'current'
        ? h`<p>You marked this paper “${CHOICE_LABEL[view.choice]}”.</p>`
        : h`<p class="notice" role="status">Saved: “${CHOICE_LABEL[view.choice]}”. Your next issues pick papers with this in mind.</p>`;
  const followed = view.followed ? renderFollowed(view.followed) : '';
  const authors = view.follow.authors.map((a) =>
    a.following
      ? h`<li>${a.name} <span class="muted">(you follow them)</span></li>`
      : h`<li><form class="inline" method="post" action="${view.follow.action}">${a.csrf}<input type="hidden" name="author" value="${a.name}"><button type="submit" class="secondary">Follow ${a.name}</button></form></li>`,
  );
  return h`<h1>${view.outcome === 'current' ? 'Your rating' : 'Thank you'}</h1>
${followed}
${said}
${renderPaperCard(view.paper)}
<form method="post" action="${view.undo.action}">${view.undo.csrf}<button type="submit" class="secondary">Undo</button></form>
${authors.length ? h`<h2>Follow an author</h2><p>Papers by an author you follow are picked for you first.</p><ul class="paper-list follow-list">${authors}</ul>` : ''}`;
}

/** The line about a follow just made, saying when the name is shared by more than one author. */
function renderFollowed(f: { name: string; ambiguous: string[] | null; added: boolean }): Html {
  const head = f.added ? h`You now follow ${f.name}.` : h`You already follow ${f.name}.`;
  if (!f.ambiguous || f.ambiguous.length < 2) return h`<p class="notice" role="status">${head}</p>`;
  return h`<p class="notice" role="status">${head} Note: this name is ambiguous. Recent issues list more than one author under it (${f.ambiguous.join('; ')}), and papers by any of them count as theirs.</p>`;
}

/** The page after undo: the rating is gone; the form is back with the link's choice. */
export function renderUndone(view: Omit<ChoiceFormView, 'current' | 'notice'>): Html {
  return renderChoiceForm({ ...view, current: null, notice: 'Your rating is removed. Nothing about this paper is kept.' });
}
