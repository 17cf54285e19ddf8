/**
 * Signed tokens for the "More like this" / "Less like this" links under each paper of a copy.
 * A token names one subscriber, one paper and one choice, and the day it was made: HMAC-SHA256
 * keyed by SECRET_KEY over all four, so no part can be changed, a "more" token is useless as
 * a "less" one, and a token expires FEEDBACK_TOKEN_DAYS after it was made.
 *
 * A token only lets its holder see the paper with the choice preselected (GET) and record the
 * choice by POST: link scanners that fetch every link change nothing (web/ enforces that).
 *
 * Form: `<subscriber id, base36>.<paper id, base64url>.<m|l>.<day made, base36>.<mac>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RatingChoice } from '../picks/reader-signals.js';

/** How long a feedback link works after the copy that carries it was made. */
export const FEEDBACK_TOKEN_DAYS = 60;

const DAY_MS = 86_400_000;
/** Paper ids are short (arXiv ids, slugs); a longer one is no paper of ours. */
const MAX_PAPER_ID = 120;

const macOf = (key: string, data: string) => createHmac('sha256', key).update(data).digest().subarray(0, 18).toString('base64url');

/** What a valid token names. */
export interface FeedbackClaim {
  subscriberId: number;
  paperId: string;
  choice: RatingChoice;
  /** When the token was made (start of that UTC day). */
  madeAt: Date;
}

/** Makes the token of one subscriber's choice on one paper, made at `now`. */
export function signFeedbackToken(key: string, subscriberId: number, paperId: string, choice: RatingChoice, now: Date): string {
  if (paperId.length === 0 || paperId.length > MAX_PAPER_ID) throw new Error(`paper id of ${paperId.length} characters cannot be signed`);
  const body = `${subscriberId.toString(36)}.${Buffer.from(paperId, 'utf8').toString('base64url')}.${choice === 'more' ? 'm' : 'l'}.${Math.floor(now.getTime() / DAY_MS).toString(36)}`;
  return `${body}.${macOf(key, `feedback:${body}`)}`;
}

/** Why a token was refused: the page says which, in plain words. */
export type FeedbackTokenProblem = 'malformed' | 'forged' | 'expired';

/** The claim of a token, or why it is refused. */
export function verifyFeedbackToken(key: string, token: string, now: Date): FeedbackClaim | { problem: FeedbackTokenProblem } {
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{1,160})\.([ml])\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!m) return { problem: 'malformed' };
  const body = token.slice(0, token.length - m[5]!.length - 1);
  const expected = Buffer.from(macOf(key, `feedback:${body}`));
  const given = Buffer.from(m[5]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: 'forged' };
  const subscriberId = parseInt(m[1]!, 36);
  const day = parseInt(m[4]!, 36);
  const paperId = Buffer.from(m[2]!, 'base64url').toString('utf8');
  if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0 || paperId.length === 0 || paperId.length > MAX_PAPER_ID) return { problem: 'malformed' };
  const madeAt = new Date(day * DAY_MS);
  if (now.getTime() - madeAt.getTime() > FEEDBACK_TOKEN_DAYS * DAY_MS) return { problem: 'expired' };
  return { subscriberId, paperId, choice: m[3] === 'm' ? 'more' : 'less', madeAt };
}
