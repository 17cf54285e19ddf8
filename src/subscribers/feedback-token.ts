/**
 * Signed tokens for the "More like this" / "Less like this" links under each paper of a copy.
 * A token names one subscriber, one paper and one choice, and the day it was made; it is keyed
 * by SECRET_KEY over all of them, so no part can be changed, a "more" token is useless as a
 * "less" one, and a token expires FEEDBACK_TOKEN_DAYS after it was made.
 *
 * A token only lets its holder see the paper with the choice preselected (GET) and record the
 * choice by POST: link scanners that fetch every link change nothing (web/ enforces that).
 *
 * Two forms, both verified (a copy mailed in the long form keeps working until it expires):
 *
 * - long (the first): `<subscriber id, base36>.<paper id, base64url>.<m|l>.<day made, base36>.<mac>`,
 *   the mac HMAC-SHA256 over the rest, cut to 18 bytes. One HMAC per link, and the paper id in
 *   every link: ~60 links a copy made sending slow and copies ~26 KB bigger.
 * - compact (what copies of an issue carry now): `<subscriber id>.<day made>.<issue id>.<card
 *   index, base36><m|l><mac, 12 characters>`. The paper is named by its card's index in the
 *   frozen issue (render/compile-cards.ts), which the checker looks up (feedbackTokenIssue).
 *   1. One AES-128 key for all compact tokens: HMAC-SHA256(SECRET_KEY, "feedback2"), its first
 *      16 bytes.
 *   2. Per link, one AES block under that key over all the token names: subscriber id (32
 *      bits), day made (16 bits), card index (16 bits), choice (8 bits), and 7 bytes of
 *      SHA-256 of the issue id and the paper id. AES is a pseudorandom function on single
 *      blocks, so the block's first 9 bytes (72 bits) are a MAC no one without the key can
 *      make. Binding the paper id means a link made from a draft whose cards later moved names
 *      no wrong paper: it is refused.
 *   3. All of a copy's links in one call of one long-lived ECB cipher (createFeedbackSigner):
 *      no HMAC and no cipher is made per copy.
 */
import { createCipheriv, createHash, createHmac, timingSafeEqual, type Cipher } from 'node:crypto';
import type { RatingChoice } from '../picks/reader-signals.js';

/** How long a feedback link works after the copy that carries it was made. */
export const FEEDBACK_TOKEN_DAYS = 60;

const DAY_MS = 86_400_000;
/** Paper ids are short (arXiv ids, slugs); a longer one is no paper of ours. */
const MAX_PAPER_ID = 120;
/** Issue ids a compact token can carry (dates, week ids); any other issue's copies get long tokens. */
const COMPACT_ISSUE = /^[A-Za-z0-9-]{1,40}$/;
/** Card indices a compact token can carry. */
const MAX_CARD = 36 ** 4 - 1;
const MAC_BYTES = 9;

const macOf = (key: string, data: string) => createHmac('sha256', key).update(data).digest().subarray(0, 18).toString('base64url');

/** What a valid token names. */
export interface FeedbackClaim {
  subscriberId: number;
  paperId: string;
  choice: RatingChoice;
  /** When the token was made (start of that UTC day). */
  madeAt: Date;
}

const dayOf = (now: Date) => Math.floor(now.getTime() / DAY_MS);

/** Makes the token of one subscriber's choice on one paper, made at `now` (the long form). */
export function signFeedbackToken(key: string, subscriberId: number, paperId: string, choice: RatingChoice, now: Date): string {
  if (paperId.length === 0 || paperId.length > MAX_PAPER_ID) throw new Error(`paper id of ${paperId.length} characters cannot be signed`);
  const body = `${subscriberId.toString(36)}.${Buffer.from(paperId, 'utf8').toString('base64url')}.${choice === 'more' ? 'm' : 'l'}.${dayOf(now).toString(36)}`;
  return `${body}.${macOf(key, `feedback:${body}`)}`;
}

// --- The compact form ---------------------------------------------------------------------

/** The largest subscriber id and day (days since 1970) a compact token can carry. */
const MAX_COMPACT_ID = 0xffff_ffff;
const MAX_DAY = 0xffff;

/** SHA-256 of an issue id and a paper id, cut to 7 bytes: the same few hundred papers recur in every copy of an issue. */
const fingerprints = new Map<string, Map<string, Buffer>>();
function fingerprintOf(issueId: string, paperId: string): Buffer {
  let ofIssue = fingerprints.get(issueId);
  if (!ofIssue) {
    if (fingerprints.size >= 64) fingerprints.clear();
    fingerprints.set(issueId, (ofIssue = new Map()));
  }
  let f = ofIssue.get(paperId);
  if (!f) {
    if (ofIssue.size >= 100_000) ofIssue.clear();
    f = createHash('sha256').update(`feedback2\u0000${issueId}\u0000${paperId}`, 'utf8').digest().subarray(0, 7);
    ofIssue.set(paperId, f);
  }
  return f;
}

/** Step 1: the ECB cipher of SECRET_KEY's compact tokens, made once per key (ECB keeps no state between blocks). */
const ciphers = new Map<string, Cipher>();
function cipherOf(key: string): Cipher {
  let cipher = ciphers.get(key);
  if (!cipher) {
    const aesKey = createHmac('sha256', key).update('feedback2').digest().subarray(0, 16);
    cipher = createCipheriv('aes-128-ecb', aesKey, null).setAutoPadding(false);
    if (ciphers.size >= 8) ciphers.clear();
    ciphers.set(key, cipher);
  }
  return cipher;
}

/** Step 2: writes the block of one link at `at`. */
function writeBlock(into: Buffer, at: number, subscriberId: number, day: number, card: number, choice: RatingChoice, fingerprint: Buffer): void {
  into.writeUInt32BE(subscriberId, at);
  into.writeUInt16BE(day, at + 4);
  into.writeUInt16BE(card, at + 6);
  into[at + 8] = choice === 'more' ? 0x6d : 0x6c;
  // Seven bytes: a loop, not a Buffer copy (a call into C++ per link).
  for (let i = 0; i < 7; i++) into[at + 9 + i] = fingerprint[i]!;
}

/** The MACs of `blocks` (16 bytes each), base64url, 12 characters each, in one string. */
function macsOf(key: string, blocks: Buffer): string {
  const out = cipherOf(key).update(blocks);
  if (out.length !== blocks.length) throw new Error('the feedback cipher did not encrypt every block');
  const n = blocks.length / 16;
  const packed = Buffer.allocUnsafe(n * MAC_BYTES);
  for (let i = 0; i < n; i++) for (let j = 0; j < MAC_BYTES; j++) packed[i * MAC_BYTES + j] = out[i * 16 + j]!;
  return packed.toString('base64url');
}

/** One paper a copy shows: its id, and its card's index in the issue. */
export interface SignedPaper {
  paperId: string;
  card: number;
}

/** True when copies of this issue, for this subscriber, made at `now`, can carry compact tokens (else the long form is used). */
export const takesCompactTokens = (issueId: string, subscriberId: number, now: Date) =>
  COMPACT_ISSUE.test(issueId) && Number.isInteger(subscriberId) && subscriberId > 0 && subscriberId <= MAX_COMPACT_ID && dayOf(now) >= 0 && dayOf(now) <= MAX_DAY;

/**
 * Step 3: the compact tokens of one reader's copy of issue `issueId`, made at `now`: for each
 * paper of `papers`, its "more" and "less" tokens. One HMAC and one AES call for all of them.
 */
export function createFeedbackSigner(key: string, subscriberId: number, issueId: string, papers: readonly SignedPaper[], now: Date): { more: string; less: string }[] {
  if (!takesCompactTokens(issueId, subscriberId, now)) throw new Error(`issue ${JSON.stringify(issueId)}, subscriber ${subscriberId} cannot be carried by a compact token`);
  const day = dayOf(now);
  const prefix = `${subscriberId.toString(36)}.${day.toString(36)}.${issueId}.`;
  const blocks = Buffer.allocUnsafe(papers.length * 32);
  papers.forEach((p, i) => {
    if (!Number.isInteger(p.card) || p.card < 0 || p.card > MAX_CARD) throw new Error(`card index ${p.card} cannot be signed`);
    const fingerprint = fingerprintOf(issueId, p.paperId);
    writeBlock(blocks, i * 32, subscriberId, day, p.card, 'more', fingerprint);
    writeBlock(blocks, i * 32 + 16, subscriberId, day, p.card, 'less', fingerprint);
  });
  const macs = macsOf(key, blocks);
  return papers.map((p, i) => {
    const head = prefix + p.card.toString(36);
    return { more: `${head}m${macs.slice(i * 24, i * 24 + 12)}`, less: `${head}l${macs.slice(i * 24 + 12, i * 24 + 24)}` };
  });
}

// --- Checking -----------------------------------------------------------------------------

const LONG = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{1,160})\.([ml])\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{24})$/;
const COMPACT = /^([0-9a-z]{1,12})\.([0-9a-z]{1,8})\.([A-Za-z0-9-]{1,40})\.([0-9a-z]{1,4})([ml])([A-Za-z0-9_-]{12})$/;

/** Why a token was refused: the page says which, in plain words. */
export type FeedbackTokenProblem = 'malformed' | 'forged' | 'expired';

/** The issue a compact token names (its papers must be looked up to check it); null for a long or malformed token. */
export function feedbackTokenIssue(token: string): string | null {
  return COMPACT.exec(token)?.[3] ?? null;
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The claim of a token, or why it is refused. A compact token needs `issuePapers`: the paper
 * ids of the issue it names (feedbackTokenIssue), by card index, as frozen; none (the issue is
 * unknown): it is refused as forged.
 */
export function verifyFeedbackToken(key: string, token: string, now: Date, issuePapers: readonly string[] | null = null): FeedbackClaim | { problem: FeedbackTokenProblem } {
  let claim: FeedbackClaim;
  const compact = COMPACT.exec(token);
  if (compact) {
    const [, sidText, dayText, issueId, cardText, choiceMark, mac] = compact as unknown as string[];
    const subscriberId = parseInt(sidText!, 36);
    const day = parseInt(dayText!, 36);
    const card = parseInt(cardText!, 36);
    const paperId = issuePapers?.[card];
    if (subscriberId > MAX_COMPACT_ID || day > MAX_DAY || card > MAX_CARD) return { problem: 'malformed' };
    if (typeof paperId !== 'string' || paperId.length === 0 || paperId.length > MAX_PAPER_ID) return { problem: 'forged' };
    const choice: RatingChoice = choiceMark === 'm' ? 'more' : 'less';
    const block = Buffer.alloc(16);
    writeBlock(block, 0, subscriberId, day, card, choice, fingerprintOf(issueId!, paperId));
    if (!sameText(macsOf(key, block), mac!)) return { problem: 'forged' };
    claim = { subscriberId, paperId, choice, madeAt: new Date(day * DAY_MS) };
  } else {
    const m = LONG.exec(token);
    if (!m) return { problem: 'malformed' };
    const body = token.slice(0, token.length - m[5]!.length - 1);
    if (!sameText(macOf(key, `feedback:${body}`), m[5]!)) return { problem: 'forged' };
    const paperId = Buffer.from(m[2]!, 'base64url').toString('utf8');
    if (paperId.length === 0 || paperId.length > MAX_PAPER_ID) return { problem: 'malformed' };
    claim = { subscriberId: parseInt(m[1]!, 36), paperId, choice: m[3] === 'm' ? 'more' : 'less', madeAt: new Date(parseInt(m[4]!, 36) * DAY_MS) };
  }
  if (!Number.isSafeInteger(claim.subscriberId) || claim.subscriberId <= 0) return { problem: 'malformed' };
  if (now.getTime() - claim.madeAt.getTime() > FEEDBACK_TOKEN_DAYS * DAY_MS) return { problem: 'expired' };
  return claim;
}
