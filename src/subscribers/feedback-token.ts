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
 *   1. A key per reader, day and issue: HMAC-SHA256(SECRET_KEY, "feedback2:" + the token's
 *      first three parts), its first 16 bytes.
 *   2. Per link, one AES-128 block under that key over (card index, choice, the first 13
 *      bytes of SHA-256 of the paper id): AES is a pseudorandom function on single blocks,
 *      so its first 9 bytes (72 bits) are a MAC no one without the key can make. Binding the
 *      paper id means a link made from a draft whose cards later moved names no wrong paper:
 *      it is refused.
 *   3. All of a copy's links in one AES call (createFeedbackSigner): one HMAC per copy.
 */
import { createCipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/** SHA-256 of paper ids, cut to 13 bytes: the same few hundred papers recur in every copy of an issue. */
const fingerprints = new Map<string, Buffer>();
function fingerprintOf(paperId: string): Buffer {
  let f = fingerprints.get(paperId);
  if (!f) {
    if (fingerprints.size >= 100_000) fingerprints.clear();
    f = createHash('sha256').update(paperId, 'utf8').digest().subarray(0, 13);
    fingerprints.set(paperId, f);
  }
  return f;
}

/** Step 1: the reader's key for one day's tokens of one issue. */
const readerKey = (key: string, prefix: string) => createHmac('sha256', key).update(`feedback2:${prefix}`).digest().subarray(0, 16);

/** Step 2: writes the block of one link at `at`. */
function writeBlock(into: Buffer, at: number, card: number, choice: RatingChoice, paperId: string): void {
  into.writeUInt16BE(card, at);
  into[at + 2] = choice === 'more' ? 0x6d : 0x6c;
  fingerprintOf(paperId).copy(into, at + 3);
}

/** The MACs of `blocks` (16 bytes each) under `readerKey`, base64url, 12 characters each, in one string. */
function macsOf(k: Buffer, blocks: Buffer): string {
  const cipher = createCipheriv('aes-128-ecb', k, null).setAutoPadding(false);
  const out = cipher.update(blocks);
  cipher.final();
  const n = blocks.length / 16;
  const packed = Buffer.allocUnsafe(n * MAC_BYTES);
  for (let i = 0; i < n; i++) out.copy(packed, i * MAC_BYTES, i * 16, i * 16 + MAC_BYTES);
  return packed.toString('base64url');
}

/** One paper a copy shows: its id, and its card's index in the issue. */
export interface SignedPaper {
  paperId: string;
  card: number;
}

/** True when copies of this issue can carry compact tokens (else the long form is used). */
export const takesCompactTokens = (issueId: string) => COMPACT_ISSUE.test(issueId);

/**
 * Step 3: the compact tokens of one reader's copy of issue `issueId`, made at `now`: for each
 * paper of `papers`, its "more" and "less" tokens. One HMAC and one AES call for all of them.
 */
export function createFeedbackSigner(key: string, subscriberId: number, issueId: string, papers: readonly SignedPaper[], now: Date): { more: string; less: string }[] {
  if (!takesCompactTokens(issueId)) throw new Error(`issue id ${JSON.stringify(issueId)} cannot be carried by a compact token`);
  const prefix = `${subscriberId.toString(36)}.${dayOf(now).toString(36)}.${issueId}.`;
  const blocks = Buffer.alloc(papers.length * 32);
  papers.forEach((p, i) => {
    if (!Number.isInteger(p.card) || p.card < 0 || p.card > MAX_CARD) throw new Error(`card index ${p.card} cannot be signed`);
    writeBlock(blocks, i * 32, p.card, 'more', p.paperId);
    writeBlock(blocks, i * 32 + 16, p.card, 'less', p.paperId);
  });
  const macs = macsOf(readerKey(key, prefix), blocks);
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
    const [, sid, day, issueId, cardText, choiceMark, mac] = compact as unknown as string[];
    const card = parseInt(cardText!, 36);
    const paperId = issuePapers?.[card];
    if (typeof paperId !== 'string' || paperId.length === 0 || paperId.length > MAX_PAPER_ID) return { problem: 'forged' };
    const choice: RatingChoice = choiceMark === 'm' ? 'more' : 'less';
    const block = Buffer.alloc(16);
    writeBlock(block, 0, card, choice, paperId);
    if (!sameText(macsOf(readerKey(key, `${sid}.${day}.${issueId}.`), block), mac!)) return { problem: 'forged' };
    claim = { subscriberId: parseInt(sid!, 36), paperId, choice, madeAt: new Date(parseInt(day!, 36) * DAY_MS) };
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
