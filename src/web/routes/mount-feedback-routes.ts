/**
 * The pages behind the "More like this" / "Less like this" links under each paper of a copy
 * (issue #20). Corporate mail scanners (Microsoft Safe Links, Mimecast, Proofpoint) fetch every
 * link of a message, with any user agent, and some run its scripts; in other products they
 * have written ratings and unsubscribed whole companies. So:
 *
 * 1. GET (and HEAD) /f/:token only reads: it checks the signed token (subscribers/feedback-token.ts),
 *    finds the paper in the stored issues and shows it with the link's choice preselected and
 *    one button. It changes nothing, whoever asks: no cookie, no counter, no store write.
 * 2. POST /f/:token, from that button (CSRF field bound to the token, same-origin check),
 *    records the rating. The store keeps one rating per reader and paper, so the same POST
 *    twice is one rating. The answer confirms it and offers undo and a follow button per author.
 *    A choice posted that is neither "more" nor "less" is a 400 (never the link's choice instead).
 * 3. POST /f/:token/undo removes the reader's rating of the paper; POST /f/:token/follow
 *    follows one of the paper's authors (only those: the page offers nothing else).
 *
 * A malformed or forged token is a 404 (as forged subscriber links are); an expired one a 410
 * that says so and sends the reader to their preferences page; a reader who left (unsubscribed,
 * bounced, complained) or is not confirmed gets a 410 page that records nothing. The pages never
 * link to the reader's preferences page: a feedback link must not hand that out.
 */
import type { Context, Hono } from 'hono';
import { ReaderGoneError } from '../../errors.js';
import { followKey, type RatingChoice } from '../../picks/reader-signals.js';
import { ratingRefusal } from '../../subscribers/signal-consent.js';
import { FEEDBACK_TOKEN_DAYS, feedbackTokenIssue, verifyFeedbackToken, type FeedbackClaim } from '../../subscribers/feedback-token.js';
import type { Subscriber } from '../../types.js';
import type { WebContext, WebEnv } from '../create-web-context.js';
import { CSRF_FIELD } from '../security/create-csrf-guard.js';
import { checkFormPost } from '../security/check-form-post.js';
import { readForm, type FormData } from './read-form.js';
import { renderHtml as h, type Html } from '../views/render-html.js';
import { renderLayout } from '../views/render-layout.js';
import { forbiddenPage, renderStatusPage } from '../views/render-status-page.js';
import { renderChoiceForm, renderSaved, renderUndone, MAX_FOLLOWABLE_AUTHORS, type FeedbackPaper } from '../views/render-feedback-page.js';
import { authorAmbiguity, findRatedPaper, issuePaperIds, signalLimitMessage } from './reader-signal-ports.js';

/** What a valid link resolves to. */
interface FeedbackTarget {
  token: string;
  claim: FeedbackClaim;
  subscriber: Subscriber;
  paper: FeedbackPaper;
}

/** CSRF scopes of the three forms, each bound to the link's token. */
const SCOPE = { rate: 'feedback', undo: 'feedback-undo', follow: 'feedback-follow' } as const;

/** Adds the routes to `hono`. */
export function mountFeedbackRoutes(hono: Hono<WebEnv>, ctx: WebContext): void {
  const { app } = ctx;
  const store = () => app.store();
  const page = (c: Context<WebEnv>, title: string, body: Html, status: 200 | 400 = 200) => c.html(renderLayout({ title, body }), status);
  const csrfInput = (scope: string, token: string) => h`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf.tokenFor(scope, token)}">`;

  /** The link's subscriber and paper, or the page that says why there are none. Reads only. */
  const resolve = async (c: Context<WebEnv>): Promise<FeedbackTarget | Response> => {
    const token = c.req.param('token') ?? '';
    // A compact token names its paper by card index in a frozen issue: that issue's paper ids check it.
    const issueId = feedbackTokenIssue(token);
    const papers = issueId === null ? null : await issuePaperIds(store(), issueId);
    const claim = verifyFeedbackToken(app.config.secretKey, token, ctx.now(), papers);
    if ('problem' in claim) {
      if (claim.problem === 'expired') {
        return renderStatusPage(
          c,
          410,
          'This link has expired',
          `Feedback links work for ${FEEDBACK_TOKEN_DAYS} days after the issue that carried them. To rate papers of a recent issue, use the links in that issue. Your ratings, follows and mutes are on your preferences page: open it from the “Preferences” link at the foot of any issue.`,
        );
      }
      return invalidLink(c);
    }
    const subscriber = await store().getSubscriberById(claim.subscriberId);
    if (!subscriber) return invalidLink(c);
    const refused = ratingRefusal(subscriber.status);
    if (refused) {
      const body =
        refused === 'pending'
          ? 'Your subscription is not confirmed, so paperpost does not record ratings for it. Open the link in the confirmation email first.'
          : 'This address is no longer subscribed to paperpost, so ratings are not recorded for it. Nothing was changed.';
      return renderStatusPage(c, 410, 'Ratings are off for this address', body);
    }
    const paper = await findRatedPaper(store(), claim.paperId);
    if (!paper) {
      return renderStatusPage(c, 404, 'Paper not found', 'paperpost no longer knows the paper this link names, so it cannot be rated. Nothing was changed.');
    }
    return { token, claim, subscriber, paper };
  };

  /** Null when the form checks out, else the 403 that says which check failed. */
  const refusal = (c: Context<WebEnv>, form: FormData, scope: string, token: string) => {
    const reason = checkFormPost(c, ctx.csrf, app.config.publicUrl, { scope, binding: token, given: form.get(CSRF_FIELD) });
    return reason ? forbiddenPage(c, reason) : null;
  };

  /** The confirmation page for the reader's current rating of the paper. */
  const showSaved = async (
    c: Context<WebEnv>,
    t: FeedbackTarget,
    choice: RatingChoice,
    outcome: 'recorded' | 'changed' | 'unchanged' | 'current',
    followed?: { name: string; ambiguous: string[] | null; added: boolean },
  ) => {
    const { follows } = await store().signalsOf(t.subscriber.id);
    const following = new Set(follows.filter((f) => f.kind === 'author').map((f) => f.key));
    const authors = t.paper.authors.slice(0, MAX_FOLLOWABLE_AUTHORS).map((name) => ({
      name,
      following: following.has(followKey('author', name)),
      csrf: csrfInput(SCOPE.follow, t.token),
    }));
    return page(
      c,
      'Rating saved',
      renderSaved({
        paper: t.paper,
        choice,
        outcome,
        undo: { action: `/f/${t.token}/undo`, csrf: csrfInput(SCOPE.undo, t.token) },
        follow: { action: `/f/${t.token}/follow`, authors },
        followed,
      }),
    );
  };

  // 1. Show, never change. Hono answers HEAD with this handler and drops the body.
  hono.get('/f/:token', async (c) => {
    const t = await resolve(c);
    if (t instanceof Response) return t;
    const current = (await store().signalsOf(t.subscriber.id)).ratings.find((r) => r.paperId === t.paper.paperId) ?? null;
    return page(
      c,
      'Rate this paper',
      renderChoiceForm({ action: `/f/${t.token}`, csrf: csrfInput(SCOPE.rate, t.token), paper: t.paper, choice: t.claim.choice, current }),
    );
  });

  // 2. Record: the one place a rating is written from the web.
  hono.post('/f/:token', async (c) => {
    const t = await resolve(c);
    if (t instanceof Response) return t;
    const form = await readForm(c);
    const refused = refusal(c, form, SCOPE.rate, t.token);
    if (refused) return refused;
    // The reader may switch the preselected choice before pressing the button.
    const sent = form.get('choice');
    if (sent !== undefined && sent !== 'more' && sent !== 'less') return renderStatusPage(c, 400, 'Not a rating', 'A rating is “More like this” or “Less like this”. Nothing was changed.');
    const choice: RatingChoice = sent ?? t.claim.choice;
    // Erased between the check above and the write: as for any link of an erased reader, nothing is there.
    const outcome = await store()
      .recordRating(t.subscriber.id, t.paper, choice, ctx.now())
      .catch((error: unknown) => {
        if (error instanceof ReaderGoneError) return 'gone' as const;
        throw error;
      });
    if (outcome === 'gone') return invalidLink(c);
    return showSaved(c, t, choice, outcome);
  });

  // 3a. Undo.
  hono.post('/f/:token/undo', async (c) => {
    const t = await resolve(c);
    if (t instanceof Response) return t;
    const form = await readForm(c);
    const refused = refusal(c, form, SCOPE.undo, t.token);
    if (refused) return refused;
    await store().removeRating(t.subscriber.id, t.paper.paperId);
    return page(
      c,
      'Rating removed',
      renderUndone({ action: `/f/${t.token}`, csrf: csrfInput(SCOPE.rate, t.token), paper: t.paper, choice: t.claim.choice }),
    );
  });

  // 3b. Follow one of the paper's authors.
  hono.post('/f/:token/follow', async (c) => {
    const t = await resolve(c);
    if (t instanceof Response) return t;
    const form = await readForm(c);
    const refused = refusal(c, form, SCOPE.follow, t.token);
    if (refused) return refused;
    const name = t.paper.authors.slice(0, MAX_FOLLOWABLE_AUTHORS).find((a) => a === (form.get('author') ?? '').trim());
    if (!name) return renderStatusPage(c, 400, 'Not an author of this paper', 'Only the authors of the paper on this page can be followed from here. Nothing was changed.');
    const key = followKey('author', name);
    let added: boolean;
    try {
      added = (await store().addFollow(t.subscriber.id, { kind: 'author', value: name, key }, ctx.now())) !== false;
    } catch (error) {
      if (error instanceof ReaderGoneError) return invalidLink(c);
      const message = signalLimitMessage(error);
      if (message === null) throw error;
      return renderStatusPage(c, 400, 'Not followed', message);
    }
    const ambiguous = await authorAmbiguity(store(), name);
    const current = (await store().signalsOf(t.subscriber.id)).ratings.find((r) => r.paperId === t.paper.paperId);
    if (!current) {
      return page(
        c,
        'Rate this paper',
        renderChoiceForm({
          action: `/f/${t.token}`,
          csrf: csrfInput(SCOPE.rate, t.token),
          paper: t.paper,
          choice: t.claim.choice,
          current: null,
          notice: added ? `You now follow ${name}.` : `You already follow ${name}.`,
        }),
      );
    }
    return showSaved(c, t, current.choice, 'current', { name, ambiguous, added });
  });
}

/** 404 for a link that is cut, changed or names no one: the same page for each, as for forged subscriber links. */
function invalidLink(c: Context<WebEnv>) {
  return renderStatusPage(
    c,
    404,
    'This link does not work',
    'This rating link is not valid: it may have been cut or changed when it was copied. Open it again from the email, whole. Nothing was changed.',
  );
}
