/**
 * The preferences page's part for issue #20 (routes/mount-reader-signal-routes.ts handles its
 * forms): what the reader told paperpost and what paperpost made of it, each with a way to undo.
 *
 * - Follows and mutes: listed by kind, each with Remove; one form adds an author, a phrase or a
 *   mute (at most MAX_FOLLOW_LENGTH characters).
 * - Papers you rated, newest first, each with Undo.
 * - What paperpost thinks you like: the terms that weigh most for and against (when the reader
 *   model can say).
 * - Your data: reset the picks, download everything as JSON, delete everything.
 *
 * Every button is a POST with a CSRF field. Follows, titles and terms are untrusted text,
 * escaped by renderHtml. Kept apart from the rest of the preferences page (topics, name,
 * cadence), which mount-subscriber-routes.ts renders.
 */
import type { ReaderExplanation, TermWeight } from '../../picks/explain-reader.js';
import { MIN_RATINGS } from '../../picks/reader-model.js';
import { MAX_FOLLOW_LENGTH, type FollowKind, type ReaderSignalSet } from '../../picks/reader-signals.js';
import { plural } from '../../plural.js';
import { renderHtml as h, type Html } from './render-html.js';
import { CHOICE_LABEL, paperUrl } from './render-feedback-page.js';

/** What the block needs. */
export interface ReaderSignalsView {
  /** The preferences token: every form posts under /p/<token>/. */
  token: string;
  signals: ReaderSignalSet;
  /** What the reader model learned (picks/explain-reader.ts); the part is left out without one. */
  explanation?: ReaderExplanation;
  /** The hidden CSRF field for a form of `scope`. */
  csrf(scope: string): Html;
  /** The outcome code of the last action (?signals=), shown as a notice; unknown codes show nothing. */
  done?: string;
  /** Follows and ratings may be changed (not for an address that bounced or complained). */
  editable: boolean;
}

/** CSRF scopes of the block's forms. */
export const SIGNAL_SCOPES = { signals: 'signals', reset: 'signals-reset', download: 'signals-download', forget: 'signals-forget' } as const;

/** What each outcome code says. Only these texts are shown: nothing of the query string is echoed. */
export const SIGNAL_NOTICES: Record<string, string> = {
  followed: 'Added.',
  'already-followed': 'That is on your list already.',
  'muted-instead': 'You followed that phrase; now it is muted instead.',
  'followed-instead': 'You muted that phrase; now you follow it instead.',
  unfollowed: 'Removed.',
  undone: 'Your rating is removed.',
  reset: 'Your picks are reset: every rating, follow and mute is gone.',
};

const KIND_HEADINGS: Record<FollowKind, string> = { author: 'Authors you follow', phrase: 'Phrases you follow', mute: 'Phrases you muted' };
const KIND_LABEL: Record<FollowKind, string> = { author: 'Follow an author', phrase: 'Follow a phrase', mute: 'Mute a phrase' };

/** The whole block, as sections of the preferences page. */
export function renderReaderSignals(view: ReaderSignalsView): Html {
  const text = view.done !== undefined && Object.hasOwn(SIGNAL_NOTICES, view.done) ? SIGNAL_NOTICES[view.done] : undefined;
  const notice = text ? h`<p class="notice" role="status">${text}</p>` : '';
  return h`<section aria-labelledby="picks-heading">
<h2 id="picks-heading">Picked for you</h2>
<p>Each issue starts with papers picked for you from what you tell paperpost: the authors and phrases you follow, and your “More like this” and “Less like this” on papers. Nothing else is used: no opens, no clicks.</p>
${notice}
${view.editable ? renderFollows(view) : ''}
${renderRatings(view)}
${renderExplanation(view.explanation, view.signals.ratings.length)}
</section>
${renderYourData(view)}`;
}

function renderFollows(view: ReaderSignalsView): Html {
  const { token, signals } = view;
  const kinds: FollowKind[] = ['author', 'phrase', 'mute'];
  const lists = kinds.map((kind) => {
    const mine = signals.follows.filter((f) => f.kind === kind);
    if (mine.length === 0) return '';
    return h`<h4>${KIND_HEADINGS[kind]}</h4><ul class="follows">${mine.map(
      (f) =>
        h`<li>${f.value} <form class="inline" method="post" action="/p/${token}/follows/remove">${view.csrf(SIGNAL_SCOPES.signals)}<input type="hidden" name="kind" value="${kind}"><input type="hidden" name="key" value="${f.key}"><button type="submit" class="secondary" aria-label="Remove ${f.value}">Remove</button></form></li>`,
    )}</ul>`;
  });
  const none = signals.follows.length === 0 ? h`<p class="muted">You follow no author or phrase yet.</p>` : '';
  return h`<h3 id="follows">Follows and mutes</h3>
${none}${lists}
<form method="post" action="/p/${token}/follows">
${view.csrf(SIGNAL_SCOPES.signals)}
<fieldset>
<legend>Add to the list</legend>
${kinds.map((k, i) => h`<label class="choice"><input type="radio" name="kind" value="${k}"${i === 0 ? h` checked` : ''}> <span>${KIND_LABEL[k]}</span></label>`)}
<label for="follow-value">Author or phrase <span class="hint">An author as papers list them (“Tri Dao”), or words such as “speculative decoding”. At most ${MAX_FOLLOW_LENGTH} characters. A muted phrase keeps papers out of your picks.</span></label>
<div class="row"><input id="follow-value" name="value" type="text" required maxlength="${MAX_FOLLOW_LENGTH}"><button type="submit">Add</button></div>
</fieldset>
</form>`;
}

function renderRatings(view: ReaderSignalsView): Html {
  const { ratings } = view.signals;
  if (ratings.length === 0) {
    return h`<h3 id="ratings">Papers you rated</h3><p class="muted">None yet. Under each paper of an issue, “More like this” and “Less like this” open a page where one button saves your choice.</p>`;
  }
  const items = ratings.map((r) => {
    const url = paperUrl(r);
    const title = url ? h`<a href="${url}">${r.title}</a>` : h`${r.title}`;
    const undo = view.editable
      ? h` <form class="inline" method="post" action="/p/${view.token}/ratings/remove">${view.csrf(SIGNAL_SCOPES.signals)}<input type="hidden" name="paper" value="${r.paperId}"><button type="submit" class="secondary" aria-label="Undo your rating of ${r.title}">Undo</button></form>`
      : '';
    return h`<li>${title} <span class="muted">· ${CHOICE_LABEL[r.choice]} · ${r.ratedAt.slice(0, 10)}</span>${undo}</li>`;
  });
  return h`<h3 id="ratings">Papers you rated</h3><p class="muted">Newest first.</p><ul class="papers">${items}</ul>`;
}

function renderExplanation(explanation: ReaderExplanation | undefined, ratings: number): Html | string {
  if (explanation === undefined) return '';
  const heading = h`<h3 id="model">What paperpost thinks you like</h3>`;
  if (!explanation.model || (explanation.for.length === 0 && explanation.against.length === 0)) {
    return h`${heading}<p class="muted">Nothing learned yet${ratings > 0 ? ` from ${plural(ratings, 'rating')}` : ''}. Once you have rated at least ${MIN_RATINGS} papers, one of them “More like this”, the words and authors that weigh most for and against a paper appear here. Until then, your follows and topics choose your picks.</p>`;
  }
  const list = (terms: TermWeight[]) =>
    terms.length ? h`<ul>${terms.map((t) => h`<li>${t.term}${t.author ? h` <span class="muted">(author)</span>` : ''}</li>`)}</ul>` : h`<p class="muted">None yet.</p>`;
  return h`${heading}<p>Learned from your ${plural(explanation.ratings, 'rating')}: what weighs most, strongest first.</p>
<h4>For a paper</h4>${list(explanation.for)}
<h4>Against a paper</h4>${list(explanation.against)}`;
}

function renderYourData(view: ReaderSignalsView): Html {
  const form = (action: string, scope: string, label: string, cls: string) =>
    h`<form method="post" action="/p/${view.token}/${action}">${view.csrf(scope)}<button type="submit" class="${cls}">${label}</button></form>`;
  return h`<section aria-labelledby="data-heading">
<h2 id="data-heading">Your data</h2>
<p>Reset your picks: remove every rating, follow and mute, and start again. Your topics and subscription stay.</p>
${form('reset', SIGNAL_SCOPES.reset, 'Reset my picks…', 'secondary')}
<p>Download everything paperpost keeps about you, as a JSON file.</p>
${form('download', SIGNAL_SCOPES.download, 'Download my data', 'secondary')}
<p>Delete your data: your address, name, topics, ratings, follows and mutes. Issues stop. Only a keyed hash of the address stays, so no import can add it back.</p>
${form('delete', SIGNAL_SCOPES.forget, 'Delete my data…', 'danger')}
</section>`;
}
