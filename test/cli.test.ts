import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { ROOT, runCli } from './helpers/run-cli.js';

/** A scratch copy of what a fresh clone has: content/ and templates/. */
function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-cli-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  return dir;
}

const oneLine = (s: string) => s.trim().split('\n').filter((l) => !l.startsWith('warning:'));

/** Text of an HTML text node: the entities Handlebars and MJML write. */
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[e.toLowerCase()]!,
  );

describe('CLI contract', () => {
  it('prints help and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['digest', 'themes', 'render', 'send', 'run', 'subscribers']) expect(r.stdout).toContain(cmd);
    expect(runCli(['subscribers', 'import', '--help']).code).toBe(0);
  });

  it('exits 2 on an unknown command or option, without a stack trace', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(runCli(['digest', 'x', '--frob']).code).toBe(2);
    expect(runCli(['digest']).code).toBe(2);
    expect(runCli(['send', '--limit', 'zero']).code).toBe(2);
  });

  it('reports every configuration problem at once, one line each, and exits 2', () => {
    const r = runCli(['digest', 'content/digests', '--json'], { env: { TZ: 'Mars/Olympus', SMTP_POOL_SIZE: '0', PUBLIC_URL: 'not a url' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: 3 configuration problems:/);
    expect(r.stderr).toMatch(/^ {2}TZ must be an IANA time zone/m);
    expect(r.stderr).toMatch(/^ {2}SMTP_POOL_SIZE must be a whole number from 1 to 100/m);
    expect(r.stderr).toMatch(/^ {2}PUBLIC_URL must be an http\(s\) URL/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the file and exits 2 when a digest cannot be read', () => {
    const r = runCli(['digest', 'no/such/file.txt']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('no/such/file.txt');
  });

  it('prints the normalized sample digest as JSON', () => {
    const r = runCli(['digest', 'content/digests/hf-papers-2025-12-11.txt', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.date).toBe('2025-12-11');
    expect(d.papers).toHaveLength(39);
  });

  it.each(['content/digests/hf-papers-2025-12-11.txt', 'test/fixtures/digests/hf-api-2025-10-02.json'])(
    'gives each paper of %s the TL;DR its email card shows (digest --json)',
    async (source) => {
      const [{ compileIssue }, { personalizeIssue }, { previewReader, recipientFor }] = await Promise.all([
        import('../src/render/compile-issue.js'),
        import('../src/render/personalize-issue.js'),
        import('../src/subscribers/recipient.js'),
      ]);
      const r = runCli(['digest', source, '--json']);
      expect(r.code).toBe(0);
      const digest = JSON.parse(r.stdout) as { date: string; papers: { id: string; tldr: string; abstract: string }[] };
      expect(digest.papers.every((p) => typeof p.tldr === 'string')).toBe(true);
      expect(digest.papers.filter((p) => p.abstract !== '' && p.tldr === '')).toEqual([]);
      const papers = digest.papers.map(({ tldr: _tldr, ...paper }) => paper);
      const themed = { date: digest.date, source, themes: [{ id: 'all', label: 'All', keywords: [], other: false, papers }] };
      const compiled = await compileIssue(themed as never, { templatesDir: path.join(ROOT, 'templates'), publicUrl: 'https://paperpost.example.org' });
      const copy = personalizeIssue(compiled, recipientFor({ publicUrl: 'https://x.example', secretKey: 'test-secret' }, previewReader('a@example.org')))!;
      // Each card: the title's heading, then the TL;DR paragraph, in the HTML and the text part.
      const cards = [...copy.html.matchAll(/<h3[^>]*>[\s\S]*?<\/h3>\s*<p dir="auto"[^>]*>([^<]*)<\/p>/g)].map((m) => decodeEntities(m[1]!));
      expect(cards).toEqual(digest.papers.map((p) => p.tldr).filter(Boolean));
      for (const p of digest.papers) expect(copy.text.replace(/\s+/g, ' ')).toContain(p.tldr);
    },
  );

  it('counts in words: "1 paper", and sections the way the email does', () => {
    const one = runCli(['digest', 'test/fixtures/digests/hf-api-paper-2509.25541.json']);
    expect(one.stdout.split('\n')[0]).toMatch(/: 1 paper, dated /);
    const themes = runCli(['themes', 'content/digests/hf-papers-2025-12-11.txt']);
    expect(themes.code).toBe(0);
    const header = themes.stdout.split('\n')[0]!;
    expect(header).toMatch(/^2025-12-11 · 39 papers in \d+ sections$/);
    // Every section of the outline is counted, the catch-all included: as the email counts them.
    const sections = themes.stdout.split('\n\n').slice(1).filter((block) => block.trim() !== '').length;
    expect(header).toContain(`in ${sections} sections`);
    const cwd = scratch();
    // A budget above the day's 39 papers, so the copy shows them all (MAX_PAPERS, issue #21; the
    // budget's own counts are tested in test/render/length-budget.test.ts).
    const rendered = runCli(['render', 'content/digests/hf-papers-2025-12-11.txt', '--out', 'out/render'], { cwd, env: { MAX_PAPERS: '100' } });
    expect(rendered.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'out/render/email.txt'), 'utf8')).toContain(`39 trending papers in ${sections} sections.`);
  });
});

describe('paperpost run (npm start) on a fresh checkout', () => {
  it('seeds the example subscribers, writes one .eml each to the outbox, and sends nothing the second time', async () => {
    const cwd = scratch();
    const first = runCli(['run'], { cwd });
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/seeded 3 subscribers from /);
    expect(first.stdout).toMatch(/issue 2025-12-11: written to the outbox 3, deferred 0, failed 0/);
    const box = path.join(cwd, 'out/outbox/2025-12-11');
    const emls = readdirSync(box).filter((f) => f.endsWith('.eml')).sort();
    expect(emls).toHaveLength(3);
    expect(existsSync(path.join(box, 'index.html'))).toBe(true);
    const mail = await simpleParser(readFileSync(path.join(box, emls[0]!)));
    expect(mail.subject).toMatch(/Dec 11/);
    expect(mail.text).toContain('http://127.0.0.1:8080/u/');
    expect(mail.html).toBeTruthy();
    const recipients = await Promise.all(emls.map(async (f) => (await simpleParser(readFileSync(path.join(box, f)))).to));
    expect(recipients.map((t) => (t && !Array.isArray(t) ? t.value[0]!.address : '')).sort()).toEqual(['ada@example.org', 'alan@example.org', 'grace@example.org']);

    const second = runCli(['run'], { cwd });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/nothing new: issue 2025-12-11 has already gone out/);
    expect(readdirSync(box).filter((f) => f.endsWith('.eml'))).toHaveLength(3);
  });
});

describe('paperpost subscribers', () => {
  it('rejects a CSV with bad rows by line number and changes nothing', () => {
    const cwd = scratch();
    const csv = path.join(cwd, 'list.csv');
    writeFileSync(csv, 'email,name,themes\nok@example.org,Ok,\na@b,Bad,\n"x@y.com\r\nBcc: z@q.com",Evil,\n\nok@example.org,Dup,\n');
    const r = runCli(['subscribers', 'import', csv], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rejected .*list\.csv:3: email "a@b" is not a valid email address/);
    expect(r.stderr).toMatch(/rejected .*list\.csv:4: email contains a line break/);
    // A blank line is no one: skipped, not a reason to refuse the file.
    expect(r.stderr).not.toMatch(/list\.csv:6/);
    expect(r.stderr).toMatch(/rejected .*list\.csv:7: duplicate of line 2/);
    expect(r.stderr).toMatch(/nothing was imported/);
    // Nothing at all was written: not even an empty database.
    expect(runCli(['subscribers', 'list', '--json'], { cwd }).stderr).toMatch(/^error: there is no database at /);

    const partial = runCli(['subscribers', 'import', csv, '--skip-invalid'], { cwd });
    expect(partial.code).toBe(0);
    expect(partial.stdout).toMatch(/1 added, 0 updated, 0 unchanged, 0 kept out, 3 rejected/);
  });

  it('adds, lists, removes and keeps a removed subscriber out of later imports', () => {
    const cwd = scratch();
    expect(runCli(['subscribers', 'add', 'Ada@Example.ORG', '--name', 'Ada', '--topics', 'Efficient Inference, llm-agents'], { cwd }).code).toBe(0);
    const list = JSON.parse(runCli(['subscribers', 'list', '--json'], { cwd }).stdout);
    expect(list).toEqual([expect.objectContaining({ email: 'Ada@example.org', name: 'Ada', status: 'active', themes: ['efficient-inference', 'llm-agents'] })]);
    expect(runCli(['subscribers', 'remove', 'ada@example.org'], { cwd }).code).toBe(0);
    writeFileSync(path.join(cwd, 'again.csv'), 'email,name,themes\nada@example.org,Ada,\n');
    const r = runCli(['subscribers', 'import', 'again.csv'], { cwd });
    expect(r.stdout).toMatch(/0 added, 0 updated, 0 unchanged, 1 kept out/);
    expect(JSON.parse(runCli(['subscribers', 'list', '--status', 'unsubscribed', '--json'], { cwd }).stdout)).toHaveLength(1);
    const bad = runCli(['subscribers', 'add', 'not-an-address'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: email "not-an-address" is not a valid email address/);
    expect(runCli(['subscribers', 'export'], { cwd }).stdout.split('\n')[0]).toBe('email,name,themes,status,created_at,confirmed_at,unsubscribed_at');
  });
});
