/**
 * The forms of the preferences page's "Picked for you" and "Your data" parts (issue #20; the
 * page itself is mount-subscriber-routes.ts, the markup views/render-reader-signals.ts). The
 * signed preferences token in the URL is the authority, as for the rest of that page; every
 * form is a POST with a CSRF field bound to it.
 *
 * - POST /p/:token/follows (kind, value) adds a follow or a mute (a mute of a followed phrase
 *   replaces the follow, and the other way round, as the store keeps them); /follows/remove
 *   (kind, key) removes one; /ratings/remove (paper) undoes a rating. Each answers 303 back to the page.
 * - POST /p/:token/reset: first a page that asks; with confirm=yes, every rating and follow goes.
 * - POST /p/:token/download: everything stored about the reader, as a JSON attachment. It
 *   changes nothing; a POST so that no link scanner ever fetches a reader's data.
 * - POST /p/:token/delete: first a page that asks; with confirm=yes, the reader is forgotten
 *   (the address, name, topics, ratings, follows; only a keyed hash stays on the suppression
 *   list) and the page says what was erased. The link stops working. Without a real
 *   SECRET_KEY (serve on the development key) it refuses (503) and changes nothing.
 *
 * Following and rating are refused for an address that bounced or complained (as saving the
 * rest of the page is); reset, download and delete work whatever the status.
 */
import type { Context, Hono } from 'hono';
import { ReaderGoneError } from '../../errors.js';
import { MAX_FOLLOW_LENGTH, followKey, type FollowKind } from '../../picks/reader-signals.js';
import { followsClosed } from '../../subscribers/signal-consent.js';
import { FORGOTTEN_PREFIX } from '../../subscribers/forgotten-address.js';
import { markingKey } from '../../subscribers/marking-key.js';
import { verifyToken } from '../../subscribers/sign-token.js';
import { plural } from '../../plural.js';
import type { Subscriber } from '../../types.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { CSRF_FIELD } from '../security/create-csrf-guard.js';
import { checkFormPost } from '../security/check-form-post.js';
import { cleanName } from '../../subscribers/clean-name.js';
import { readForm } from './read-form.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';
import { forbiddenPage, notFoundPage, renderStatusPage } from '../views/render-status-page.js';
import { SIGNAL_SCOPES } from '../views/render-reader-signals.js';
import { authorAmbiguity, exportReaderData, forgetReader, signalLimitMessage } from './reader-signal-ports.js';

const KINDS: readonly FollowKind[] = ['author', 'phrase', 'mute'];

/** Adds the routes to `hono`. */
export function mountReaderSignalRoutes(hono: Hono<WebEnv>, ctx: WebContext): void {
  const { app } = ctx;
  const store = () => app.store();
  const page = (c: Context<WebEnv>, title: string, body: Html, status: 200 | 400 = 200) => c.html(renderLayout({ title, body }), status);
  const csrfInput = (scope: string, token: string) => h`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.tokenFor(scope, token)}">`;
  const back = (token: string, done: string, anchor: string) => `/p/${token}?signals=${done}#${anchor}`;

  /**
   * The POST's subscriber and form, once the token and the CSRF field check out; else the
   * 404 or 403 to answer with.
   */
  const accept = async (c: Context<WebEnv>, scope: string): Promise<{ token: string; s: Subscriber; form: Awaited<ReturnType<typeof readForm>> } | Response> => {
    const token = c.req.param('token') ?? '';
    const id = verifyToken(app.config.secretKey, 'preferences', token);
    const s = id === null ? null : await store().getSubscriberById(id);
    if (!s) return notFoundPage(c);
    const form = await readForm(c);
    const refused = checkFormPost(c, ctx.csrf, app.config.publicUrl, { scope, binding: token, given: form.get(CSRF_FIELD) });
    if (refused) return forbiddenPage(c, refused);
    return { token, s, form };
  };
  // A forgotten address signed up again keeps its mark until its owner confirms (signal-consent.ts).
  const left = async (s: Subscriber) =>
    followsClosed(s.status, s.status === 'pending' && !!(await store().findSuppression(s.email, { forgotten: true }))?.pattern.startsWith(FORGOTTEN_PREFIX));

  hono.post('/p/:token/follows', async (c) => {
    const a = await accept(c, SIGNAL_SCOPES.signals);
    if (a instanceof Response) return a;
    if (await left(a.s)) return c.redirect(`/p/${a.token}`, 303);
    const kind = KINDS.find((k) => k === a.form.get('kind'));
    const typed = a.form.get('value') ?? '';
    // The same cleaning as a name (control characters and bidi overrides out); a longer entry
    // is refused whole below, never stored cut short.
    const value = cleanName(typed) ?? '';
    const problem =
      kind === undefined
        ? 'Choose whether to follow an author, follow a phrase or mute a phrase.'
        : Array.from(typed.trim()).length > MAX_FOLLOW_LENGTH
          ? `Enter at most ${MAX_FOLLOW_LENGTH} characters.`
          : !/[\p{L}\p{N}]/u.test(followKey(kind, value))
            ? 'Enter a name or a phrase, with letters or digits in it.'
            : null;
    if (problem !== null || kind === undefined) return notAdded(c, a.token, problem ?? '');
    let added: boolean | 'replaced';
    try {
      added = await store().addFollow(a.s.id, { kind, value, key: followKey(kind, value) }, ctx.now());
    } catch (error) {
      // Erased meanwhile (forget in another tab or by the operator): the page is gone with the reader.
      if (error instanceof ReaderGoneError) return notFoundPage(c);
      const message = signalLimitMessage(error);
      if (message === null) throw error;
      return notAdded(c, a.token, message);
    }
    const ambiguous = kind === 'author' ? await authorAmbiguity(store(), value) : null;
    if (ambiguous && ambiguous.length > 1) {
      return page(
        c,
        'Author followed',
        h`<h1>You follow ${value}</h1>
<p class="notice" role="status">This name is ambiguous: recent issues list more than one author under it (${ambiguous.join('; ')}). Papers by any of them count as theirs.</p>
<p><a href="${back(a.token, 'followed', 'follows')}">Back to your preferences</a></p>`,
      );
    }
    const done = added === 'replaced' ? (kind === 'mute' ? 'muted-instead' : 'followed-instead') : added ? 'followed' : 'already-followed';
    return c.redirect(back(a.token, done, 'follows'), 303);
  });

  hono.post('/p/:token/follows/remove', async (c) => {
    const a = await accept(c, SIGNAL_SCOPES.signals);
    if (a instanceof Response) return a;
    if (await left(a.s)) return c.redirect(`/p/${a.token}`, 303);
    const kind = KINDS.find((k) => k === a.form.get('kind'));
    const key = (a.form.get('key') ?? '').slice(0, MAX_FOLLOW_LENGTH * 4);
    if (kind === undefined || key === '') return renderStatusPage(c, 400, 'Not a follow', 'The form named no author or phrase to stop following. Nothing was changed.');
    await store().removeFollow(a.s.id, kind, key);
    return c.redirect(back(a.token, 'unfollowed', 'follows'), 303);
  });

  hono.post('/p/:token/ratings/remove', async (c) => {
    const a = await accept(c, SIGNAL_SCOPES.signals);
    if (a instanceof Response) return a;
    if (await left(a.s)) return c.redirect(`/p/${a.token}`, 303);
    const paper = (a.form.get('paper') ?? '').slice(0, 200);
    if (paper !== '') await store().removeRating(a.s.id, paper);
    return c.redirect(back(a.token, 'undone', 'ratings'), 303);
  });

  hono.post('/p/:token/reset', async (c) => {
    const a = await accept(c, SIGNAL_SCOPES.reset);
    if (a instanceof Response) return a;
    if (a.form.get('confirm') !== 'yes') {
      const { ratings, follows } = await store().signalsOf(a.s.id);
      return page(
        c,
        'Reset your picks?',
        h`<h1>Reset your picks?</h1>
<p>This removes your ${plural(ratings.length, 'rating')} and ${plural(follows.length, 'follow or mute', 'follows and mutes')}. Your issues go back to your topics alone. Your topics, name and subscription stay.</p>
<form method="post" action="/p/${a.token}/reset">${csrfInput(SIGNAL_SCOPES.reset, a.token)}<input type="hidden" name="confirm" value="yes"><button type="submit" class="danger">Yes, reset my picks</button></form>
<p><a href="/p/${a.token}">Keep them and go back</a></p>`,
      );
    }
    await store().clearSignals(a.s.id);
    return c.redirect(back(a.token, 'reset', 'picks-heading'), 303);
  });

  hono.post('/p/:token/download', async (c) => {
    const a = await accept(c, SIGNAL_SCOPES.download);
    if (a instanceof Response) return a;
    const data = await exportReaderData(store(), a.s.id);
    if (!data) return notFoundPage(c);
    c.header('Content-Disposition', 'attachment; filename="paperpost-my-data.json"');
    return c.body(JSON.stringify(data, null, 2) + '\n', 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  hono.post('/p/:token/delete', async (c) => {
    const a = await accept(c, SIGNAL_SCOPES.forget);
    if (a instanceof Response) return a;
    // Forgetting leaves a hash keyed by SECRET_KEY; the development key would make it public (marking-key.ts).
    if (markingKey(app.config) === undefined) {
      return renderStatusPage(
        c,
        503,
        'Your data cannot be deleted right now',
        h`<p class="problem">This newsletter is not fully set up yet (its operator has not set a secret key), so deleting your data is turned off. Nothing was changed.</p>
<p>Please try again later, or write to the newsletter's operator. <a href="/p/${a.token}">Back to your preferences</a></p>`,
      );
    }
    if (a.form.get('confirm') !== 'yes') {
      return page(
        c,
        'Delete your data?',
        h`<h1>Delete your data?</h1>
<p>paperpost erases your address, your name, your topics, your ratings, follows and mutes, and the records of what was sent to you. No more issues arrive, and this link stops working.</p>
<p>Only a keyed hash of your address stays on the list of addresses never to mail, so that no import can add it back. You can subscribe again at any time from the subscribe page.</p>
<form method="post" action="/p/${a.token}/delete">${csrfInput(SIGNAL_SCOPES.forget, a.token)}<input type="hidden" name="confirm" value="yes"><button type="submit" class="danger">Yes, delete my data</button></form>
<p><a href="/p/${a.token}">Keep it and go back</a></p>`,
      );
    }
    const erased = await forgetReader(store(), a.s.id);
    if (!erased) return notFoundPage(c);
    return page(
      c,
      'Your data is deleted',
      h`<h1>Your data is deleted</h1>
<p class="notice" role="status">paperpost no longer knows your address.</p>
<p>Erased:</p>
<ul>${erased.map((line) => h`<li>${line}</li>`)}</ul>
<p>Kept: a keyed hash of the address on the list of addresses never to mail, which cannot be turned back into it.</p>`,
    );
  });

  /** 400 with what to fix and the way back. */
  const notAdded = (c: Context<WebEnv>, token: string, problem: string) =>
    renderStatusPage(c, 400, 'Not added', h`<p class="problem">${problem}</p><p><a href="/p/${token}#follows">Back to your preferences</a></p>`);
}
