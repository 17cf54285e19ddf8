/**
 * Plans in a send (issue #20): issue/plan-readers.ts reads the signals of a whole batch of
 * readers in one call of the real store (SQLite), plans each over the day indexed once, and
 * gives a reader who said nothing EMPTY_PLAN. The plan then decides the copy: the reader's
 * picks at the top with their reasons, and `render --json`'s description agrees.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeReaderCopy } from '../../src/issue/describe-reader-copy.js';
import { createReaderPlanner, planOne } from '../../src/issue/plan-readers.js';
import { EMPTY_PLAN } from '../../src/picks/reader-plan.js';
import { followKey } from '../../src/picks/reader-signals.js';
import { compileIssue, type CompiledIssue } from '../../src/render/compile-issue.js';
import { copyRecipient } from '../../src/render/copy-recipient.js';
import { personalizeIssue } from '../../src/render/personalize-issue.js';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type { Subscriber } from '../../src/types.js';
import { loadThemedFixture, TEMPLATES_DIR } from '../render/support/load-themed-fixture.js';

const publicUrl = 'https://news.example.org';
let compiled: CompiledIssue;
let store: Store;
let subs: Subscriber[];

beforeAll(async () => {
  compiled = await compileIssue(loadThemedFixture('themed-2025-12-11.json'), { templatesDir: TEMPLATES_DIR, publicUrl, maxPapers: 30 });
  store = createSqliteStore(new Database(':memory:'));
  subs = [];
  for (const email of ['ada@example.org', 'bob@example.org', 'cy@example.org']) subs.push((await store.upsertSubscriber({ email, status: 'active' })).subscriber);
  const at = new Date('2025-12-10T00:00:00Z');
  await store.addFollow(subs[0]!.id, { kind: 'phrase', key: followKey('phrase', 'knowledge distillation'), value: 'knowledge distillation' }, at);
  await store.addFollow(subs[1]!.id, { kind: 'phrase', key: followKey('phrase', 'KV cache'), value: 'KV cache' }, at);
  await store.addFollow(subs[1]!.id, { kind: 'mute', key: followKey('mute', 'quantization'), value: 'quantization' }, at);
});

describe('the readers of a send, planned a batch at a time', () => {
  it('reads the signals of the whole batch in one call and plans each reader from their own', async () => {
    let reads = 0;
    const planner = createReaderPlanner(compiled, { config: { picks: 5 }, readerSignals: () => ({ signalsOfMany: (ids) => (reads++, store.signalsOfMany(ids)) }) });
    await planner.planBatch(subs);
    expect(reads).toBe(1);
    const [ada, bob, cy] = subs.map((s) => planner.planOf(s));
    expect(ada!.picks.length).toBeGreaterThan(0);
    for (const p of ada!.picks) expect(p.reason).toBe('you follow "knowledge distillation"');
    expect(bob!.picks.map((p) => p.reason)).toContain('you follow "KV cache"');
    // A muted phrase is never picked.
    const titles = new Map(compiled.themes.flatMap((t) => t.papers.map((p) => [p.id, p.title])));
    for (const p of bob!.picks) expect(titles.get(p.paperId)).not.toMatch(/quantiz/i);
    expect(cy).toBe(EMPTY_PLAN);
    // A reader of no batch yet: none.
    expect(planner.planOf({ id: 999, themes: null })).toBe(EMPTY_PLAN);
  });

  it("puts the plan in the reader's copy, and describes it as render --json and /admin do", async () => {
    const ada = subs[0]!;
    const plan = await planOne(compiled, { config: { picks: 5 }, readerSignals: () => store }, ada);
    const copy = personalizeIssue(compiled, copyRecipient({ publicUrl, secretKey: 'test-secret-key-0123456789abcdef' }, compiled, { ...ada, plan }))!;
    expect(copy.html).toContain('Picked for you');
    expect(copy.text).toContain('PICKED FOR YOU');
    const described = describeReaderCopy(compiled, ada.themes, plan);
    expect(described.picks.map((p) => p.paperId)).toEqual(plan.picks.map((p) => p.paperId));
    expect(described.picks[0]).toMatchObject({ reason: 'you follow "knowledge distillation"', title: expect.stringMatching(/distill/i) });
    const picked = new Set(described.picks.map((p) => p.paperId));
    const inSections = described.sections!.flatMap((s) => s.paperIds);
    expect(inSections.filter((id) => picked.has(id))).toEqual([]);
    expect(picked.size + inSections.length).toBeLessThanOrEqual(30);
    // Without picks (PICKS=0) nothing is read and the copy is the day's.
    let reads = 0;
    const none = await planOne(compiled, { config: { picks: 0 }, readerSignals: () => ({ signalsOfMany: (ids) => (reads++, store.signalsOfMany(ids)) }) }, ada);
    expect(none).toBe(EMPTY_PLAN);
    expect(reads).toBe(0);
  });
});
