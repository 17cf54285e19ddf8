/**
 * Issue #20: every reader has their own picks and order, so no two copies share a variant. The
 * composer assembles them from pieces encoded once per issue (deliver/assemble-copy.ts) on a
 * real 256-paper arXiv day: each message decodes to exactly the plain render of that reader's
 * copy (every one of them checked here, not a sample), Handlebars runs only for the sampled
 * check, and the feedback links under each paper are the reader's own, for the papers shown.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIssueComposer } from '../../src/deliver/create-issue-composer.js';
import { decodeQuotedPrintable, encodePiece } from '../../src/deliver/assemble-copy.js';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import type { ReaderPlan } from '../../src/picks/reader-plan.js';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { copyRecipient } from '../../src/render/copy-recipient.js';
import { cardsOf, copyPapers, layOutCopy } from '../../src/render/lay-out-copy.js';
import { copyParts, personalizeIssue } from '../../src/render/personalize-issue.js';
import { feedbackTokenIssue, verifyFeedbackToken } from '../../src/subscribers/feedback-token.js';
import { READER_VALUES } from '../../src/subscribers/reader-values.js';
import { recipientFor as buildRecipient, type Recipient } from '../../src/subscribers/recipient.js';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import type { Subscriber } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const config = { publicUrl: 'https://news.example.org', secretKey: 'test-secret-test-secret' };
const options = { issueId: '2026-06-24', from: 'paperpost <news@example.org>', listId: 'paperpost.example.org' };
const date = new Date('2026-06-24T07:00:00Z');

let compiled: CompiledIssue;
let ids: string[];
beforeAll(async () => {
  const file = path.join(ROOT, 'test/fixtures/topics/arxiv-days/arxiv-2026-06-24.json');
  const themed = assignTopics(parseDigest(readFileSync(file), { name: 'arxiv-2026-06-24.json' }).digest, { map: loadTopicMap(path.join(ROOT, 'content/topics.yml')) });
  compiled = await compileIssue(themed, { templatesDir: path.join(ROOT, 'templates'), publicUrl: config.publicUrl, maxPapers: 30 });
  ids = compiled.cards!.map((c) => c.id);
}, 120_000);

/** A deterministic stand-in for a reader's plan: picks anywhere in the day, scores for every paper. */
function planOf(n: number): ReaderPlan {
  let seed = n * 7919 + 17;
  const next = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const picks = Array.from({ length: 1 + (n % 5) }, (_, i) => ({ paperId: ids[Math.floor(next() * ids.length)]!, score: 10 - i, reason: i % 2 ? `you follow "speculative decoding" & <b>more</b>` : `in your topic LLM Agents` }));
  return { picks, scores: n % 3 === 0 ? null : new Map(ids.map((id) => [id, next()])) };
}

const sub = (id: number, name: string | null, themes: string[] | null = null): Subscriber => ({
  id, email: `s${id}@example.org`, name, status: 'active', themes, createdAt: '', confirmedAt: null, unsubscribedAt: null,
});
const recipientOf = (s: Subscriber, plan: ReaderPlan | undefined): Recipient =>
  buildRecipient(config, { ...s, plan }, READER_VALUES, { papers: copyPapers(compiled, { themes: s.themes, plan }), now: date });
const bodies = async (raw: Buffer) => {
  const mail = await simpleParser(raw);
  return { html: mail.html as string, text: mail.text as string, subject: mail.subject };
};

describe('the composer, every reader with their own picks and order', () => {
  it('gives each reader exactly the plain render of their copy, with Handlebars only for the sampled check', async () => {
    let calls = 0;
    const plans = new Map<number, ReaderPlan>();
    const personalize = (r: Recipient) => (calls++, personalizeIssue(compiled, r));
    const [a, b] = compiled.sections.map((s) => s.id);
    const subs = Array.from({ length: 160 }, (_, i) => sub(i + 1, i % 4 === 0 ? null : `Reader ${i + 1}`, i % 5 === 0 ? [a!, b!] : null));
    subs.forEach((s) => plans.set(s.id, planOf(s.id)));
    const parts = copyParts(compiled)!;
    let skeletons = 0;
    const counted = { ...parts, skeleton: (...a: Parameters<typeof parts.skeleton>) => (skeletons++, parts.skeleton(...a)) };
    const compose = createIssueComposer({ ...options, personalize, recipientFor: (s) => recipientOf(s, plans.get(s.id)), parts: counted });
    for (const s of subs) {
      const message = compose(s, `<${s.id}@x>`, date)!;
      const want = personalizeIssue(compiled, recipientOf(s, plans.get(s.id)))!;
      const got = await bodies(Buffer.concat(message.raw));
      expect(got.subject, `subscriber ${s.id}`).toBe(want.subject);
      expect(got.html, `subscriber ${s.id}`).toBe(want.html);
      expect(got.text, `subscriber ${s.id}`).toBe(want.text);
    }
    // Checks: the first 16, the first of each of the first skeletons, then one in 128.
    expect(calls).toBeLessThan(40);
    expect(calls).toBeGreaterThan(0);
    // A skeleton per layout shape (sections followed × number of picks × names or none), not per reader.
    expect(skeletons).toBeLessThanOrEqual(2 * 5 * 2 + 4);
  }, 180_000);

  it('keeps each message intact until it is released, while released ones give their slab space to later copies', async () => {
    const plans = new Map<number, ReaderPlan>();
    const subs = Array.from({ length: 300 }, (_, i) => sub(i + 1, `Reader ${i + 1}`));
    subs.forEach((s) => plans.set(s.id, planOf(s.id)));
    const compose = createIssueComposer({ ...options, personalize: (r) => personalizeIssue(compiled, r), recipientFor: (s) => recipientOf(s, plans.get(s.id)), parts: copyParts(compiled) });
    // As a send: eight in flight, each read (encoded) when it goes out and released when accepted,
    // in an order other than the one they were made in; three held to the end (retries).
    const inFlight: { s: Subscriber; message: NonNullable<ReturnType<typeof compose>> }[] = [];
    const held: typeof inFlight = [];
    const slabs = new Set<ArrayBufferLike>();
    const check = async ({ s, message }: (typeof inFlight)[number]) => {
      const want = personalizeIssue(compiled, recipientOf(s, plans.get(s.id)))!;
      const got = await bodies(Buffer.concat(message.raw));
      expect(got.html, `subscriber ${s.id}`).toBe(want.html);
      expect(got.text, `subscriber ${s.id}`).toBe(want.text);
    };
    for (const s of subs) {
      const message = compose(s, `<${s.id}@x>`, date)!;
      for (const piece of message.raw) slabs.add(piece.buffer);
      (s.id % 100 === 0 ? held : inFlight).push({ s, message });
      if (inFlight.length > 8) {
        const done = inFlight.splice(s.id % inFlight.length, 1)[0]!;
        await check(done);
        done.message.release!();
        expect(() => done.message.raw).toThrow(/after it was released/);
      }
    }
    for (const m of [...inFlight, ...held]) await check(m);
    // ~40 KB of slab runs a copy, 300 copies: 11 slabs of 1 MB without reuse; 4 with it (three
    // pinned by the held copies, one written).
    const big = [...slabs].filter((b) => b.byteLength >= 1 << 20);
    expect(big.length).toBeLessThanOrEqual(6);
  }, 180_000);

  it("puts the reader's picks first, never twice, and feedback links of their own under exactly the papers shown", async () => {
    const plan = planOf(4);
    const s = sub(42, 'Ada');
    const compose = createIssueComposer({ ...options, personalize: (r) => personalizeIssue(compiled, r), recipientFor: (x) => recipientOf(x, plan), parts: copyParts(compiled) });
    const { html, text } = await bodies(Buffer.concat(compose(s, '<42@x>', date)!.raw));
    const shown = copyPapers(compiled, { themes: null, plan });
    expect(html.indexOf('Picked for you')).toBeLessThan(html.indexOf('In this issue'));
    expect(html.match(/class="pp-paper"/g)).toHaveLength(shown.length);
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown.slice(0, new Set(plan.picks.map((p) => p.paperId)).size)).toEqual([...new Set(plan.picks.map((p) => p.paperId))]);
    expect(html).toContain('Why: you follow &quot;speculative decoding&quot; &amp; &lt;b&gt;more&lt;/b&gt;');
    expect(text).toContain('Why: you follow "speculative decoding" & <b>more</b>');
    const links = [...html.matchAll(/href="https:\/\/news\.example\.org\/f\/([^"]+)"/g)].map((m) => verifyFeedbackToken(config.secretKey, m[1]!, date));
    expect(links).toHaveLength(2 * shown.length);
    for (const claim of links) expect(claim).toMatchObject({ subscriberId: 42 });
    expect(links.map((c) => ('paperId' in c ? c.paperId : '')).filter((_, i) => i % 2 === 0)).toEqual(shown);
    expect(text.match(/More like this: https:\/\/news\.example\.org\/f\//g)).toHaveLength(shown.length);
  });

  it('counts in "N more papers in X" only the papers of X the copy does not show, picks included, and lists no section its picks took whole', async () => {
    // A section the budget leaves to a line, whose every paper the reader's picks take.
    const plain = layOutCopy(compiled, { themes: null })!;
    const taken = plain.sections.findIndex((s, i) => plain.shown[i] === 0 && s.paperCount >= 2 && s.paperCount <= 4);
    expect(taken).toBeGreaterThanOrEqual(0);
    const takenIds = (plain.sections[taken]!.cards ?? []).map((c) => compiled.cards![c]!.id);
    const plan: ReaderPlan = { picks: [...takenIds, ...ids.slice(0, 2)].map((paperId, i) => ({ paperId, score: 10 - i, reason: 'in your topic X' })), scores: null };
    const layout = layOutCopy(compiled, { themes: null, plan })!;
    const inCopy = new Set(cardsOf(layout).map((c) => c.paperId));
    layout.sections.forEach((s, i) => {
      const notShown = (s.cards ?? []).filter((c) => !inCopy.has(compiled.cards![c]!.id)).length;
      expect(layout.more[i], s.label).toBe(notShown);
    });
    expect(layout.more[taken]).toBe(0);
    // The copy says so: each "N more" line is the papers it does not show; the section the picks took is not listed.
    const s = sub(4242, 'Ada');
    const copy = personalizeIssue(compiled, recipientOf(s, plan))!;
    for (const m of copy.text.matchAll(/^(\d+) more papers? in (.+), on the web:$/gm)) {
      const i = layout.sections.findIndex((x) => x.label === m[2]);
      expect(Number(m[1]), m[2]).toBe(layout.more[i]);
    }
    const listed = copy.text.split('MORE OF YOUR TOPICS, ON THE WEB')[1] ?? '';
    expect(listed).not.toContain(`- ${layout.sections[taken]!.label} (`);
    expect(copy.html).not.toContain(`id="${layout.sections[taken]!.key}" style="margin:0 0 4px"`);
    // The plain copy of a reader without picks lists it, with all its papers.
    const dayCopy = personalizeIssue(compiled, recipientOf(sub(4243, 'Bo'), undefined))!;
    expect(dayCopy.text).toContain(`- ${plain.sections[taken]!.label} (${plain.sections[taken]!.paperCount} papers)`);
  });

  it('gives a reader with EMPTY_PLAN the day\'s copy, byte for byte as a reader without a plan', () => {
    const plain = personalizeIssue(compiled, buildRecipient(config, sub(7, 'Ada'), READER_VALUES, { papers: copyPapers(compiled, { themes: null }), now: date }))!;
    const empty = personalizeIssue(compiled, buildRecipient(config, { ...sub(7, 'Ada'), plan: { picks: [], scores: null } }, READER_VALUES, { papers: copyPapers(compiled, { themes: null, plan: { picks: [], scores: null } }), now: date }))!;
    expect(empty).toEqual(plain);
    expect(plain.html).not.toContain('Picked for you');
  });

  it('encodes pieces that decode to themselves, with no line over 76', () => {
    for (const text of ['a'.repeat(200), 'x'.repeat(74) + '=é', '.starts with a dot', 'tail  ', 'two\nlines\n', 'https://news.example.org/f/' + 'A'.repeat(150)]) {
      const encoded = encodePiece(text);
      expect(decodeQuotedPrintable(Buffer.from(encoded, 'latin1'))).toBe(text.replace(/\n/g, '\r\n'));
      for (const line of encoded.split('\r\n')) {
        expect(line.length).toBeLessThanOrEqual(76);
        expect(line.startsWith('.')).toBe(false);
      }
    }
  });

  it('gives readers of a send (compact feedback links, copyRecipient) exactly the plain render, each link naming the paper it sits under', async () => {
    const personalize = (r: Recipient) => personalizeIssue(compiled, r);
    const recipientOfSend = (s: Subscriber) => copyRecipient(config, compiled, { ...s, plan: s.id % 4 === 0 ? undefined : planOf(s.id) }, date);
    const compose = createIssueComposer({ ...options, personalize, recipientFor: recipientOfSend, parts: copyParts(compiled) });
    const papers = compiled.cards!.map((c) => c.id);
    for (let id = 1; id <= 40; id++) {
      const s = sub(id, id % 3 === 0 ? null : `Reader ${id}`);
      const message = compose(s, `<${id}@x>`, date)!;
      const want = personalizeIssue(compiled, recipientOfSend(s))!;
      const got = await bodies(Buffer.concat(message.raw));
      expect(got.html, `subscriber ${id}`).toBe(want.html);
      expect(got.text, `subscriber ${id}`).toBe(want.text);
      const tokens = [...got.html.matchAll(/href="https:\/\/news\.example\.org\/f\/([^"]+)"/g)].map((m) => m[1]!);
      expect(tokens.every((t) => feedbackTokenIssue(t) === compiled.id)).toBe(true);
      const claims = tokens.map((t) => verifyFeedbackToken(config.secretKey, t, date, papers));
      const shown = copyPapers(compiled, { themes: null, plan: s.id % 4 === 0 ? undefined : planOf(s.id) });
      expect(claims.map((c) => ('paperId' in c ? `${c.subscriberId} ${c.paperId} ${c.choice}` : c.problem))).toEqual(shown.flatMap((p) => [`${id} ${p} more`, `${id} ${p} less`]));
    }
  }, 180_000);
});
