/**
 * `send` options that said one thing and did another (issue #11, item 9): a dry run with
 * --limit counts what this run would send, and SEND_EMPTY=true sends the issue of an empty
 * digest instead of refusing it.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { ROOT, runCli } from '../helpers/run-cli.js';

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-sendopts-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  for (const e of ['a', 'b', 'c']) expect(runCli(['subscribers', 'add', `${e}@example.org`], { cwd: dir }).code).toBe(0);
  return dir;
}

describe('send', () => {
  it('--dry-run --limit counts what this run would send', () => {
    const dir = scratch();
    expect(runCli(['send', 'content/digests', '--dry-run'], { cwd: dir }).stdout).toMatch(/would go to 3 subscriber\(s\) now/);
    expect(runCli(['send', 'content/digests', '--dry-run', '--limit', '1'], { cwd: dir }).stdout).toMatch(/would go to 1 subscriber\(s\) now/);
    expect(runCli(['send', 'content/digests', '--dry-run', '--limit', '5'], { cwd: dir }).stdout).toMatch(/would go to 3 subscriber\(s\) now/);
  });

  it('counts and sends a reader whose topics are not in the issue but who has picks in it (their picks alone), and skips one without', async () => {
    const dir = scratch();
    for (const e of ['d', 'e']) expect(runCli(['subscribers', 'add', `${e}@example.org`, '--topics', 'robotics'], { cwd: dir }).code).toBe(0);
    expect(runCli(['subscribers', 'follow', 'd@example.org', '--phrase', 'language model'], { cwd: dir }).code).toBe(0);
    expect(runCli(['send', 'content/digests', '--dry-run'], { cwd: dir }).stdout).toMatch(/would go to 4 subscriber\(s\) now/);
    const sent = runCli(['send', 'content/digests'], { cwd: dir });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/written to the outbox 4/);
    const outbox = path.join(dir, 'out/outbox/2025-12-11');
    const mails = readdirSync(outbox).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(path.join(outbox, f), 'utf8'));
    expect(mails.filter((m) => /^To: .*e@example\.org/m.test(m))).toHaveLength(0);
    const d = (await simpleParser(mails.find((m) => /^To: .*d@example\.org/m.test(m))!)).text!;
    expect(d).toMatch(/Here are 5 trending papers, picked for you\./);
    expect(d.match(/Why: you follow "language model"/g)).toHaveLength(5);
  });

  it('SEND_EMPTY=true sends the issue of an empty digest; without it, the empty digest is refused', () => {
    const dir = scratch();
    const file = path.join(dir, 'content/digests/hf-api-2025-12-12.json');
    writeFileSync(file, '[]\n');
    const refused = runCli(['send', file], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/found no papers/);
    const sent = runCli(['send', file], { cwd: dir, env: { SEND_EMPTY: 'true' } });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/issue 2025-12-12: written to the outbox 3/);
    expect(readdirSync(path.join(dir, 'out/outbox/2025-12-12')).filter((f) => f.endsWith('.eml'))).toHaveLength(3);
  });
});
