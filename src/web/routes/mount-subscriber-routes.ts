/**
 * The pages behind a subscriber's own links. The signed token in the URL is the authority;
 * a forged or unknown one gets a bare 404.
 *
 * - /u/:token: GET shows a page with an Unsubscribe button and never unsubscribes (link
 *   scanners follow links). POST with the body List-Unsubscribe=One-Click (RFC 8058, sent
 *   by mail clients, which cannot carry a CSRF token) unsubscribes at once; a POST from the
 *   page's button carries a CSRF token.
 * - /u/:token/resubscribe: after unsubscribing, one button emails a fresh confirmation link
 *   to the address; only a click on that link makes them active again. An unsubscribe link
 *   travels with every forwarded issue, so holding it proves nothing about who asks.
 * - /p/:token: themes (all, or a pick from recent issues), name, cadence (daily, or weekly on a
 *   weekday), and an unsubscribe button; then the reader's picks and data (issue #20: follows,
 *   ratings, reset, download, delete), rendered by readerSignalsBlock below and posted to
 *   mount-reader-signal-routes.ts.
 */
import type { Context, Hono } from 'hono';
import { signToken, verifyToken, type TokenPurpose } from '../../subscribers/sign-token.js';
import { ID_FLOOR } from '../../store/shared/reader-data.js';
import type { Subscriber } from '../../types.js';
import { CSRF_FIELD } from '../security/create-csrf-guard.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { checkFormPost } from '../security/check-form-post.js';
import { sendSubscriptionMail } from './send-subscription-mail.js';
import { CONFIRM_TTL_MS } from './subscribe-address.js';
import { listTopicChoices } from './list-topic-choices.js';
import { maskEmail } from '../views/mask-email.js';
import { MAX_NAME_LENGTH, cleanName } from '../../subscribers/clean-name.js';
import { readForm, type FormData } from './read-form.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';
import { forbiddenPage, notFoundPage } from '../views/render-status-page.js';
import { parseThemeChoices, renderThemeChoices, withHeldChoices } from '../views/render-theme-choices.js';
import { renderReaderSignals } from '../views/render-reader-signals.js';
import { explainSignals } from './reader-signal-ports.js';
import { parseCadenceChoice, renderCadenceChoice } from '../views/render-cadence-choice.js';
import { cadenceOf } from '../../subscribers/cadence.js';
import type { Cadence } from '../../types.js';

const ONE_CLICK = 'One-Click';

/** True when the POST is RFC 8058's one-click request (form field, or the same text as a bare body). */
async function isOneClick(c: Context, form: FormData): Promise<boolean> {
  if (form.get('List-Unsubscribe') === ONE_CLICK) return true;
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) return false;
  const text = await c.req.text().catch(() => '');
  return text.trim() === `List-Unsubscribe=${ONE_CLICK}`;
}

/** Adds the routes to `hono`. */
export function mountSubscriberRoutes(hono: Hono<WebEnv>, ctx: WebContext): void {
  const { app } = ctx;
  const key = app.config.secretKey;
  const store = () => app.store();

  const target = async (c: Context<WebEnv>, purpose: TokenPurpose) => {
    const token = c.req.param('token') ?? '';
    const id = verifyToken(key, purpose, token);
    const subscriber = id === null ? null : await store().getSubscriberById(id);
    return subscriber ? { token, subscriber } : null;
  };
  /** Null when the form checks out, else why it was refused. */
  const formRefusal = (c: Context<WebEnv>, form: FormData, scope: string, token: string) =>
    checkFormPost(c, ctx.csrf, app.config.publicUrl, { scope, binding: token, given: form.get(CSRF_FIELD) });
  const csrfInput = (scope: string, token: string) => h`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.tokenFor(scope, token)}">`;
  const unsubscribe = async (s: Subscriber) => {
    if (s.status === 'active' || s.status === 'pending') await store().setSubscriberStatus(s.id, 'unsubscribed');
  };
  const unsubscribeForm = (unsubToken: string, label = 'Unsubscribe') =>
    h`<form method="post" action="/u/${unsubToken}">${csrfInput('unsubscribe', unsubToken)}<button type="submit" class="danger">${label}</button></form>`;
  const resubscribeForm = (unsubToken: string) =>
    h`<form method="post" action="/u/${unsubToken}/resubscribe">${csrfInput('resubscribe', unsubToken)}<button type="submit">Subscribe again</button></form>`;
  const page = (c: Context<WebEnv>, title: string, body: Html, status: 200 | 400 = 200) => c.html(renderLayout({ title, body }), status);

  /** Issue #20's part of the preferences page: follows, ratings, what paperpost learned, your data. */
  const readerSignalsBlock = async (c: Context<WebEnv>, token: string, s: Subscriber) => {
    const signals = await store().signalsOf(s.id);
    return renderReaderSignals({
      token,
      signals,
      explanation: explainSignals(signals),
      csrf: (scope) => csrfInput(scope, token),
      done: c.req.query('signals'),
      editable: s.status !== 'bounced' && s.status !== 'complained',
    });
  };

  hono.get('/u/:token', async (c) => {
    const t = await target(c, 'unsubscribe');
    if (!t) return notFoundPage(c);
    const { token, subscriber: s } = t;
    const prefs = `/p/${signToken(key, 'preferences', s.id)}`;
    if (s.status === 'active' || s.status === 'pending') {
      return page(
        c,
        'Unsubscribe',
        h`<h1>Unsubscribe from paperpost?</h1>
<p>${maskEmail(s.email)} will get no more issues.</p>
${unsubscribeForm(token)}
<p class="muted">Too much mail? You can also <a href="${prefs}">follow fewer topics</a> instead.</p>`,
      );
    }
    if (s.status === 'unsubscribed') {
      return page(
        c,
        'Unsubscribed',
        h`<h1>You are unsubscribed</h1>
<p class="notice" role="status">${maskEmail(s.email)} will get no more issues of paperpost.</p>
<h2>Changed your mind?</h2>
<p>One click puts you back on the list, with the topics you had.</p>
${resubscribeForm(token)}`,
      );
    }
    return page(c, 'Unsubscribed', h`<h1>You are unsubscribed</h1><p>paperpost sends nothing more to ${maskEmail(s.email)}.</p>`);
  });

  hono.post('/u/:token', async (c) => {
    const t = await target(c, 'unsubscribe');
    if (!t) {
      // A one-click unsubscribe (RFC 8058) on a genuine link of a reader who is gone (forgotten at
      // their request): they get nothing more already, so it succeeds and changes nothing; a
      // signed id that never was a reader's is still a 404. A mail
      // provider that got a 404 might keep retrying, or count the list as broken.
      const id = verifyToken(key, 'unsubscribe', c.req.param('token') ?? '');
      // Forgetting raises the id floor past the forgotten id (store/), so an id at or under it that is gone was a reader's.
      const wasReader = id !== null && id <= Number((await store().getMeta(ID_FLOOR)) ?? 0);
      if (wasReader && (await isOneClick(c, await readForm(c)))) {
        return page(c, 'Unsubscribed', h`<h1>You are unsubscribed</h1><p>paperpost sends nothing more to this address.</p>`);
      }
      return notFoundPage(c);
    }
    const form = await readForm(c);
    if (await isOneClick(c, form)) {
      await unsubscribe(t.subscriber);
      return page(c, 'Unsubscribed', h`<h1>You are unsubscribed</h1><p>paperpost sends nothing more to this address.</p>`);
    }
    const refused = formRefusal(c, form, 'unsubscribe', t.token);
    if (refused) return forbiddenPage(c, refused);
    await unsubscribe(t.subscriber);
    return c.redirect(`/u/${t.token}`, 303);
  });

  hono.post('/u/:token/resubscribe', async (c) => {
    const t = await target(c, 'unsubscribe');
    if (!t) return notFoundPage(c);
    const form = await readForm(c);
    const refused = formRefusal(c, form, 'resubscribe', t.token);
    if (refused) return forbiddenPage(c, refused);
    if (t.subscriber.status !== 'unsubscribed') return c.redirect(`/u/${t.token}`, 303);
    // The way back is the person's own click on a fresh link, as from the subscribe form.
    const s = t.subscriber;
    if (!(await store().findSuppression(s.email))) {
      const request = await store().createConfirmation(s.id, { name: s.name, themes: s.themes }, CONFIRM_TTL_MS);
      ctx.background(`the confirm email to subscriber ${s.id}`, () => sendSubscriptionMail(app, s, 'confirm', ctx.now, request.nonce));
    }
    return page(
      c,
      'Check your inbox',
      h`<h1>Check your inbox</h1><p>We have emailed ${maskEmail(s.email)} a link to confirm. Open it to get paperpost again; until then nothing arrives.</p>`,
    );
  });

  const showPreferences = async (
    c: Context<WebEnv>,
    token: string,
    s: Subscriber,
    state: { name?: string | null; themes?: string[] | null; themesError?: string; cadence?: Cadence; cadenceError?: string } = {},
    status: 200 | 400 = 200,
  ) => {
    const labels = withHeldChoices(await listTopicChoices(ctx), s.themes);
    const unsubToken = signToken(key, 'unsubscribe', s.id);
    const notice =
      c.req.query('saved') !== undefined
        ? h`<p class="notice" role="status">Your preferences are saved.</p>`
        : '';
    const stateNote =
      s.status === 'pending'
        ? h`<p class="notice">Your subscription is not confirmed yet: open the link in the confirmation email we sent. Until then no issues arrive.</p>`
        : s.status === 'unsubscribed'
          ? h`<div class="problem"><p>You are unsubscribed: no issues arrive.</p>${resubscribeForm(unsubToken)}</div>`
          : '';
    if (s.status === 'bounced' || s.status === 'complained') {
      return page(c, 'Your preferences', h`<h1>Your preferences</h1><p>paperpost sends nothing more to ${maskEmail(s.email)}.</p>${await readerSignalsBlock(c, token, s)}`);
    }
    const name = state.name === undefined ? s.name : state.name;
    const body = h`<h1>Your preferences</h1>
<p>For ${maskEmail(s.email)}.</p>
${notice}${stateNote}
<form method="post" action="/p/${token}">
${csrfInput('preferences', token)}
<label for="name">Name <span class="hint">Optional. Used only to greet you.</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="${MAX_NAME_LENGTH}" value="${name ?? ''}">
${renderThemeChoices(labels, state.themes === undefined ? s.themes : state.themes, state.themesError)}
${renderCadenceChoice(state.cadence ?? cadenceOf(s), state.cadenceError, true)}
<button type="submit">Save preferences</button>
</form>
${await readerSignalsBlock(c, token, s)}
${s.status === 'unsubscribed' ? '' : h`<h2>Unsubscribe</h2><p>Stop all email from paperpost.</p>${unsubscribeForm(unsubToken)}`}`;
    return page(c, 'Your preferences', body, status);
  };

  hono.get('/p/:token', async (c) => {
    const t = await target(c, 'preferences');
    if (!t) return notFoundPage(c);
    return showPreferences(c, t.token, t.subscriber);
  });

  hono.post('/p/:token', async (c) => {
    const t = await target(c, 'preferences');
    if (!t) return notFoundPage(c);
    const form = await readForm(c);
    const refused = formRefusal(c, form, 'preferences', t.token);
    if (refused) return forbiddenPage(c, refused);
    if (t.subscriber.status === 'bounced' || t.subscriber.status === 'complained') return c.redirect(`/p/${t.token}`, 303);
    const choice = parseThemeChoices(form, withHeldChoices(await listTopicChoices(ctx), t.subscriber.themes));
    const name = cleanName(form.get('name'));
    // The form comes back as the person sent it: their name, their pick, their ticks.
    // Cadence (issue #21), its own field: daily, or weekly on a weekday.
    const cadenceChoice = parseCadenceChoice(form, cadenceOf(t.subscriber));
    const cadence = 'error' in cadenceChoice ? { cadence: cadenceChoice.picked, cadenceError: cadenceChoice.error } : { cadence: cadenceChoice.cadence };
    if ('error' in choice) return showPreferences(c, t.token, t.subscriber, { name, themes: choice.picked, themesError: choice.error, ...cadence }, 400);
    if ('error' in cadenceChoice) return showPreferences(c, t.token, t.subscriber, { name, themes: choice.themes, ...cadence }, 400);
    await store().setSubscriberPreferences(t.subscriber.id, { name, themes: choice.themes, cadence: cadenceChoice.cadence });
    return c.redirect(`/p/${t.token}?saved=1`, 303);
  });
}
