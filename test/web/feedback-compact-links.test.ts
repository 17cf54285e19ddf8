/**
 * Compact feedback links (subscribers/feedback-token.ts) over real HTTP, against a real SQLite
 * store holding a sent issue: the links of a reader's copy as a send makes them
 * (render/copy-recipient.ts) name each paper by its card in the frozen issue. Scanners that
 * fetch every one of them (GET and HEAD) change nothing; the page's POST records the paper the
 * link was under; a forged compact link is a 404, an expired one a 410, and a link whose card
 * names no paper of a stored issue (an issue never frozen) a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledIssue } from '../../src/render/compile-issue.js';
import { copyRecipient } from '../../src/render/copy-recipient.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { startWebFixture, type WebFixture } from './support/start-web-fixture.js';

const DAY = 86_400_000;
const AGENTS = ['Mozilla/5.0 (compatible; Microsoft Safe Links; +https://aka.ms/safelinks)', 'Mozilla/5.0 (compatible; Mimecast URL Protect/1.0)', 'Mozilla/5.0 (compatible; Proofpoint URL Defense)', 'curl/8.5.0'];

let f: WebFixture;
let reader: number;
let compiled: CompiledIssue;
/** The reader's copy's feedback links, in the order the copy shows them ("more", "less" per paper), as paths. */
let links: string[];
/** The paper each card shows. */
let paperOf: (path: string) => string;

beforeAll(async () => {
  f = await startWebFixture({ sentIssue: true, subscribers: [{ email: 'compact@example.org', name: 'Compact' }] });
  const subscriber = (await f.app.store().getSubscriberByEmail('compact@example.org'))!;
  reader = subscriber.id;
  const [sent] = await f.app.store().listIssueIds();
  compiled = JSON.parse((await f.app.store().getIssue(sent!.id))!.frozen) as CompiledIssue;
  const copy = personalizeIssue(compiled, copyRecipient(f.app.config, compiled, subscriber, f.clock.now()))!;
  links = [...copy.html.matchAll(/href="[^"]*?(\/f\/[^"]+)"/g)].map((m) => m[1]!);
  paperOf = (path) => compiled.cards![parseInt(/\.(\w+?)[ml][\w-]{12}$/.exec(path)![1]!, 36)]!.id;
}, 120_000);
afterAll(async () => {
  await f?.close();
});

const snapshot = async () => JSON.stringify(await f.app.store().signalsOf(reader));

describe('compact feedback links of a copy', () => {
  it('are short, one pair per paper shown, and name their issue', () => {
    expect(compiled.cards!.length).toBeGreaterThan(0);
    expect(links.length).toBe(2 * compiled.cards!.length);
    for (const path of links) {
      expect(path).toMatch(new RegExp(`^/f/[0-9a-z]+\\.[0-9a-z]+\\.${compiled.id}\\.[0-9a-z]+[ml][\\w-]{12}$`));
      expect(path.length).toBeLessThan(50);
    }
  });

  it('change nothing when scanners fetch every one of them, and record the right paper on the POST', async () => {
    const before = await snapshot();
    for (const path of links) {
      for (let i = 0; i < 4; i++) {
        const res = await fetch(f.url + path, { method: i % 2 ? 'HEAD' : 'GET', redirect: 'manual', headers: { 'user-agent': AGENTS[i]!, accept: '*/*' } });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('set-cookie')).toBeNull();
        await res.arrayBuffer();
      }
    }
    expect(await snapshot()).toBe(before);
    const path = links[3]!;
    const client = createHttpClient(f.url);
    const page = await client.get(path);
    const html = await page.text();
    expect(html).toMatch(/value="less" checked/);
    expect((await client.post(path, { csrf: csrfIn(html, path) })).status).toBe(200);
    const { ratings } = await f.app.store().signalsOf(reader);
    expect(ratings.map((r) => [r.paperId, r.choice])).toEqual([[paperOf(path), 'less']]);
  });

  it('refuse a forged link with a 404 and an expired one with a 410, recording nothing', async () => {
    const before = await snapshot();
    const good = links[0]!;
    const mac = good.slice(-12);
    const forged = [
      `${good.slice(0, -12)}${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      good.replace(/m([\w-]{12})$/, 'l$1'),
      good.replace(/^\/f\/[0-9a-z]+/, `/f/${(reader + 1).toString(36)}`),
      good.replace(`.${compiled.id}.`, '.2020-01-01.'),
      good.slice(0, -3),
    ];
    for (const path of forged) expect((await fetch(f.url + path)).status, path).toBe(404);
    f.clock.advance(61 * DAY);
    try {
      expect((await fetch(f.url + good)).status).toBe(410);
    } finally {
      f.clock.advance(-61 * DAY);
    }
    expect(await snapshot()).toBe(before);
  });
});
