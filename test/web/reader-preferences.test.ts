/**
 * The preferences page's "Picked for you" and "Your data" parts over real HTTP (issue #20),
 * against a real SQLite store: follows and mutes (add, remove, limits, escaping), rated papers
 * newest first with undo, reset with a confirmation step, the download of everything stored
 * about the reader as JSON, and "delete my data" with a confirmation step, after which the
 * address is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FOLLOW_LENGTH } from '../../src/picks/reader-signals.js';
import { signFeedbackToken } from '../../src/subscribers/feedback-token.js';
import { signToken } from '../../src/subscribers/sign-token.js';
import { createCsrfGuard } from '../../src/web/security/create-csrf-guard.js';
import { createHttpClient, csrfIn, type HttpClient } from './support/create-http-client.js';
import { SECRET_KEY, startWebFixture, type WebFixture } from './support/start-web-fixture.js';

let f: WebFixture;

beforeAll(async () => {
  f = await startWebFixture({
    sentIssue: true,
    subscribers: [
      { email: 'prefs@example.org', name: 'Pref Reader' },
      { email: 'resetter@example.org' },
      { email: 'forgetme@example.org', name: 'Forget Me', themes: ['efficient-inference'] },
    ],
  });
});
afterAll(async () => {
  await f?.close();
});

const store = () => f.app.store();
const idOf = async (email: string) => (await store().getSubscriberByEmail(email))!.id;
const prefsOf = async (email: string) => `/p/${signToken(SECRET_KEY, 'preferences', await idOf(email))}`;

/** Rates a paper through the feedback page, as the reader would. */
async function rate(id: number, paper: string, choice: 'more' | 'less') {
  const client = createHttpClient(f.url);
  const path = `/f/${signFeedbackToken(SECRET_KEY, id, paper, choice, f.clock.now())}`;
  const res = await client.post(path, { csrf: csrfIn(await (await client.get(path)).text(), path), choice });
  expect(res.status).toBe(200);
}

/** Posts the page's form to `action` with `fields`, as its button would. */
async function press(client: HttpClient, prefs: string, action: string, fields: Record<string, string> = {}) {
  const html = await (await client.get(prefs)).text();
  return client.post(action, { csrf: csrfIn(html, action), ...fields });
}

describe('follows and mutes', () => {
  it('adds an author, a phrase and a mute, lists them escaped, and removes one', async () => {
    const prefs = await prefsOf('prefs@example.org');
    const client = createHttpClient(f.url);
    const page = await (await client.get(prefs)).text();
    expect(page).toContain('You follow no author or phrase yet.');
    expect(page).toContain(`maxlength="${MAX_FOLLOW_LENGTH}"`);

    for (const [kind, value] of [['author', 'Tri  Dao'], ['phrase', 'speculative decoding'], ['mute', '<b>benchmark</b> & "leaderboard"']] as const) {
      const res = await press(client, prefs, `${prefs}/follows`, { kind, value });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`${prefs}?signals=followed#follows`);
    }
    const again = await press(client, prefs, `${prefs}/follows`, { kind: 'author', value: 'tri dao' });
    expect(again.headers.get('location')).toBe(`${prefs}?signals=already-followed#follows`);

    const id = await idOf('prefs@example.org');
    expect((await store().signalsOf(id)).follows.map((x) => [x.kind, x.value])).toEqual([
      ['author', 'Tri Dao'],
      ['phrase', 'speculative decoding'],
      ['mute', '<b>benchmark</b> & "leaderboard"'],
    ]);
    const listed = await (await client.get(`${prefs}?signals=followed`)).text();
    expect(listed).toContain('<p class="notice" role="status">Added.</p>');
    expect(listed).toContain('Authors you follow');
    expect(listed).toContain('Phrases you muted');
    expect(listed).toContain('&lt;b&gt;benchmark&lt;/b&gt; &amp; &quot;leaderboard&quot;');
    expect(listed).not.toContain('<b>benchmark');
    // A code that is not ours shows nothing of the query string.
    for (const code of ['%3Cscript%3E', 'constructor', '__proto__']) {
      expect(await (await client.get(`${prefs}?signals=${code}`)).text()).not.toMatch(/<p class="notice" role="status">|<script>/);
    }

    const removed = await press(client, prefs, `${prefs}/follows/remove`, { kind: 'phrase', key: 'speculative decoding' });
    expect(removed.headers.get('location')).toBe(`${prefs}?signals=unfollowed#follows`);
    expect((await store().signalsOf(id)).follows.map((x) => x.value)).toEqual(['Tri Dao', '<b>benchmark</b> & "leaderboard"']);
  });

  it('refuses a follow that is too long, empty or of no kind (400), and a post without its CSRF field (403)', async () => {
    const prefs = await prefsOf('prefs@example.org');
    const id = await idOf('prefs@example.org');
    const before = JSON.stringify(await store().signalsOf(id));
    const client = createHttpClient(f.url);
    const long = await press(client, prefs, `${prefs}/follows`, { kind: 'phrase', value: 'x'.repeat(MAX_FOLLOW_LENGTH + 1) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain(`at most ${MAX_FOLLOW_LENGTH} characters`);
    expect((await press(client, prefs, `${prefs}/follows`, { kind: 'phrase', value: ' ,;- ' })).status).toBe(400);
    expect((await press(client, prefs, `${prefs}/follows`, { kind: 'topic', value: 'agents' })).status).toBe(400);
    // Removing names a kind and a key, or it is refused (not "unfollowed" for nothing).
    expect((await press(client, prefs, `${prefs}/follows/remove`, { kind: 'topic', key: 'agents' })).status).toBe(400);
    expect((await press(client, prefs, `${prefs}/follows/remove`, { kind: 'phrase', key: '' })).status).toBe(400);
    const noField = await client.post(`${prefs}/follows`, { kind: 'phrase', value: 'agents' });
    expect(noField.status).toBe(403);
    expect(await noField.text()).toContain('The form is incomplete');
    expect(JSON.stringify(await store().signalsOf(id))).toBe(before);
    // Exactly the limit is fine.
    expect((await press(client, prefs, `${prefs}/follows`, { kind: 'phrase', value: 'y'.repeat(MAX_FOLLOW_LENGTH) })).status).toBe(303);
  });
});

describe('a phrase followed and muted', () => {
  it('is never both: muting a followed phrase replaces the follow, and following a muted one the mute', async () => {
    await store().upsertSubscriber({ email: 'switcher@example.org', status: 'active' });
    const id = await idOf('switcher@example.org');
    const prefs = await prefsOf('switcher@example.org');
    const client = createHttpClient(f.url);
    expect((await press(client, prefs, `${prefs}/follows`, { kind: 'phrase', value: 'diffusion' })).headers.get('location')).toBe(`${prefs}?signals=followed#follows`);
    const muted = await press(client, prefs, `${prefs}/follows`, { kind: 'mute', value: 'Diffusion' });
    expect(muted.headers.get('location')).toBe(`${prefs}?signals=muted-instead#follows`);
    expect((await store().signalsOf(id)).follows.map((x) => [x.kind, x.value])).toEqual([['mute', 'Diffusion']]);
    const page = await (await client.get(muted.headers.get('location')!)).text();
    expect(page).toContain('You followed that phrase; now it is muted instead.');
    expect(page).not.toContain('Phrases you follow');
    const followed = await press(client, prefs, `${prefs}/follows`, { kind: 'phrase', value: 'diffusion' });
    expect(followed.headers.get('location')).toBe(`${prefs}?signals=followed-instead#follows`);
    expect((await store().signalsOf(id)).follows.map((x) => [x.kind, x.value])).toEqual([['phrase', 'diffusion']]);
  });
});

describe('a follow that would match every paper or none', () => {
  it('is refused with a 400 that says why: a phrase of stop words, an author by initials alone', async () => {
    await store().upsertSubscriber({ email: 'stopwords@example.org', status: 'active' });
    const id = await idOf('stopwords@example.org');
    const prefs = await prefsOf('stopwords@example.org');
    const client = createHttpClient(f.url);
    for (const [kind, value, message] of [
      ['phrase', 'a', 'The phrase &quot;a&quot; has only stop words'],
      ['phrase', 'the', 'The phrase &quot;the&quot; has only stop words'],
      ['mute', 'of the', 'The phrase &quot;of the&quot; has only stop words'],
      ['author', 'T.', 'The author &quot;T.&quot; has no name of two letters or more besides initials'],
    ] as const) {
      const res = await press(client, prefs, `${prefs}/follows`, { kind, value });
      expect(res.status, value).toBe(400);
      expect(await res.text(), value).toContain(message);
    }
    expect((await store().signalsOf(id)).follows).toEqual([]);
    expect((await press(client, prefs, `${prefs}/follows`, { kind: 'phrase', value: 'the bitter lesson' })).status).toBe(303);
  });
});

describe('an ambiguous author', () => {
  it('says so when recent issues spell the followed name more than one way, on the preferences and the feedback page', async () => {
    // A later issue lists "Émmy Noether": the same name once normalised as the sent issue's "Emmy Noether".
    const paper = { id: '2512.20001', title: 'Symmetry and Conservation in Neural Networks', abstract: '', summary: null, authors: ['Émmy Noether'], authorCount: 1, publishedAt: null, upvotes: null, url: null, codeUrl: null, keywords: [] };
    await store().freezeIssue('2025-12-11', JSON.stringify({ themes: [{ label: 'Theory', papers: [paper] }] }));
    const prefs = await prefsOf('prefs@example.org');
    const client = createHttpClient(f.url);
    const res = await press(client, prefs, `${prefs}/follows`, { kind: 'author', value: 'Emmy Noether' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('This name is ambiguous');
    expect(html).toContain('Emmy Noether; Émmy Noether');
    // Not ambiguous: an author with one spelling is followed with a plain redirect.
    expect((await press(client, prefs, `${prefs}/follows`, { kind: 'author', value: 'Barbara Liskov' })).status).toBe(303);

    const id = await idOf('resetter@example.org');
    const path = `/f/${signFeedbackToken(SECRET_KEY, id, '2512.10009', 'more', f.clock.now())}`;
    const page = await client.post(path, { csrf: csrfIn(await (await client.get(path)).text(), path) });
    const followed = await client.post(`${path}/follow`, { csrf: csrfIn(await page.text(), `${path}/follow`), author: 'Emmy Noether' });
    expect(await followed.text()).toContain('Note: this name is ambiguous');
    await store().clearSignals(id);
  });
});

describe('an address that bounced', () => {
  it('shows the ratings and the data buttons, but no longer takes follows or undo', async () => {
    await store().upsertSubscriber({ email: 'bounced.reader@example.org', status: 'active' });
    const id = await idOf('bounced.reader@example.org');
    await rate(id, '2512.10002', 'more');
    await store().setSubscriberStatus(id, 'bounced');
    const prefs = await prefsOf('bounced.reader@example.org');
    const client = createHttpClient(f.url);
    const html = await (await client.get(prefs)).text();
    expect(html).toContain('Consistent Long Video Generation by Diffusion Distillation');
    expect(html).toContain('Download my data');
    expect(html).toContain('Delete my data');
    expect(html).not.toContain(`action="${prefs}/follows"`);
    expect(html).not.toContain(`action="${prefs}/ratings/remove"`);
    // A form kept from before changes nothing now.
    const csrf = createCsrfGuard(SECRET_KEY).tokenFor('signals', prefs.slice('/p/'.length));
    expect((await client.post(`${prefs}/follows`, { csrf, kind: 'phrase', value: 'video' })).status).toBe(303);
    expect((await client.post(`${prefs}/ratings/remove`, { csrf, paper: '2512.10002' })).status).toBe(303);
    expect((await store().signalsOf(id)).follows).toEqual([]);
    expect((await store().signalsOf(id)).ratings).toHaveLength(1);
    expect((await press(client, prefs, `${prefs}/download`)).status).toBe(200);
  });
});

describe('rated papers', () => {
  it('lists them newest first, each with undo', async () => {
    const id = await idOf('prefs@example.org');
    await rate(id, '2512.10005', 'more');
    f.clock.advance(60_000);
    await rate(id, '2512.10008', 'less');
    const prefs = await prefsOf('prefs@example.org');
    const client = createHttpClient(f.url);
    const html = await (await client.get(prefs)).text();
    const kv = html.indexOf('KV Cache Compression for Long Context Language Models');
    const prove = html.indexOf('Learning to Prove Theorems with Reinforcement Learning');
    expect(prove).toBeGreaterThan(0);
    expect(kv).toBeGreaterThan(prove);
    expect(html).toContain('Less like this');

    // Two ratings: too few for a model.
    expect(html).toContain('What paperpost thinks you like');
    expect(html).toContain('Nothing learned yet from 2 ratings');

    // A third: the model says what it learned, for (KV cache serving) and against (theorem proving).
    await rate(id, '2512.10007', 'more');
    const learned = await (await client.get(prefs)).text();
    const part = learned.slice(learned.indexOf('What paperpost thinks you like'), learned.indexOf('id="data-heading"'));
    expect(part).toContain('Learned from your 3 ratings');
    const forList = part.slice(part.indexOf('<h4>For a paper</h4>'), part.indexOf('<h4>Against a paper</h4>'));
    const againstList = part.slice(part.indexOf('<h4>Against a paper</h4>'));
    expect(forList).toMatch(/kv cache|long context/i);
    expect(againstList).toMatch(/theorem|prove|kurt goedel/i);
    expect(againstList).not.toMatch(/kv cache/i);
    await client.post(`${prefs}/ratings/remove`, { csrf: csrfIn(learned, `${prefs}/ratings/remove`), paper: '2512.10007' });

    const undo = await press(client, prefs, `${prefs}/ratings/remove`, { paper: '2512.10008' });
    expect(undo.headers.get('location')).toBe(`${prefs}?signals=undone#ratings`);
    expect((await store().signalsOf(id)).ratings.map((r) => r.paperId)).toEqual(['2512.10005']);
  });
});

describe('reset', () => {
  it('asks first, then clears every rating and follow, and keeps the subscription', async () => {
    const id = await idOf('resetter@example.org');
    await rate(id, '2512.10001', 'more');
    await store().addFollow(id, { kind: 'phrase', value: 'video', key: 'video' }, f.clock.now());
    const prefs = await prefsOf('resetter@example.org');
    const client = createHttpClient(f.url);

    const ask = await press(client, prefs, `${prefs}/reset`);
    expect(ask.status).toBe(200);
    const askHtml = await ask.text();
    expect(askHtml).toContain('<h1>Reset your picks?</h1>');
    expect(askHtml).toContain('your 1 rating and 1 follow or mute.');
    expect((await store().signalsOf(id)).ratings).toHaveLength(1);

    const done = await client.post(`${prefs}/reset`, { csrf: csrfIn(askHtml, `${prefs}/reset`), confirm: 'yes' });
    expect(done.status).toBe(303);
    expect(await store().signalsOf(id)).toEqual({ ratings: [], follows: [] });
    expect((await store().getSubscriberById(id))!.status).toBe('active');
    expect(await (await client.get(done.headers.get('location')!)).text()).toContain('Your picks are reset');
  });
});

describe('your data', () => {
  it('downloads everything stored about the reader as a JSON attachment, changing nothing', async () => {
    const id = await idOf('forgetme@example.org');
    await rate(id, '2512.10006', 'more');
    await store().addFollow(id, { kind: 'author', value: 'Emmy Noether', key: 'emmy noether' }, f.clock.now());
    const before = JSON.stringify(await store().signalsOf(id));
    const prefs = await prefsOf('forgetme@example.org');
    const client = createHttpClient(f.url);
    expect((await client.post(`${prefs}/download`, {})).status).toBe(403);

    const res = await press(client, prefs, `${prefs}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="paperpost-my-data\.json"$/);
    const text = await res.text();
    const data = JSON.parse(text) as unknown;
    expect(text).toContain('forgetme@example.org');
    expect(text).toContain('Forget Me');
    expect(text).toContain('2512.10006');
    expect(text).toContain('Evicting Tokens from the KV Cache Without Losing Accuracy');
    expect(text).toContain('Emmy Noether');
    expect(data).toBeTypeOf('object');
    expect(JSON.stringify(await store().signalsOf(id))).toBe(before);
  });

  it('deletes after a confirmation step, says what was erased, and the link stops working', async () => {
    const id = await idOf('forgetme@example.org');
    const prefs = await prefsOf('forgetme@example.org');
    const client = createHttpClient(f.url);

    const ask = await press(client, prefs, `${prefs}/delete`);
    expect(ask.status).toBe(200);
    const askHtml = await ask.text();
    expect(askHtml).toContain('<h1>Delete your data?</h1>');
    expect(await store().getSubscriberById(id)).not.toBeNull();
    expect((await client.post(`${prefs}/delete`, { confirm: 'yes' })).status).toBe(403);
    expect(await store().getSubscriberById(id)).not.toBeNull();

    const done = await client.post(`${prefs}/delete`, { csrf: csrfIn(askHtml, `${prefs}/delete`), confirm: 'yes' });
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain('<h1>Your data is deleted</h1>');
    expect(html).toMatch(/Erased:/);
    expect(html).not.toContain('forgetme@example.org');
    expect(await store().getSubscriberById(id)).toBeNull();
    expect(await store().getSubscriberByEmail('forgetme@example.org')).toBeNull();
    expect(await store().signalsOf(id)).toEqual({ ratings: [], follows: [] });
    expect((await client.get(prefs)).status).toBe(404);
  });
});
