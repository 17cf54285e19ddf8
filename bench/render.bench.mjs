// Render benchmark (issue #4): personalised copies per second after the single per-issue compile,
// beside the naive way (Handlebars + MJML for every subscriber), measured in the same run on the
// 39-paper sample. Goal: at least 10,000 personalised renders per second on one core.
//
//   npm run build && node bench/render.bench.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileIssue } from '../dist/render/compile-issue.js';
import { personalizeIssue } from '../dist/render/personalize-issue.js';

const GOAL_PER_SEC = 10_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const themed = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/render/themed-2025-12-11.json'), 'utf8'));
const options = { templatesDir: path.join(root, 'templates'), publicUrl: 'https://paperpost.example.org' };
const labels = themed.themes.map((t) => t.label);

// Subscribers as delivery will pass them: distinct addresses and 43-character tokens, most
// following every theme, some a subset (a different subject and table of contents).
const recipients = Array.from({ length: 1000 }, (_, i) => ({
  email: `reader${i}@example.org`,
  name: i % 3 === 0 ? null : `Reader ${i}`,
  themes: i % 4 === 0 ? [labels[i % labels.length], labels[(i + 2) % labels.length]] : null,
  unsubscribeUrl: `https://paperpost.example.org/unsubscribe/${i.toString(36).padStart(43, 'u')}`,
  preferencesUrl: `https://paperpost.example.org/preferences/${i.toString(36).padStart(43, 'p')}`,
}));

function measure(seconds, fn) {
  let n = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < limit) {
    bytes += fn(n++);
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return { n, perSec: n / elapsed, bytes };
}

const t0 = process.hrtime.bigint();
const compiled = await compileIssue(themed, options);
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
const copyBytes = (m) => (m ? m.html.length + m.text.length : 0);

// Warm up both paths so the JIT has seen them, then measure.
measure(0.5, (i) => copyBytes(personalizeIssue(compiled, recipients[i % recipients.length])));
const fast = measure(3, (i) => copyBytes(personalizeIssue(compiled, recipients[i % recipients.length])));

let naiveCount = 0;
const naiveStart = process.hrtime.bigint();
while (naiveCount < 3 || Number(process.hrtime.bigint() - naiveStart) < 3e9) {
  const fresh = await compileIssue(themed, options);
  personalizeIssue(fresh, recipients[naiveCount % recipients.length]);
  naiveCount++;
}
const naivePerSec = naiveCount / (Number(process.hrtime.bigint() - naiveStart) / 1e9);

const ok = fast.perSec >= GOAL_PER_SEC;
console.log(
  `render: ${Math.round(fast.perSec).toLocaleString('en-US')} personalised renders/s after one ${compileMs.toFixed(0)} ms compile ` +
    `(${compiled.paperCount} papers, ${compiled.htmlBytes.toLocaleString('en-US')} B HTML) vs ` +
    `${naivePerSec.toFixed(1)}/s compiling Handlebars+MJML per subscriber: ${Math.round(fast.perSec / naivePerSec).toLocaleString('en-US')}x; ` +
    `goal ${GOAL_PER_SEC.toLocaleString('en-US')}/s ${ok ? 'met' : 'MISSED'}`,
);
process.exit(ok ? 0 : 1);
