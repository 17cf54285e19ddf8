/**
 * The pre-send checks as a gate (issue #22), through the compiled CLI as an operator runs it:
 * a template that leaves "{{" in the copies stops `send` (and its dry run, and the daily job
 * of `run`) with exit 1 and one line per problem, before anything is frozen or sent; once the
 * template is fixed the issue goes out whole. Under SEND_CHECKS=warn a template with an http:
 * link and an image without alt text is sent, with each problem printed as a warning.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCliAsync } from '../helpers/run-cli.js';

const ENV = { TEMPLATES_DIR: 'templates', PUBLIC_URL: 'https://news.example.org' };

/** A working directory with the sample digest, a copy of the templates and three subscribers. */
async function scratch(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-gate-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  for (const [email, ...rest] of [['ada@example.org', '--name', 'Ada'], ['kay@example.org', '--topics', 'efficient-inference'], ['bo@example.org']]) {
    const r = await runCliAsync(['subscribers', 'add', email!, ...rest], { cwd: dir, env: ENV });
    expect(r.code, r.stderr).toBe(0);
  }
  return dir;
}

const outbox = (dir: string) => {
  const folder = path.join(dir, 'out/outbox/2025-12-11');
  return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.eml')) : [];
};

/** The problem lines under the error line, checked against the count the error line gives. */
function problemLines(stderr: string): string[] {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('error: the pre-send checks stopped issue 2025-12-11: '));
  expect(at, stderr).toBeGreaterThanOrEqual(0);
  const count = Number(/: (\d+) problems? in /.exec(lines[at]!)![1]);
  const problems = lines.slice(at + 1).filter((l) => /^ {2}[a-z-]+: /.test(l));
  expect(problems, stderr).toHaveLength(count);
  return problems;
}

describe('the gate before a send', () => {
  it('stops send, its dry run and the daily job on "{{" left in the copies, one line per problem; the fixed template sends', { timeout: 300_000 }, async () => {
    const dir = await scratch();
    const subject = path.join(dir, 'templates/subject.txt.hbs');
    const good = readFileSync(subject, 'utf8');
    writeFileSync(subject, `\\{{issue.label}} ${good}`);

    const sent = await runCliAsync(['send', 'content/digests'], { cwd: dir, env: ENV });
    expect(sent.code, sent.stderr).toBe(1);
    const problems = problemLines(sent.stderr);
    expect(problems).toContain('  leftovers: the subject has "{{" left over from a template: "{{issue.label}} Trending papers,…"');
    expect(problems.every((l) => l.startsWith('  leftovers: '))).toBe(true);
    expect(sent.stderr).toMatch(/3 copies checked \(every copy plan of the list\)/);
    expect(sent.stderr).toMatch(/→ fix the templates \(paperpost preview shows these checks as you edit\), or set SEND_CHECKS=warn to send anyway/);
    expect(outbox(dir)).toEqual([]);

    const dry = await runCliAsync(['send', 'content/digests', '--dry-run'], { cwd: dir, env: ENV });
    expect(dry.code, dry.stderr).toBe(1);
    expect(problemLines(dry.stderr)).toEqual(problems);

    const daily = await runCliAsync(['run'], { cwd: dir, env: ENV });
    expect(daily.code, daily.stderr).toBe(1);
    expect(problemLines(daily.stderr)).toEqual(problems);
    expect(outbox(dir)).toEqual([]);

    // Nothing was frozen: the fixed templates make the issue, and it goes to everyone.
    writeFileSync(subject, good);
    const fixed = await runCliAsync(['send', 'content/digests'], { cwd: dir, env: ENV });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).not.toMatch(/leftovers|pre-send/);
    expect(outbox(dir)).toHaveLength(3);
    expect(readFileSync(path.join(dir, 'out/outbox/2025-12-11', outbox(dir)[0]!), 'utf8')).not.toContain('{{');
  });

  it('under SEND_CHECKS=warn, sends a copy with an http: link and an image without alt text, and says so', { timeout: 300_000 }, async () => {
    const dir = await scratch();
    const footer = path.join(dir, 'templates/partials/footer.mjml.hbs');
    const text = readFileSync(footer, 'utf8').replace(
      'Read this issue on the web</a>',
      'Read this issue on the web</a> · <a href="http://old.example.org/archive" style="color:#0b57d0">Old archive</a> <img src="https://news.example.org/dot.png" width="1" height="1">',
    );
    writeFileSync(footer, text);

    const refused = await runCliAsync(['send', 'content/digests'], { cwd: dir, env: ENV });
    expect(refused.code, refused.stderr).toBe(1);
    expect(problemLines(refused.stderr)).toEqual(['  images: images without alt text (1): https://news.example.org/dot.png (add alt="..."; alt="" for a decorative one)']);

    const sent = await runCliAsync(['send', 'content/digests'], { cwd: dir, env: { ...ENV, SEND_CHECKS: 'warn' } });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toContain('warning: SEND_CHECKS=warn, sending anyway: error: images: images without alt text (1): https://news.example.org/dot.png');
    expect(sent.stderr).toContain('warning: links: links over http: (http://old.example.org), not https: (1): http://old.example.org/archive');
    expect(sent.stdout).toMatch(/written to the outbox 3/);
    expect(outbox(dir)).toHaveLength(3);

    appendFileSync(path.join(dir, '.env'), 'SEND_CHECKS=sometimes\n');
    const bad = await runCliAsync(['send', 'content/digests', '--dry-run'], { cwd: dir, env: ENV });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: SEND_CHECKS must be "fail" or "warn" \(got "sometimes"\)/);
  });
});
