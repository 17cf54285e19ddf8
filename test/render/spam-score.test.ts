/**
 * What a spam filter makes of the email itself (issue #22): Debian's SpamAssassin, with its
 * local tests only (`-L`: no DNS blocklists, no network), must score the sample issue 0.0 as
 * `paperpost render` writes it. It used to score 0.7, all HTML_FONT_LOW_CONTRAST: MJML's
 * `<mj-preview>` hides the preheader as white 1 px text, which is how spam hides words too.
 *
 * A control message with exactly that hidden white preheader must still score, so a
 * SpamAssassin that no longer judged HTML could not pass this test by saying nothing.
 *
 * 1. Render the shipped sample digest with the built CLI into a fresh directory.
 * 2. Run `spamassassin -L -t` on its email.eml and on the control, side by side, with a
 *    private HOME and an empty preferences file (nothing is read from or written to the
 *    user's own ~/.spamassassin).
 * 3. Read the points from the report's table.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSystemTool, SPAMASSASSIN as SPAMASSASSIN_TOOL } from '../helpers/ensure-system-tool.js';
import { ROOT, runCliAsync } from '../helpers/run-cli.js';

const SPAMASSASSIN = await ensureSystemTool(SPAMASSASSIN_TOOL);

/** The body MJML's <mj-preview> gave every issue until now: white 1 px text on a light page. */
const CONTROL = [
  'From: paperpost <news@example.org>',
  'To: Ada <ada@example.org>',
  'Subject: Trending papers, Dec 11',
  'Date: Thu, 11 Dec 2025 06:00:00 +0000',
  'Message-ID: <control@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<!doctype html><html><body style="background-color:#f3f4f6"><div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">39 papers in 7 sections. First up: xKV: Cross-Layer SVD for KV-Cache Compression</div>',
  '<div style="background-color:#ffffff"><p>Hi Ada, here are 39 trending papers in 7 sections.</p></div></body></html>',
  '',
].join('\r\n');

interface SpamReport {
  /** The message's total, as SpamAssassin rounds it ("-0.0" reads as 0). */
  score: number;
  /** Every rule that matched, as "0.7 HTML_FONT_LOW_CONTRAST". */
  rules: string[];
}

let dir: string;

/** Step 2 and 3: SpamAssassin's local verdict on one message file. */
function spamassassin(emlPath: string): Promise<SpamReport> {
  const prefs = path.join(dir, 'user_prefs');
  return new Promise((resolve, reject) => {
    const child = spawn(SPAMASSASSIN, ['-L', '-t', '-p', prefs], { env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      // -t prints the message, then the report: only the report counts.
      const report = stdout.slice(stdout.lastIndexOf('Content analysis details:'));
      const total = /^Content analysis details:\s+\((-?\d+(?:\.\d+)?) points/.exec(report);
      if (code !== 0 || !total) return reject(new Error(`spamassassin exited ${code} without a report: ${stderr.trim().split('\n').pop() ?? ''}`));
      const rules = [...report.matchAll(/^\s*(-?\d+(?:\.\d+)?) ([A-Z][A-Z0-9_]+)\s/gm)].map((m) => `${m[1]} ${m[2]}`);
      resolve({ score: Math.abs(Number(total[1])) === 0 ? 0 : Number(total[1]), rules });
    });
    createReadStream(emlPath).pipe(child.stdin);
  });
}

/** The rules that moved the score, leaving out the informational 0.0 ones. */
const scoring = (report: SpamReport) => report.rules.filter((r) => Number(r.split(' ')[0]) !== 0);

let sample: SpamReport;
let control: SpamReport;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'paperpost-spam-'));
  writeFileSync(path.join(dir, 'user_prefs'), '');
  writeFileSync(path.join(dir, 'control.eml'), CONTROL);
  // Step 1: the trial configuration a new operator starts with, but with a real-looking site and sender.
  const rendered = await runCliAsync(['render', path.join(ROOT, 'content/digests/hf-papers-2025-12-11.txt'), '--out', path.join(dir, 'out')], {
    cwd: dir,
    env: { PUBLIC_URL: 'https://paperpost.example.org', MAIL_FROM: 'paperpost <news@example.org>' },
  });
  if (rendered.code !== 0) throw new Error(`paperpost render failed (exit ${rendered.code}): ${rendered.stderr.trim()}`);
  [sample, control] = await Promise.all([spamassassin(path.join(dir, 'out/email.eml')), spamassassin(path.join(dir, 'control.eml'))]);
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SpamAssassin (local tests) on the rendered sample issue', () => {
  it('scores the sample issue 0.0, with no rule adding or taking points', () => {
    expect(scoring(sample)).toEqual([]);
    expect(sample.score).toBe(0);
    // The HTML part was read (this rule only says that there is one).
    expect(sample.rules).toContain('0.0 HTML_MESSAGE');
  });

  it('still flags hidden white preheader text, as the email had before (the control)', () => {
    expect(scoring(control)).toContain('0.7 HTML_FONT_LOW_CONTRAST');
    expect(control.score).toBeGreaterThan(0);
  });
});
