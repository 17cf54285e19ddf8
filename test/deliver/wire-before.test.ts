/**
 * The messages paperpost writes are the ones it wrote before issue #14 sped the composer up:
 * fixtures/wire-before/ holds raw messages composed by the earlier code for five subscribers
 * of the frozen sample issue (different themes, names with accents and quotes, no name); the
 * same messages composed today must match them byte for byte but for the order of header
 * lines, and mailparser must read every header and both parts the same. The copies the
 * composer renders are replayed from personalize-calls.json (what personalizeIssue gave the
 * old composer), so this test is about delivery, not about later changes to render/.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { createIssueComposer } from '../../src/deliver/create-issue-composer.js';
import { messageIdFor } from '../../src/deliver/message-id-for.js';
import type { Copy } from '../../src/deliver/create-issue-composer.js';
import { recipientFor, type Recipient } from '../../src/subscribers/recipient.js';
import type { Subscriber } from '../../src/types.js';

const dir = path.join(import.meta.dirname, 'fixtures/wire-before');
const setup = JSON.parse(readFileSync(path.join(dir, 'setup.json'), 'utf8')) as {
  date: string;
  config: { mailFrom: string; listId: string; unsubscribeMailto: string; publicUrl: string; secretKey: string };
  subscribers: Subscriber[];
};
const compiled = JSON.parse(readFileSync(path.join(dir, 'issue-2025-12-11.json'), 'utf8')) as { id: string };
/** The same values whatever order their keys were written in (the old composer and recipientFor order them differently). */
const canonical = (values: object) => JSON.stringify(Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b))));
const calls = new Map(
  Object.entries(JSON.parse(readFileSync(path.join(dir, 'personalize-calls.json'), 'utf8')) as Record<string, Copy | null>).map(([k, v]) => [canonical(JSON.parse(k) as object), v]),
);
/** The copy personalizeIssue gave the old composer for these values; any other call is a change. */
const replay = (values: Recipient): Copy | null => {
  const key = canonical(values);
  if (!calls.has(key)) throw new Error(`the composer asked for a copy the old one did not: ${key}`);
  return calls.get(key)!;
};

/** The header lines of a raw message, unfolded, sorted; and the bytes after them. */
function split(raw: Buffer) {
  const end = raw.indexOf('\r\n\r\n');
  const headers = raw.subarray(0, end).toString('utf8').replace(/\r\n[ \t]/g, ' ').split('\r\n').sort();
  return { headers, body: raw.subarray(end + 4) };
}

describe('messages on the wire, before and after issue #14', () => {
  const { config } = setup;
  const compose = createIssueComposer({
    issueId: compiled.id,
    from: config.mailFrom,
    listId: config.listId,
    unsubscribeMailto: config.unsubscribeMailto,
    personalize: replay,
    recipientFor: (sub) => recipientFor(config, sub),
  });
  const now = setup.subscribers.map((sub) => ({ sub, raw: Buffer.concat(compose(sub, messageIdFor(config, compiled.id, sub.id), new Date(setup.date))!.raw) }));

  it.each(now.map((m, i) => [m.sub.id, m.sub.name ?? '(no name)', m.sub.themes?.join(', ') ?? 'all themes', i] as const))(
    'subscriber %i (%s; %s): the same bytes, the same headers and parts',
    async (id, _name, _themes, i) => {
      const before = readFileSync(path.join(dir, `${id}.eml`));
      const after = now[i]!.raw;
      const b = split(before);
      const a = split(after);
      expect(a.headers).toEqual(b.headers);
      expect(a.body.equals(b.body)).toBe(true);

      const [pb, pa] = await Promise.all([simpleParser(before), simpleParser(after)]);
      expect([...pa.headers.keys()].sort()).toEqual([...pb.headers.keys()].sort());
      for (const [key, value] of pb.headers) expect(pa.headers.get(key), key).toEqual(value);
      expect(pa.text).toBe(pb.text);
      expect(pa.html).toBe(pb.html);
      expect(pa.attachments).toEqual([]);
      expect(pb.text).toContain('Unsubscribe');
      expect(pb.html).toContain(`/u/`);
    },
  );
});
