/**
 * ReaderSignals (issue #20) on both stores: ratings are idempotent, a changed choice replaces
 * the first, undo removes one; follows are unique per kind and key; the limits hold at the
 * store; a reader's signals go with the reader; a batch of 1,000 readers is read in a few
 * queries; and a rating finds its paper's text in the frozen issues.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReaderGoneError } from '../../src/errors.js';
import { followKey, MAX_FOLLOWS, MAX_RATED_TEXT, MAX_RATINGS, type RatedPaper } from '../../src/picks/reader-signals.js';
import type { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, type OpenStore } from './store-backends.js';

const paper = (id: string, extra: Partial<RatedPaper> = {}): RatedPaper => ({
  paperId: id,
  title: `Paper ${id}`,
  abstract: `We study ${id}.`,
  authors: ['Tri Dao', 'Ada Lovelace'],
  keywords: ['speculative decoding'],
  ...extra,
});
const at = (s: number) => new Date(Date.parse('2026-02-01T08:00:00Z') + s * 1000);
const follow = (kind: 'author' | 'phrase' | 'mute', value: string) => ({ kind, value, key: followKey(kind, value) });

describe.each(STORE_BACKENDS)('$name reader signals', (backend) => {
  let open: OpenStore;
  let store: Store;

  beforeAll(() => backend.setUp());
  afterAll(() => backend.tearDown());
  beforeEach(async () => {
    open = await backend.fresh();
    store = open(() => new Date('2026-02-01T07:00:00Z'));
  });
  afterEach(() => backend.closeAll());

  const reader = async (email = 'ada@example.org') => (await store.upsertSubscriber({ email })).subscriber.id;

  it('records a rating once, replaces it when the choice changes, and removes it on undo', async () => {
    const id = await reader();
    expect(await store.recordRating(id, paper('2512.00001'), 'more', at(1))).toBe('recorded');
    expect(await store.recordRating(id, paper('2512.00001'), 'more', at(2))).toBe('unchanged');
    let s = await store.signalsOf(id);
    expect(s.ratings).toEqual([{ ...paper('2512.00001'), choice: 'more', ratedAt: at(1).toISOString() }]);
    expect(await store.recordRating(id, paper('2512.00001'), 'less', at(3))).toBe('changed');
    s = await store.signalsOf(id);
    expect(s.ratings).toHaveLength(1);
    expect(s.ratings[0]).toMatchObject({ choice: 'less', ratedAt: at(3).toISOString() });
    expect(await store.removeRating(id, '2512.00001')).toBe(true);
    expect(await store.removeRating(id, '2512.00001')).toBe(false);
    expect((await store.signalsOf(id)).ratings).toEqual([]);
  });

  it('keeps a rated paper once however many readers rate it, and drops its text when no rating needs it', async () => {
    const a = await reader('a@example.org');
    const b = await store.upsertSubscriber({ email: 'b@example.org' }).then((r) => r.subscriber.id);
    await store.recordRating(a, paper('p1'), 'more', at(1));
    await store.recordRating(b, paper('p1'), 'less', at(2));
    expect(await store.countRows('rated_papers')).toBe(1);
    expect(await store.countRows('ratings')).toBe(2);
    await store.removeRating(a, 'p1');
    expect(await store.countRows('rated_papers')).toBe(1);
    await store.clearSignals(b);
    expect(await store.countRows('rated_papers')).toBe(0);
  });

  it('lists ratings newest first and keeps at most MAX_RATINGS, dropping the oldest', async () => {
    const id = await reader();
    for (let i = 0; i < MAX_RATINGS + 3; i++) await store.recordRating(id, paper(`p${i}`), i % 2 ? 'less' : 'more', at(i));
    const { ratings } = await store.signalsOf(id);
    expect(ratings).toHaveLength(MAX_RATINGS);
    expect(ratings[0]!.paperId).toBe(`p${MAX_RATINGS + 2}`);
    expect(ratings.at(-1)!.paperId).toBe('p3');
    expect(await store.countRows('rated_papers')).toBe(MAX_RATINGS);
  });

  it('adds a follow once, by its key, in the order added, and removes it', async () => {
    const id = await reader();
    expect(await store.addFollow(id, follow('author', 'Tri Dao'), at(1))).toBe(true);
    expect(await store.addFollow(id, follow('author', 'tri  dao'), at(2))).toBe(false);
    expect(await store.addFollow(id, follow('author', 'Trí Dao'), at(3))).toBe(false);
    expect(await store.addFollow(id, follow('phrase', 'speculative decoding'), at(4))).toBe(true);
    expect(await store.addFollow(id, follow('mute', 'video diffusion'), at(5))).toBe(true);
    const { follows } = await store.signalsOf(id);
    expect(follows).toEqual([
      { kind: 'author', value: 'Tri Dao', key: 'tri dao', createdAt: at(1).toISOString() },
      { kind: 'phrase', value: 'speculative decoding', key: 'speculative decoding', createdAt: at(4).toISOString() },
      { kind: 'mute', value: 'video diffusion', key: 'video diffusion', createdAt: at(5).toISOString() },
    ]);
    expect(await store.removeFollow(id, 'phrase', 'speculative decoding')).toBe(true);
    expect(await store.removeFollow(id, 'phrase', 'speculative decoding')).toBe(false);
    expect((await store.signalsOf(id)).follows.map((f) => f.kind)).toEqual(['author', 'mute']);
  });

  it('keeps a phrase followed or muted, never both: the later replaces the other', async () => {
    const id = await reader();
    expect(await store.addFollow(id, follow('phrase', 'diffusion'), at(1))).toBe(true);
    expect(await store.addFollow(id, follow('mute', 'Diffusion'), at(2))).toBe('replaced');
    expect((await store.signalsOf(id)).follows).toEqual([{ kind: 'mute', value: 'Diffusion', key: 'diffusion', createdAt: at(2).toISOString() }]);
    expect(await store.addFollow(id, follow('mute', 'diffusion'), at(3))).toBe(false);
    expect(await store.addFollow(id, follow('phrase', 'diffusion'), at(4))).toBe('replaced');
    expect((await store.signalsOf(id)).follows.map((f) => `${f.kind}:${f.key}`)).toEqual(['phrase:diffusion']);
    // An author of the same words is a different follow.
    expect(await store.addFollow(id, follow('author', 'Diffusion'), at(5))).toBe(true);
    // At the limit, the replacement still goes through (one out, one in); a refusal keeps the follow.
    for (let i = 0; i < MAX_FOLLOWS - 2; i++) await store.addFollow(id, follow('phrase', `phrase ${i}`), at(10 + i));
    expect(await store.addFollow(id, follow('mute', 'diffusion'), at(200))).toBe('replaced');
    expect((await store.signalsOf(id)).follows).toHaveLength(MAX_FOLLOWS);
  });

  it('refuses a phrase or mute of stop words only, and an author by initials alone, as bad input', async () => {
    const id = await reader();
    for (const [kind, value] of [['phrase', 'a'], ['phrase', 'the'], ['mute', 'of the'], ['phrase', 'with'], ['author', 'T.'], ['author', 'J. R.']] as const) {
      await expect(store.addFollow(id, follow(kind, value), at(1)), value).rejects.toMatchObject({ code: 'INPUT', exitCode: 2 });
    }
    expect((await store.signalsOf(id)).follows).toEqual([]);
    // ML filler for the topic map, yet an interest of its own: kept.
    for (const [kind, value] of [['phrase', 'the bitter lesson'], ['mute', 'world model'], ['phrase', 'benchmark'], ['author', 'T. Li'], ['author', 'Yu']] as const) {
      expect(await store.addFollow(id, follow(kind, value), at(2)), value).toBe(true);
    }
  });

  it('refuses what is over the limits as bad input, and keeps nothing of it', async () => {
    const id = await reader();
    await expect(store.recordRating(id, paper('p', { abstract: 'x'.repeat(MAX_RATED_TEXT + 1) }), 'more', at(1))).rejects.toMatchObject({ code: 'INPUT', exitCode: 2 });
    await expect(store.recordRating(id, paper('p', { title: 'x'.repeat(MAX_RATED_TEXT + 1) }), 'more', at(1))).rejects.toMatchObject({ code: 'INPUT' });
    await expect(store.recordRating(id, paper('p', { authors: Array(2000).fill('Ada L') }), 'more', at(1))).rejects.toMatchObject({ code: 'INPUT' });
    await expect(store.recordRating(id, paper(''), 'more', at(1))).rejects.toMatchObject({ code: 'INPUT' });
    await expect(store.recordRating(id, paper('p'), 'maybe' as 'more', at(1))).rejects.toMatchObject({ code: 'INPUT' });
    await expect(store.addFollow(id, follow('phrase', 'x'.repeat(101)), at(1))).rejects.toMatchObject({ code: 'INPUT' });
    await expect(store.addFollow(id, follow('phrase', '!!!'), at(1))).rejects.toMatchObject({ code: 'INPUT' });
    expect(await store.recordRating(id, paper('p', { abstract: 'x'.repeat(MAX_RATED_TEXT) }), 'more', at(1))).toBe('recorded');
    for (let i = 0; i < MAX_FOLLOWS; i++) expect(await store.addFollow(id, follow('phrase', `phrase ${i}`), at(i))).toBe(true);
    await expect(store.addFollow(id, follow('author', 'One Too Many'), at(200))).rejects.toMatchObject({ code: 'INPUT', message: expect.stringContaining(`${MAX_FOLLOWS}`) });
    // Following again what is there already is no error at the limit.
    expect(await store.addFollow(id, follow('phrase', 'phrase 0'), at(201))).toBe(false);
    const s = await store.signalsOf(id);
    expect(s.follows).toHaveLength(MAX_FOLLOWS);
    expect(s.ratings.map((r) => r.paperId)).toEqual(['p']);
  });

  it("resets a reader's signals, and leaves other readers' alone", async () => {
    const a = await reader('a@example.org');
    const b = await reader('b@example.org');
    for (const id of [a, b]) {
      await store.recordRating(id, paper('p1'), 'more', at(1));
      await store.addFollow(id, follow('author', 'Tri Dao'), at(1));
    }
    await store.clearSignals(a);
    expect(await store.signalsOf(a)).toEqual({ ratings: [], follows: [] });
    expect((await store.signalsOf(b)).ratings).toHaveLength(1);
    expect((await store.signalsOf(b)).follows).toHaveLength(1);
  });

  it("reads the signals of 1,000 readers at once; those with none are absent", async () => {
    const r = await store.importSubscribers(Array.from({ length: 1000 }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org` } })));
    expect(r.added).toBe(1000);
    const ids: number[] = [];
    for await (const s of store.listSubscribers()) ids.push(s.id);
    for (const [i, id] of ids.entries()) {
      if (i % 3 === 0) await store.recordRating(id, paper(`p${i % 7}`), 'more', at(i));
      if (i % 5 === 0) await store.addFollow(id, follow('phrase', `topic ${i % 4}`), at(i));
    }
    const started = performance.now();
    const many = await store.signalsOfMany(ids);
    const ms = performance.now() - started;
    expect(many.size).toBe(ids.filter((_, i) => i % 3 === 0 || i % 5 === 0).length);
    expect(many.has(ids[1]!)).toBe(false);
    expect(many.get(ids[15]!)).toEqual({
      ratings: [{ ...paper('p1'), choice: 'more', ratedAt: at(15).toISOString() }],
      follows: [{ kind: 'phrase', value: 'topic 3', key: 'topic 3', createdAt: at(15).toISOString() }],
    });
    expect(many.get(ids[10]!)!.ratings).toEqual([]);
    // A few queries, not one per reader: far under a millisecond per reader even on a loaded machine.
    expect(ms).toBeLessThan(1000);
    expect(await store.signalsOfMany([])).toEqual(new Map());
  });

  it('finds a paper of a frozen issue with its authors, the newest issue first', async () => {
    const compiled = (title: string) =>
      JSON.stringify({
        id: 'x',
        themes: [{ id: 't', label: 'T', keywords: [], other: false, papers: [{ id: '2512.00001', title, abstract: 'A '.repeat(3000), authors: ['Tri Dao', 'Ada Lovelace'], keywords: ['kw'], url: `https://huggingface.co/papers/${title.length}` }] }],
      });
    for (const [issueId, title] of [['2026-01-01', 'Old title'], ['2026-01-02', 'New title']] as const) {
      await store.freezeIssue(issueId, compiled(title));
      await store.recordIssuePapers([{ issueId, paperId: '2512.00001', title, url: null, upvotes: 1, themeLabel: 'T', themeId: 't', keywords: ['kw'], abstract: 'short' }]);
    }
    const found = await store.findIssuePaper('2512.00001');
    expect(found).toMatchObject({ paperId: '2512.00001', title: 'New title', authors: ['Tri Dao', 'Ada Lovelace'], keywords: ['kw'] });
    // The issue's own link for the paper, for the feedback page's title link (a slug id has no other).
    expect(found!.url).toBe('https://huggingface.co/papers/9');
    expect(found!.abstract.length).toBe(MAX_RATED_TEXT);
    expect(await store.findIssuePaper('2512.99999')).toBeNull();
    // What it finds is what a rating keeps.
    const id = await reader();
    expect(await store.recordRating(id, found!, 'more', at(1))).toBe('recorded');
  });

  it('refuses a rating or a follow for a reader erased meanwhile (ReaderGoneError, not a foreign-key failure), and keeps nothing', async () => {
    store = open(() => new Date('2026-02-01T07:00:00Z'), { secretKey: 'reader-signals-test-secret-0123456789' });
    const id = await reader();
    const other = await reader('bob@example.org');
    expect(await store.recordRating(other, paper('2512.00009'), 'more', at(1))).toBe('recorded');
    expect(await store.forgetSubscriber(id)).toBe(true);
    await expect(store.recordRating(id, paper('2512.00001'), 'more', at(2))).rejects.toBeInstanceOf(ReaderGoneError);
    await expect(store.addFollow(id, follow('author', 'Tri Dao'), at(3))).rejects.toBeInstanceOf(ReaderGoneError);
    expect(await store.signalsOf(id)).toEqual({ ratings: [], follows: [] });
    // The other reader's rating stands.
    expect((await store.signalsOf(other)).ratings.map((r) => r.paperId)).toEqual(['2512.00009']);
  });
});
