/**
 * Issue #21: the length budget is part of the copy plan. Its allocation depends only on the
 * sections a copy shows, so the composer still renders once per variant (copy plan) on a real
 * 256-paper arXiv day, and every message is byte for byte what a plain render would give.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMessageBuilder } from '../../src/deliver/build-message.js';
import { createIssueComposer } from '../../src/deliver/create-issue-composer.js';
import { parseDigest } from '../../src/ingest/parse-digest.js';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { recipientFor as buildRecipient, type Recipient } from '../../src/subscribers/recipient.js';
import { assignTopics } from '../../src/topics/assign-topics.js';
import { loadTopicMap } from '../../src/topics/load-topic-map.js';
import type { Subscriber } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const config = { publicUrl: 'https://news.example.org', secretKey: 'test-secret-test-secret' };
const options = { issueId: '2026-06-24', from: 'paperpost <news@example.org>', listId: 'paperpost.example.org' };
const date = new Date('2026-06-24T07:00:00Z');
const sub = (id: number, name: string | null, themes: string[] | null = null): Subscriber => ({
  id, email: `s${id}@example.org`, name, status: 'active', themes, createdAt: '', confirmedAt: null, unsubscribedAt: null,
});

let compiled: CompiledIssue;
beforeAll(async () => {
  const file = path.join(ROOT, 'test/fixtures/topics/arxiv-days/arxiv-2026-06-24.json');
  const themed = assignTopics(parseDigest(readFileSync(file), { name: 'arxiv-2026-06-24.json' }).digest, { map: loadTopicMap(path.join(ROOT, 'content/topics.yml')) });
  compiled = await compileIssue(themed, { templatesDir: path.join(ROOT, 'templates'), publicUrl: config.publicUrl, maxPapers: 30 });
}, 120_000);

describe('the composer with a length budget', () => {
  it('renders once per copy plan and gives each reader exactly the plain render', async () => {
    let calls = 0;
    const personalize = (r: Recipient) => (calls++, personalizeIssue(compiled, r));
    const recipientFor = (s: Subscriber) => buildRecipient(config, s);
    const compose = createIssueComposer({ ...options, personalize, recipientFor });
    const [a, b, c] = compiled.sections.map((s) => s.id);
    const plans: (string[] | null)[] = [null, [a!, b!], [c!], [b!.toUpperCase(), a!]];
    const subs = Array.from({ length: 200 }, (_, i) => sub(i + 1, i % 3 === 0 ? null : `Reader ${i + 1}`, plans[i % plans.length]!));
    for (const s of subs) {
      const raw = Buffer.concat(compose(s, `<${s.id}@x>`, date)!.raw);
      if (s.id <= 12) {
        const copy = personalizeIssue(compiled, recipientFor(s))!;
        const v = recipientFor(s);
        const want = createMessageBuilder(options)({ to: s.email, toName: s.name, subject: copy.subject, html: copy.html, text: copy.text, messageId: `<${s.id}@x>`, unsubscribeUrl: v.unsubscribeUrl, date });
        expect(raw.equals(want), `subscriber ${s.id}`).toBe(true);
      }
    }
    // 3 copy plans ([B, a] is the same plan as [a, b]) × named or not: 2 renders each (sentinel copy and check).
    expect(calls).toBe(3 * 2 * 2);
    const mail = await simpleParser(Buffer.concat(compose(sub(999, 'Ada'), '<999@x>', date)!.raw));
    expect(mail.subject).toMatch(/: 30 papers on /);
    expect((mail.html as string).match(/class="pp-paper"/g)).toHaveLength(30);
  });
});
