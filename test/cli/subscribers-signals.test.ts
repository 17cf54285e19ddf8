/**
 * The reader-signal commands as an operator runs them (issue #20): `paperpost feedback`,
 * `subscribers follow|unfollow|mute`, `subscribers show --json`, `subscribers forget`, and an
 * export with ratings and follows imported into another list and copied by `db copy`. Bad
 * input exits 2 with one line. The frozen issue the papers come from is written through the
 * store, as a send freezes one.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';
import { runCli } from '../helpers/run-cli.js';

const SECRET = 'cli-test-secret-0123456789abcdef';

/** A scratch directory with a database holding one frozen issue, and the environment to use it. */
async function setUp() {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-signals-'));
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'pp.db')}`, SECRET_KEY: SECRET };
  const store = createSqliteStore(new Database(path.join(dir, 'pp.db')));
  const papers = [
    { id: '2512.00001', title: 'Faster Speculative Decoding', abstract: 'We draft and verify tokens.', authors: ['Tri Dao', 'Ada Lovelace'], keywords: ['speculative decoding'] },
    { id: '2512.00002', title: 'Another Attention Kernel', abstract: 'Kernels.', authors: ['Trí Dao'], keywords: ['attention'] },
  ].map((p) => ({ ...p, summary: null, authorCount: p.authors.length, publishedAt: null, upvotes: 3, url: null, codeUrl: null }));
  await store.freezeIssue('2026-01-05', JSON.stringify({ id: '2026-01-05', themes: [{ id: 'llm', label: 'LLM', keywords: [], other: false, papers }] }));
  await store.recordIssuePapers(papers.map((p) => ({ issueId: '2026-01-05', paperId: p.id, title: p.title, url: null, upvotes: 3, themeLabel: 'LLM', themeId: 'llm', keywords: p.keywords, abstract: p.abstract })));
  await store.close();
  const cli = (args: string[]) => runCli(args, { cwd: dir, env });
  return { dir, env, cli };
}

const lines = (s: string) => s.trim().split('\n').filter(Boolean);

describe('paperpost feedback and subscribers follow|unfollow|mute|show|forget', () => {
  it('records ratings and follows, refuses bad input with one line, and shows what is kept', async () => {
    const { cli } = await setUp();
    expect(cli(['subscribers', 'add', 'Ada@Example.org', '--name', 'Ada Byron']).code).toBe(0);

    const rated = cli(['feedback', 'ada@example.org', '2512.00001', 'more']);
    expect(rated.code, rated.stderr).toBe(0);
    expect(rated.stdout).toMatch(/recorded more like 2512\.00001 \(Faster Speculative Decoding\)/);
    expect(cli(['feedback', 'ada@example.org', '2512.00001', 'more']).stdout).toMatch(/had already said more like 2512\.00001 \(Faster Speculative Decoding\): nothing changed/);
    expect(cli(['feedback', 'ada@example.org', '2512.00001', 'less']).stdout).toMatch(/changed less like 2512\.00001/);

    for (const [args, message] of [
      [['feedback', 'ada@example.org', '2512.99999', 'more'], /^error: no sent issue carried the paper "2512\.99999"/],
      [['feedback', 'nobody@example.org', '2512.00001', 'more'], /^error: nobody@example\.org: no such subscriber/],
      [['feedback', 'ada@example.org', '2512.00001', 'maybe'], /^error: feedback: the choice is "more" or "less", not "maybe"/],
      [['subscribers', 'follow', 'ada@example.org'], /^error: subscribers follow: give exactly one of --author/],
      [['subscribers', 'follow', 'ada@example.org', '--author', 'A', '--phrase', 'b'], /^error: subscribers follow: give exactly one of --author/],
      [['subscribers', 'mute', 'ada@example.org', '--author', 'Tri Dao'], /^error: subscribers mute: only a phrase can be muted/],
      [['subscribers', 'follow', 'ada@example.org', '--phrase', 'x'.repeat(101)], /^error: a follow is at most 100 characters/],
      [['subscribers', 'follow', 'nobody@example.org', '--phrase', 'agents'], /^error: nobody@example\.org: no such subscriber/],
      [['subscribers', 'forget', 'nobody@example.org'], /^error: nobody@example\.org: no such subscriber/],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(lines(r.stderr), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }

    // Two spellings of one normalised name in the recent issue: the follow is stored, and said to be ambiguous.
    const author = cli(['subscribers', 'follow', 'ada@example.org', '--author', 'tri dao']);
    expect(author.code).toBe(0);
    expect(author.stdout).toMatch(/now follows author "tri dao"/);
    expect(author.stderr).toMatch(/^note: the name is ambiguous: recent issues have 2 authors named "tri dao" once normalised \(Tri Dao; Trí Dao\)/);
    const plain = cli(['subscribers', 'follow', 'ada@example.org', '--author', 'Ada Lovelace']);
    expect(plain.stderr).toBe('');
    expect(cli(['subscribers', 'follow', 'ada@example.org', '--phrase', 'Speculative  Decoding']).stdout).toMatch(/now follows phrase "Speculative Decoding"/);
    expect(cli(['subscribers', 'follow', 'ada@example.org', '--phrase', 'speculative decoding']).stdout).toMatch(/already follows/);
    expect(cli(['subscribers', 'mute', 'ada@example.org', '--phrase', 'diffusion']).stdout).toMatch(/now mutes phrase "diffusion"/);

    const shown = cli(['subscribers', 'show', 'ada@example.org', '--json']);
    expect(shown.code).toBe(0);
    const data = JSON.parse(shown.stdout);
    expect(data.subscriber).toMatchObject({ email: 'Ada@example.org', name: 'Ada Byron', status: 'active' });
    expect(data.ratings).toEqual([expect.objectContaining({ paperId: '2512.00001', choice: 'less', authors: ['Tri Dao', 'Ada Lovelace'], title: 'Faster Speculative Decoding' })]);
    expect(data.follows.map((f: { kind: string; value: string }) => `${f.kind}:${f.value}`)).toEqual(['author:tri dao', 'author:Ada Lovelace', 'phrase:Speculative Decoding', 'mute:diffusion']);

    expect(cli(['subscribers', 'unfollow', 'ada@example.org', '--phrase', 'Diffusion']).stdout).toMatch(/no longer mutes phrase "Diffusion"/);
    expect(cli(['subscribers', 'unfollow', 'ada@example.org', '--phrase', 'diffusion']).stdout).toMatch(/did not follow or mute phrase "diffusion": nothing changed/);
    const text = cli(['subscribers', 'show', 'ada@example.org']);
    expect(text.stdout).toMatch(/^rated less like 2512\.00001\tFaster Speculative Decoding/m);
    expect(text.stdout).not.toMatch(/diffusion/);
  }, 600_000);

  it('refuses the readers the pages refuse: ratings from anyone not active, follows of an address that bounced or complained', async () => {
    const { dir, cli } = await setUp();
    writeFileSync(path.join(dir, 'statuses.csv'), 'email,status\nun@example.org,unsubscribed\nbo@example.org,bounced\nco@example.org,complained\npe@example.org,pending\nac@example.org,active\n');
    expect(cli(['subscribers', 'import', 'statuses.csv']).code).toBe(0);
    for (const [email, message] of [
      ['un@example.org', /^error: un@example\.org is unsubscribed, so ratings are not recorded for it/],
      ['bo@example.org', /^error: bo@example\.org is bounced, so ratings are not recorded for it/],
      ['co@example.org', /^error: co@example\.org is complained, so ratings are not recorded for it/],
      ['pe@example.org', /^error: pe@example\.org has not confirmed their subscription, so ratings are not recorded for it/],
    ] as const) {
      const r = cli(['feedback', email, '2512.00001', 'more']);
      expect(r.code, email).toBe(2);
      expect(lines(r.stderr), email).toEqual([expect.stringMatching(message)]);
      expect(JSON.parse(cli(['subscribers', 'show', email, '--json']).stdout).ratings, email).toEqual([]);
    }
    expect(cli(['feedback', 'ac@example.org', '2512.00001', 'more']).code).toBe(0);

    // As the preferences page: an unsubscribed or pending reader may still manage follows; one that bounced or complained may not.
    for (const email of ['un@example.org', 'pe@example.org']) {
      expect(cli(['subscribers', 'follow', email, '--phrase', 'speculative decoding']).stdout, email).toMatch(/now follows phrase "speculative decoding"/);
      expect(cli(['subscribers', 'mute', email, '--phrase', 'diffusion']).code, email).toBe(0);
      expect(cli(['subscribers', 'unfollow', email, '--phrase', 'diffusion']).code, email).toBe(0);
    }
    for (const email of ['bo@example.org', 'co@example.org']) {
      for (const args of [['follow', email, '--phrase', 'speculative decoding'], ['mute', email, '--phrase', 'diffusion'], ['unfollow', email, '--author', 'Tri Dao']]) {
        const r = cli(['subscribers', ...args]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(lines(r.stderr), args.join(' ')).toEqual([expect.stringMatching(new RegExp(`^error: subscribers ${args[0]}: ${email.replace('.', '\\.')} is (bounced|complained), so their follows and mutes cannot be changed`))]);
      }
      expect(JSON.parse(cli(['subscribers', 'show', email, '--json']).stdout).follows, email).toEqual([]);
    }
  }, 600_000);

  it('keeps a phrase followed or muted, never both, and says when one replaces the other', async () => {
    const { cli } = await setUp();
    expect(cli(['subscribers', 'add', 'alice@example.org']).code).toBe(0);
    expect(cli(['subscribers', 'follow', 'alice@example.org', '--phrase', 'diffusion']).stdout).toMatch(/^alice@example\.org now follows phrase "diffusion"\n$/);
    const muted = cli(['subscribers', 'mute', 'alice@example.org', '--phrase', 'diffusion']);
    expect(muted.code).toBe(0);
    expect(muted.stdout).toMatch(/^alice@example\.org now mutes phrase "diffusion": it was followed; now muted\n$/);
    const follows = () => JSON.parse(cli(['subscribers', 'show', 'alice@example.org', '--json']).stdout).follows.map((f: { kind: string; value: string }) => `${f.kind}:${f.value}`);
    expect(follows()).toEqual(['mute:diffusion']);
    expect(cli(['subscribers', 'follow', 'alice@example.org', '--phrase', 'Diffusion']).stdout).toMatch(/^alice@example\.org now follows phrase "Diffusion": it was muted; now followed\n$/);
    expect(follows()).toEqual(['phrase:Diffusion']);
  }, 600_000);

  it('refuses a phrase of stop words only and an author named by initials only, with one line', async () => {
    const { cli } = await setUp();
    expect(cli(['subscribers', 'add', 'alice@example.org']).code).toBe(0);
    for (const [args, message] of [
      [['follow', '--phrase', 'a'], /^error: the phrase "a" has only stop words/],
      [['follow', '--phrase', 'the'], /^error: the phrase "the" has only stop words/],
      [['follow', '--phrase', 'Of  the'], /^error: the phrase "Of the" has only stop words/],
      [['mute', '--phrase', 'and the'], /^error: the phrase "and the" has only stop words/],
      [['follow', '--author', 'T.'], /^error: the author "T\." has no name of two letters or more besides initials/],
      [['follow', '--author', 'J. R.'], /^error: the author "J\. R\." has no name/],
      [['mute', '--phrase', ' ,; '], /^error: the phrase ",;" has no letters or digits to mute/],
    ] as const) {
      const r = cli(['subscribers', args[0], 'alice@example.org', ...args.slice(1)]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(lines(r.stderr), args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
    expect(JSON.parse(cli(['subscribers', 'show', 'alice@example.org', '--json']).stdout).follows).toEqual([]);
    // A stop word inside a phrase with a real word, a short surname, initials with a name: all fine.
    for (const args of [['follow', '--phrase', 'the bitter lesson'], ['follow', '--phrase', 'world model'], ['follow', '--author', 'T. Li'], ['follow', '--author', 'Yu'], ['mute', '--phrase', 'GPT-4']]) {
      const r = cli(['subscribers', args[0]!, 'alice@example.org', ...args.slice(1)]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 600_000);

  it('refuses an import whose signals cell the store would take only in part, naming the row; --skip-invalid skips that row whole', async () => {
    const { dir, cli } = await setUp();
    const at = '2026-01-05T08:00:00.000Z';
    const cell = (follows: { kind: string; value: string }[], ratings: unknown[] = []) => `"${JSON.stringify({ ratings, follows: follows.map((f) => ({ ...f, createdAt: at })) }).replace(/"/g, '""')}"`;
    const many = Array.from({ length: 150 }, (_, i) => ({ kind: 'phrase', value: `topic number ${i}` }));
    const rating = (abstract: string) => ({ paperId: '2512.00001', title: 'T', abstract, authors: [], keywords: [], choice: 'more', ratedAt: at });
    const file = path.join(dir, 'signals.csv');
    writeFileSync(
      file,
      [
        'email,signals',
        `ok@example.org,${cell([{ kind: 'phrase', value: 'speculative decoding' }])}`,
        `many@example.org,${cell(many)}`,
        `long@example.org,${cell([{ kind: 'phrase', value: 'x'.repeat(10_000) }])}`,
        `stop@example.org,${cell([{ kind: 'phrase', value: 'the' }])}`,
        `text@example.org,${cell([], [rating('y'.repeat(5000))])}`,
        '',
      ].join('\n'),
    );
    const refused = cli(['subscribers', 'import', 'signals.csv']);
    expect(refused.code).toBe(2);
    const errors = lines(refused.stderr);
    expect(errors).toEqual([
      expect.stringMatching(/^rejected signals\.csv:3: signals: 150 follows and mutes; a reader has at most 100$/),
      expect.stringMatching(/^rejected signals\.csv:4: signals: phrase "x{60}…": a follow is at most 100 characters \(got 10000\)$/),
      expect.stringMatching(/^rejected signals\.csv:5: signals: phrase "the": the phrase "the" has only stop words/),
      expect.stringMatching(/^rejected signals\.csv:6: signals: rating "2512\.00001": the rated paper's abstract is 5000 characters; at most 4000 are kept$/),
      expect.stringMatching(/^error: signals\.csv: 4 row\(s\) rejected; nothing was imported/),
    ]);
    expect(cli(['subscribers', 'list', '--json']).stdout.trim()).toBe('[]');

    const skipped = cli(['subscribers', 'import', 'signals.csv', '--skip-invalid']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/^imported signals\.csv: 1 added, 0 updated, 0 unchanged, 0 kept out, 4 rejected; 0 ratings and 1 follow recorded\n$/);
    expect(skipped.stderr).not.toMatch(/signals not imported/);
    expect((JSON.parse(cli(['subscribers', 'list', '--json']).stdout) as { email: string }[]).map((x) => x.email)).toEqual(['ok@example.org']);
  }, 600_000);

  it('echoes at most 80 characters of an argument in an error line', async () => {
    const { cli } = await setUp();
    expect(cli(['subscribers', 'add', 'zed@example.org']).code).toBe(0);
    const huge = 'x'.repeat(10_000);
    const nobody = `${'n'.repeat(9_000)}@example.org`;
    for (const [args, message] of [
      [['feedback', 'zed@example.org', huge, 'more'], new RegExp(`^error: no sent issue carried the paper "x{79}…" — `)],
      [['feedback', 'zed@example.org', '2512.00001', huge], new RegExp(`^error: feedback: the choice is "more" or "less", not "x{79}…" — `)],
      [['feedback', nobody, '2512.00001', 'more'], new RegExp(`^error: n{79}…: no such subscriber — `)],
      [['subscribers', 'follow', nobody, '--phrase', 'agents'], new RegExp(`^error: n{79}…: no such subscriber — `)],
      [['subscribers', 'show', nobody], new RegExp(`^error: n{79}…: no such subscriber — `)],
      [['subscribers', 'remove', nobody], new RegExp(`^error: n{79}…: no such subscriber — `)],
      [['subscribers', 'add', 'zed@example.org', '--topics', huge], new RegExp(`^error: --topics: no topic is called "x{79}…" — `)],
    ] as const) {
      const r = cli([...args]);
      expect(r.code, args[0]).toBe(2);
      expect(lines(r.stderr), args[0]).toEqual([expect.stringMatching(message)]);
      expect(r.stderr.length, args[0]).toBeLessThan(400);
    }
    const unfollow = cli(['subscribers', 'unfollow', 'zed@example.org', '--phrase', huge]);
    expect(unfollow.stdout).toMatch(/^zed@example\.org did not follow or mute phrase "x{99}…": nothing changed\n$/);
  }, 600_000);

  it('carries ratings and follows through export and import, and db copy; forgets a reader for good', async () => {
    const { dir, cli } = await setUp();
    cli(['subscribers', 'add', 'ada@example.org', '--name', 'Ada']);
    cli(['subscribers', 'add', 'bob@example.org']);
    cli(['feedback', 'ada@example.org', '2512.00001', 'more']);
    cli(['feedback', 'ada@example.org', '2512.00002', 'less']);
    cli(['subscribers', 'follow', 'ada@example.org', '--phrase', 'speculative decoding']);
    cli(['subscribers', 'mute', 'bob@example.org', '--phrase', 'diffusion']);
    const before = JSON.parse(cli(['subscribers', 'show', 'ada@example.org', '--json']).stdout);

    const exported = cli(['subscribers', 'export']);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\n')[0]).toBe('email,name,themes,status,created_at,confirmed_at,unsubscribed_at,signals');
    writeFileSync(path.join(dir, 'export.csv'), exported.stdout);

    // Into another list: the same ratings and follows, at their times.
    const other = mkdtempSync(path.join(tmpdir(), 'pp-signals-other-'));
    const there = (args: string[]) => runCli(args, { cwd: other, env: { DATABASE_URL: `sqlite:${path.join(other, 'pp.db')}`, SECRET_KEY: SECRET } });
    const imported = there(['subscribers', 'import', path.join(dir, 'export.csv')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/2 added, 0 updated, 0 unchanged, 0 kept out, 0 rejected; 2 ratings and 2 follows recorded/);
    const after = JSON.parse(there(['subscribers', 'show', 'ada@example.org', '--json']).stdout);
    expect(after.ratings).toEqual(before.ratings);
    expect(after.follows).toEqual(before.follows);
    // Importing it again records nothing twice.
    expect(there(['subscribers', 'import', path.join(dir, 'export.csv')]).stdout).toMatch(/0 ratings and 0 follows recorded/);
    // An export from before signals (no such column) imports as it always did.
    writeFileSync(path.join(other, 'old.csv'), 'email,name,themes,status,created_at,confirmed_at,unsubscribed_at\ncy@example.org,Cy,,active,2025-01-01T00:00:00.000Z,,\n');
    expect(there(['subscribers', 'import', 'old.csv']).stdout).toMatch(/^imported old\.csv: 1 added, 0 updated, 0 unchanged, 0 kept out, 0 rejected\n$/);
    // A bad signals cell rejects its row like any bad cell.
    writeFileSync(path.join(other, 'bad.csv'), 'email,signals\ndee@example.org,{not json\n');
    const bad = there(['subscribers', 'import', 'bad.csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/rejected bad\.csv:2: signals is not JSON/);

    // db copy carries them too.
    const copied = cli(['db', 'copy', `sqlite:${path.join(dir, 'pp.db')}`, `sqlite:${path.join(dir, 'copy.db')}`]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/2 rated papers, 2 ratings, 2 follows; every count matches/);

    // Forget: gone, and an import of the old export or an operator's add cannot bring them back.
    const forgot = cli(['subscribers', 'forget', 'ada@example.org']);
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toMatch(/^forgot ada@example\.org: nothing of theirs is kept but a keyed hash/);
    expect(cli(['subscribers', 'show', 'ada@example.org']).code).toBe(2);
    const again = cli(['subscribers', 'import', 'export.csv']);
    expect(again.stdout).toMatch(/0 added, 0 updated, 1 unchanged, 1 kept out/);
    expect(again.stderr).toMatch(/kept out export\.csv:2: ada@example\.org is forgotten at their request/);
    const add = cli(['subscribers', 'add', 'ada@example.org']);
    expect(add.code).toBe(2);
    expect(lines(add.stderr)).toEqual([expect.stringMatching(/^error: ada@example\.org was forgotten at its owner's request; it cannot be added again/)]);
    const list = cli(['suppress', 'list']);
    expect(list.stdout).not.toMatch(/ada/i);
    expect(list.stdout).toMatch(/forgotten:[0-9a-f]{64}/);
  }, 600_000);
});
