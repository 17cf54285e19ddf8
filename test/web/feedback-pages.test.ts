/**
 * The "More like this" / "Less like this" pages over real HTTP (issue #20), against a real
 * SQLite store holding a sent issue: link scanners that fetch every feedback link of a copy
 * (GET and HEAD, with the user agents of Microsoft Safe Links, Mimecast, Proofpoint and the
 * like) change nothing; a forged link changes nothing; only the page's POST records a rating,
 * once however often it comes; undo; expired links; CSRF refusals; following an author; readers
 * who left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RatingChoice } from '../../src/picks/reader-signals.js';
import { signFeedbackToken } from '../../src/subscribers/feedback-token.js';
import { createCsrfGuard } from '../../src/web/security/create-csrf-guard.js';
import { createHttpClient, csrfIn } from './support/create-http-client.js';
import { SECRET_KEY, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

/** Every paper of the fixture's sent issue (test/fixtures/web/digests/paperpost-2025-12-10.json). */
const PAPERS = Array.from({ length: 10 }, (_, i) => `2512.${String(10001 + i)}`);
const DAY = 86_400_000;

/**
 * User agents of the link scanners that open every link of a message before (or instead of) the
 * reader: Safe Links and Defender look like Edge or Outlook, Mimecast and Proofpoint like
 * browsers or their own fetchers, some like a preview bot or a plain HTTP library.
 */
const SCANNER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17126; Pro)',
  'Mozilla/5.0 (compatible; Microsoft Safe Links; +https://aka.ms/safelinks)',
  'Mozilla/5.0 (compatible; BingPreview/1.0b)',
  'Mozilla/5.0 (compatible; Mimecast URL Protect/1.0)',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; Proofpoint URL Defense)',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  'python-requests/2.31.0',
  'curl/8.5.0',
];

let f: WebFixture;
let reader: number;
let gone: number;

beforeAll(async () => {
  f = await startWebFixture({
    sentIssue: true,
    subscribers: [
      { email: 'rater@example.org', name: 'Rater' },
      { email: 'leaver@example.org', name: 'Leaver' },
    ],
  });
  reader = (await f.app.store().getSubscriberByEmail('rater@example.org'))!.id;
  gone = (await f.app.store().getSubscriberByEmail('leaver@example.org'))!.id;
});
afterAll(async () => {
  await f?.close();
});

const store = () => f.app.store();
const link = (paper: string, choice: RatingChoice, id = reader, made = f.clock.now()) => `/f/${signFeedbackToken(SECRET_KEY, id, paper, choice, made)}`;
/** What the store holds about a reader, for before/after comparisons. */
const snapshot = async (id = reader) => JSON.stringify(await store().signalsOf(id));

/** Opens the page and presses its one button, as a reader does. */
async function rate(path: string, fields: Record<string, string> = {}, client = createHttpClient(f.url)) {
  const page = await client.get(path);
  expect(page.status).toBe(200);
  return client.post(path, { csrf: csrfIn(await page.text(), path), ...fields });
}

describe('the page a feedback link opens', () => {
  it('shows the paper, the choice preselected and one button, and changes nothing', async () => {
    const before = await snapshot();
    const path = link('2512.10005', 'less');
    const res = await createHttpClient(f.url).get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<h1>Less like this?</h1>');
    expect(html).toContain('KV Cache Compression for Long Context Language Models');
    expect(html).toContain('Claude Shannon');
    expect(html).toContain('href="https://arxiv.org/abs/2512.10005"');
    expect(html).toMatch(/<input type="radio" name="choice" value="less" checked>/);
    expect(html).not.toMatch(/value="more" checked/);
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain(`<form method="post" action="${path}">`);
    // No link hands out the reader's preferences or unsubscribe page.
    expect(html).not.toMatch(/href="\/(p|u)\//);
    expect(await snapshot()).toBe(before);
  });

  it('escapes the hostile title and authors of a paper', async () => {
    const html = await (await createHttpClient(f.url).get(link('2512.10004', 'more'))).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('answers HEAD with the GET status and no body', async () => {
    const res = await fetch(f.url + link('2512.10001', 'more'), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('link scanners', () => {
  it('20 GET and HEAD requests with scanner user agents on every feedback link of a copy change nothing', async () => {
    // A reader with some history, so "nothing changes" covers changes too, not only additions.
    await rate(link('2512.10002', 'more'));
    await store().addFollow(reader, { kind: 'phrase', value: 'video diffusion', key: 'video diffusion' }, f.clock.now());
    const before = await snapshot();
    const links = PAPERS.flatMap((p) => [link(p, 'more'), link(p, 'less')]);
    let requests = 0;
    for (const path of links) {
      for (let i = 0; i < 20; i++) {
        const ua = SCANNER_AGENTS[i % SCANNER_AGENTS.length]!;
        const res = await fetch(f.url + path, { method: i % 2 === 0 ? 'GET' : 'HEAD', redirect: 'manual', headers: { 'user-agent': ua, accept: '*/*' } });
        expect(res.status, `${ua} on ${path}`).toBe(200);
        expect(res.headers.get('set-cookie')).toBeNull();
        await res.arrayBuffer();
        requests++;
      }
    }
    expect(requests).toBe(PAPERS.length * 2 * 20);
    expect(await snapshot()).toBe(before);
    // Control: the reader's own button still works on the same links, so the replay could have failed.
    expect((await rate(links[0]!)).status).toBe(200);
    expect(await snapshot()).not.toBe(before);
  });

  it('a forged, cut or altered link changes nothing and gets a 404', async () => {
    const before = await snapshot();
    const good = link('2512.10006', 'more').slice('/f/'.length);
    const [id, paper, , day, mac] = good.split('.') as [string, string, string, string, string];
    const forged = [
      `${id}.${paper}.m.${day}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${id}.${paper}.l.${day}.${mac}`,
      `${id}.${Buffer.from('2512.10007').toString('base64url')}.m.${day}.${mac}`,
      `${(reader + 1).toString(36)}.${paper}.m.${day}.${mac}`,
      good.slice(0, -5),
      'not-a-token',
      signFeedbackToken('another-key-of-32-characters-xxxxx', reader, '2512.10006', 'more', f.clock.now()),
    ];
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get(`/f/${good}`)).text());
    for (const token of forged) {
      const page = await client.get(`/f/${token}`);
      expect(page.status, token).toBe(404);
      expect(await page.text()).toContain('This link does not work');
      for (const action of ['', '/undo', '/follow']) {
        expect((await client.post(`/f/${token}${action}`, { csrf, choice: 'more', author: 'John von Neumann' })).status).toBe(404);
      }
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('rating', () => {
  it('records the POST once, however often it comes, and says so', async () => {
    const path = link('2512.10007', 'more');
    const client = createHttpClient(f.url);
    const page = await client.get(path);
    const csrf = csrfIn(await page.text(), path);
    const first = await client.post(path, { csrf, choice: 'more' });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Saved: “More like this”');
    const second = await client.post(path, { csrf, choice: 'more' });
    expect(await second.text()).toContain('it counts once');
    const ratings = (await store().signalsOf(reader)).ratings.filter((r) => r.paperId === '2512.10007');
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({ choice: 'more', title: 'Paged KV Cache Serving for Long Context Inference', authors: ['Barbara Liskov'] });
  });

  it('takes the choice the reader switched to, still as one rating', async () => {
    await rate(link('2512.10008', 'more'));
    const res = await rate(link('2512.10008', 'more'), { choice: 'less' });
    expect(await res.text()).toContain('Saved: “Less like this”');
    const mine = (await store().signalsOf(reader)).ratings.filter((r) => r.paperId === '2512.10008');
    expect(mine.map((r) => r.choice)).toEqual(['less']);
    // The page shows the rating as it stands.
    expect(await (await createHttpClient(f.url).get(link('2512.10008', 'more'))).text()).toContain('You marked this paper “Less like this”');
  });

  it('refuses a choice that is neither more nor less (400), recording nothing', async () => {
    const path = link('2512.10009', 'more');
    const before = await snapshot();
    const res = await rate(path, { choice: 'bogus' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Nothing was changed');
    expect(await snapshot()).toBe(before);
  });

  it('undo removes the rating', async () => {
    const path = link('2512.10009', 'less');
    const client = createHttpClient(f.url);
    const saved = await rate(path, {}, client);
    expect((await store().signalsOf(reader)).ratings.some((r) => r.paperId === '2512.10009')).toBe(true);
    const html = await saved.text();
    const undo = await client.post(`${path}/undo`, { csrf: csrfIn(html, `${path}/undo`) });
    expect(undo.status).toBe(200);
    expect(await undo.text()).toContain('Your rating is removed');
    expect((await store().signalsOf(reader)).ratings.some((r) => r.paperId === '2512.10009')).toBe(false);
  });

  it('refuses a POST without the CSRF field, from another site, or with another link\'s field (403, with the reason)', async () => {
    const before = await snapshot();
    const path = link('2512.10010', 'more');
    const client = createHttpClient(f.url);
    const csrf = csrfIn(await (await client.get(path)).text(), path);

    const missing = await client.post(path, { choice: 'more' });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('The form is incomplete');

    const crossSite = await client.post(path, { csrf, choice: 'more' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('Sent from another site');

    const otherLink = link('2512.10010', 'less');
    const mismatch = await client.post(otherLink, { csrf, choice: 'more' });
    expect(mismatch.status).toBe(403);
    expect(await mismatch.text()).toContain('This form could not be checked');

    expect(await snapshot()).toBe(before);
    expect((await client.post(path, { csrf, choice: 'more' })).status).toBe(200);
  });

  it('an expired link says so with a 410 and records nothing', async () => {
    const before = await snapshot();
    const old = link('2512.10003', 'more', reader, new Date(f.clock.now().getTime() - 61 * DAY));
    const client = createHttpClient(f.url);
    const page = await client.get(old);
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('This link has expired');
    expect(html).toContain('60 days');
    expect(html).toContain('preferences page');
    // A right field for it (as from a page opened before it expired) changes nothing either.
    const csrf = createCsrfGuard(SECRET_KEY).tokenFor('feedback', old.slice('/f/'.length));
    expect((await client.post(old, { csrf, choice: 'more' })).status).toBe(410);
    expect(await snapshot()).toBe(before);
    // 59 days old still works.
    expect((await client.get(link('2512.10003', 'more', reader, new Date(f.clock.now().getTime() - 59 * DAY)))).status).toBe(200);
  });

  it('a paper no stored issue carried gets a 404 and records nothing', async () => {
    const before = await snapshot();
    const res = await createHttpClient(f.url).get(link('2501.99999', 'more'));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Paper not found');
    expect(await snapshot()).toBe(before);
  });
});

describe('following an author from the confirmation', () => {
  it('follows the author of the rated paper, once, and only authors of that paper', async () => {
    const path = link('2512.10006', 'more');
    const client = createHttpClient(f.url);
    const saved = await (await rate(path, {}, client)).text();
    expect(saved).toContain('Follow John von Neumann');
    expect(saved).toContain('Follow Emmy Noether');
    const csrf = csrfIn(saved, `${path}/follow`);

    const res = await client.post(`${path}/follow`, { csrf, author: 'Emmy Noether' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('You now follow Emmy Noether.');
    expect(html).toContain('Emmy Noether <span class="muted">(you follow them)</span>');
    expect(html).toContain('Follow John von Neumann');
    const again = await client.post(`${path}/follow`, { csrf, author: 'Emmy Noether' });
    expect(await again.text()).toContain('You already follow Emmy Noether.');
    const follows = (await store().signalsOf(reader)).follows.filter((x) => x.kind === 'author');
    expect(follows.map((x) => x.value)).toEqual(['Emmy Noether']);

    const stranger = await client.post(`${path}/follow`, { csrf, author: 'Tri Dao' });
    expect(stranger.status).toBe(400);
    expect((await store().signalsOf(reader)).follows.filter((x) => x.kind === 'author')).toHaveLength(1);
    expect((await client.post(`${path}/follow`, { author: 'John von Neumann' })).status).toBe(403);
  });
});

describe('a reader who left', () => {
  it('cannot rate: a clear 410 page, nothing recorded', async () => {
    const path = link('2512.10001', 'more', gone);
    const client = createHttpClient(f.url);
    const page = await client.get(path);
    expect(page.status).toBe(200);
    const csrf = csrfIn(await page.text(), path);
    await store().setSubscriberStatus(gone, 'unsubscribed');
    for (const status of ['unsubscribed', 'bounced', 'complained'] as const) {
      await store().setSubscriberStatus(gone, status);
      const shown = await client.get(path);
      expect(shown.status).toBe(410);
      expect(await shown.text()).toContain('no longer subscribed');
      expect((await client.post(path, { csrf, choice: 'more' })).status).toBe(410);
    }
    expect(await store().signalsOf(gone)).toEqual({ ratings: [], follows: [] });
  });
});
