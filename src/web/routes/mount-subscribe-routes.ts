/**
 * The public subscribe flow: the form (GET / and /subscribe), its POST with double opt-in,
 * the confirmation link (/confirm/:token: a page whose button confirms, since link scanners
 * follow every link in an email), and /manage, the neutral page the archive's copies link
 * to instead of anyone's own links.
 */
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import { signToken, verifyConfirmToken, verifyToken } from '../../subscribers/sign-token.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { CSRF_COOKIE, CSRF_FIELD } from '../security/create-csrf-guard.js';
import { csrfCookieOf, ensureCsrfCookie } from '../security/ensure-csrf-cookie.js';
import { checkFormPost } from '../security/check-form-post.js';
import { listTopicChoices } from './list-topic-choices.js';
import { maskEmail } from '../views/mask-email.js';
import { MAX_NAME_LENGTH, cleanName } from '../../subscribers/clean-name.js';
import { readForm } from './read-form.js';
import { renderHtml as h } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';
import { forbiddenPage, notFoundPage, renderStatusPage, tooManyPage } from '../views/render-status-page.js';
import { parseThemeChoices, renderThemeChoices } from '../views/render-theme-choices.js';
import { parseCadenceChoice, renderCadenceChoice } from '../views/render-cadence-choice.js';
import type { Cadence } from '../../types.js';
import { sendSubscriptionMail } from './send-subscription-mail.js';
import { subscribeAddress } from './subscribe-address.js';
import { createPageCache, etagOf, type CachedPage } from '../cache/create-page-cache.js';
import { matchesEtag, sendCachedPage } from '../cache/send-cached-page.js';
import type { LaneRoute } from '../cache/create-fast-lane.js';

/**
 * Where the blank form's cached shell takes each visitor's CSRF token: the shell (topics,
 * layout) is the same for everyone, the token is bound to the visitor's cookie.
 */
const TOKEN_SLOT = 'paperpost-csrf-token-slot-7f3a9c';
/** How long the blank form's shell is served before it is made again (its topics follow recent issues). */
const SHELL_MAX_AGE_MS = 1000;
const utf8 = new TextEncoder();

interface FormState {
  email?: string;
  name?: string;
  themes?: string[] | null;
  emailError?: string;
  themesError?: string;
  // Cadence (issue #21): daily or weekly on a weekday.
  cadence?: Cadence;
  cadenceError?: string;
}

/** Adds the routes to `hono`. */
export function mountSubscribeRoutes(hono: Hono<WebEnv>, ctx: WebContext): void {
  const { app } = ctx;

  const showForm = async (c: Context<WebEnv>, state: FormState, status: 200 | 400 = 200) => {
    const labels = await listTopicChoices(ctx);
    const cookie = ensureCsrfCookie(c, ctx);
    return c.html(renderForm(labels, state, ctx.csrf.tokenFor('subscribe', cookie)), status);
  };

  const renderForm = (labels: Awaited<ReturnType<typeof listTopicChoices>>, state: FormState, token: string) => {
    const emailError = state.emailError;
    const body = h`<h1>Subscribe to paperpost</h1>
<p>Every morning, the day's trending machine-learning papers, grouped by topic, in one email. Or once a week, the week's best.</p>
<form method="post" action="/subscribe">
<input type="hidden" name="${CSRF_FIELD}" value="${token}">
<label for="email">Email address</label>
<input id="email" name="email" type="email" required autocomplete="email" maxlength="254" value="${state.email ?? ''}"${emailError ? h` aria-invalid="true" aria-describedby="email-error"` : ''}>
${emailError ? h`<p class="problem" id="email-error">${emailError}</p>` : ''}
<label for="name">Name <span class="hint">Optional. Used only to greet you.</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="${MAX_NAME_LENGTH}" value="${state.name ?? ''}">
${renderThemeChoices(labels, state.themes ?? null, state.themesError)}
${renderCadenceChoice(state.cadence ?? 'daily', state.cadenceError)}
<button type="submit">Subscribe</button>
</form>
<p class="muted">First we email you a link to confirm; nothing else arrives until you do. Every issue has a one-click unsubscribe link. Past issues are in the <a href="/archive">archive</a>.</p>`;
    return renderLayout({ title: 'Subscribe', body });
  };

  // The blank form, as most visitors see it: its shell is cached (web/cache/), and only the
  // visitor's token is put in per request. The ETag covers shell and token, and the page is
  // private: a shared cache must never hand one visitor's token to another.
  const shells = createPageCache({ maxEntries: 1 });
  const shellFor = () =>
    shells.get('subscribe', async () => ({ body: String(renderForm(await listTopicChoices(ctx), {}, TOKEN_SLOT)), type: 'text/html; charset=UTF-8' }), {
      maxAgeMs: SHELL_MAX_AGE_MS,
    });
  /** The blank form of the visitor whose token is `token`: the shell with the token put in, and its ETag. */
  const formWith = (shell: CachedPage, token: string) => {
    if (shellParts?.shell !== shell) shellParts = { shell, parts: shell.body.split(TOKEN_SLOT) };
    // The token is base64url (create-csrf-guard.ts): nothing in it needs escaping.
    return { bytes: utf8.encode(shellParts.parts.join(token)), type: shell.type, etag: etagOf(shell.etag + token) };
  };
  const blankForm = async (c: Context<WebEnv>) => {
    const shell = await shellFor();
    const token = ctx.csrf.tokenFor('subscribe', ensureCsrfCookie(c, ctx));
    return sendCachedPage(c, formWith(shell!, token), 'private, no-cache');
  };
  /** The current shell cut at its token slot, cut once per shell. */
  let shellParts: { shell: CachedPage; parts: string[] } | undefined;
  // The same answer from the server's fast lane (web/cache/create-fast-lane.ts) while the shell is kept,
  // with the headers of the framework's own answer; a shell to make again goes through the framework.
  const laneForm: LaneRoute = (req, res, headers) => {
    const shell = shells.peek('subscribe');
    if (!shell) return false;
    const { value, setCookie } = csrfCookieOf(req.headers, ctx);
    const form = formWith(shell, ctx.csrf.tokenFor('subscribe', value));
    const own = setCookie ? { etag: form.etag, 'set-cookie': setCookie } : { etag: form.etag };
    if (matchesEtag(req.headers['if-none-match'], form.etag)) {
      const { 'content-type': _type, ...rest } = headers;
      res.writeHead(304, { ...rest, ...own });
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, ...own, 'content-length': form.bytes.byteLength });
    if (req.method === 'HEAD') res.end();
    else res.end(form.bytes);
    return true;
  };
  ctx.lane.route('/', laneForm);
  ctx.lane.route('/subscribe', laneForm);

  hono.get('/', blankForm);
  hono.get('/subscribe', blankForm);

  hono.post('/subscribe', async (c) => {
    const byClient = await ctx.limits.subscribePerClient.hit(ctx.clientAddress(c));
    if (!byClient.allowed) return tooManyPage(c, byClient.retryAfterSeconds);
    const form = await readForm(c);
    const refused = checkFormPost(c, ctx.csrf, app.config.publicUrl, { scope: 'subscribe', binding: getCookie(c, CSRF_COOKIE), given: form.get(CSRF_FIELD) });
    if (refused) return forbiddenPage(c, refused);
    const rawEmail = form.get('email') ?? '';
    const name = cleanName(form.get('name'));
    const labels = await listTopicChoices(ctx);
    const choice = parseThemeChoices(form, labels);
    // Cadence: one clearly separate field; a bad value shows the form again with its one message.
    const cadenceChoice = parseCadenceChoice(form, 'daily');
    const cadence = 'error' in cadenceChoice ? { cadence: cadenceChoice.picked, cadenceError: cadenceChoice.error } : { cadence: cadenceChoice.cadence };
    let email: string;
    try {
      email = normalizeEmail(rawEmail);
    } catch {
      const themes = 'error' in choice ? { themes: choice.picked, themesError: choice.error } : { themes: choice.themes };
      return showForm(c, { email: rawEmail.slice(0, 254), name: name ?? '', ...themes, ...cadence, emailError: 'Enter an email address such as name@example.org.' }, 400);
    }
    if ('error' in choice) return showForm(c, { email, name: name ?? '', themes: choice.picked, themesError: choice.error, ...cadence }, 400);
    if ('error' in cadenceChoice) return showForm(c, { email, name: name ?? '', themes: choice.themes, ...cadence }, 400);

    const byAddress = await ctx.limits.subscribePerAddress.hit(email.toLowerCase());
    if (!byAddress.allowed) return tooManyPage(c, byAddress.retryAfterSeconds);

    // A form without the field (a page from before cadences) keeps the cadence an existing subscriber has.
    const outcome = await subscribeAddress(app, { email, name, themes: choice.themes, cadence: form.get('cadence') === undefined ? undefined : cadenceChoice.cadence });
    const { subscriber, mail, confirmation } = outcome;
    // The email goes out after the response, so the page takes as long whatever the address's status.
    if (subscriber && mail) ctx.background(`the ${mail} email to subscriber ${subscriber.id}`, () => sendSubscriptionMail(app, subscriber, mail, ctx.now, confirmation?.nonce));
    const body = h`<h1>Check your inbox</h1>
<p>If ${email} can receive our mail, a message is on its way to it. Open the link in that message to confirm your subscription.</p>
<p>If this address is already subscribed, the message says so and has a link to choose your topics.</p>
<p class="muted">Nothing there after a few minutes? Look in the spam folder, or <a href="/">try again</a>.</p>`;
    return c.html(renderLayout({ title: 'Check your inbox', body }));
  });

  /**
   * The subscriber and request a confirmation link names. A link names one request from the
   * form (signConfirmToken). Links sent before requests were recorded name only the
   * subscriber; they still confirm someone who never confirmed (pending), nobody else.
   */
  const confirmTarget = async (c: Context<WebEnv>) => {
    const token = c.req.param('token') ?? '';
    const signed = verifyConfirmToken(app.config.secretKey, token);
    if (signed) {
      const subscriber = await app.store().getSubscriberById(signed.subscriberId);
      const request = subscriber ? await app.store().getConfirmation(subscriber.id, signed.nonce) : null;
      return subscriber && request ? { token, subscriber, request } : null;
    }
    const legacyId = verifyToken(app.config.secretKey, 'confirm', token);
    const subscriber = legacyId === null ? null : await app.store().getSubscriberById(legacyId);
    return subscriber && (subscriber.status === 'pending' || subscriber.status === 'active') ? { token, subscriber, request: null } : null;
  };
  const linkIsOpen = (target: NonNullable<Awaited<ReturnType<typeof confirmTarget>>>) =>
    target.request ? target.request.usedAt === null && target.request.expiresAt > ctx.now().toISOString() : target.subscriber.status === 'pending';

  hono.get('/confirm/:token', async (c) => {
    const target = await confirmTarget(c);
    if (!target) return notFoundPage(c);
    const { token, subscriber } = target;
    if (subscriber.status === 'active' && !linkIsOpen(target)) {
      const prefs = `/p/${signToken(app.config.secretKey, 'preferences', subscriber.id)}`;
      return renderStatusPage(
        c,
        200,
        'You are subscribed',
        h`<p class="notice" role="status">${maskEmail(subscriber.email)} will get the next issue of paperpost.</p>
<p><a href="${prefs}">Choose your topics or change your name</a>. Every issue also has this link at the bottom.</p>`,
      );
    }
    if (!linkIsOpen(target)) {
      return renderStatusPage(c, 410, 'This link no longer works', h`<p>This confirmation link has expired or belongs to a subscription that was cancelled since. To subscribe again, use the <a href="/">subscribe form</a>: we email you a fresh link.</p>`);
    }
    const body = h`<h1>Confirm your subscription</h1>
<p>Subscribe ${maskEmail(subscriber.email)} to paperpost's daily email of trending machine-learning papers?</p>
<form method="post" action="/confirm/${token}">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.tokenFor('confirm', token)}">
<button type="submit">Confirm my subscription</button>
</form>`;
    return c.html(renderLayout({ title: 'Confirm your subscription', body }));
  });

  hono.post('/confirm/:token', async (c) => {
    const target = await confirmTarget(c);
    if (!target) return notFoundPage(c);
    const form = await readForm(c);
    const refused = checkFormPost(c, ctx.csrf, app.config.publicUrl, { scope: 'confirm', binding: target.token, given: form.get(CSRF_FIELD) });
    if (refused) return forbiddenPage(c, refused);
    if (target.request) await app.store().confirmSubscription(target.subscriber.id, target.request.nonce);
    else if (target.subscriber.status === 'pending') await app.store().setSubscriberStatus(target.subscriber.id, 'active');
    return c.redirect(`/confirm/${target.token}`, 303);
  });

  hono.get('/manage', (c) =>
    renderStatusPage(
      c,
      200,
      'Manage your subscription',
      h`<p>Every paperpost email ends with two links that belong to its reader: <strong>Choose your topics</strong> and <strong>Unsubscribe</strong>. Use the ones in your own email.</p>
<p>This page is where the web version of an issue points instead, because that copy is the same for everyone.</p>
<p>No email at hand? Enter your address in the <a href="/">subscribe form</a>. If it is already subscribed, we email you your links.</p>`,
    ),
  );
}
