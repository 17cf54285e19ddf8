// Delivery throughput: paperpost vs Postfix's smtp-source vs plain pooled nodemailer, into the
// same smtp-sink, same message size (~200 KB) and connection count, in one run.
// Needs Debian's postfix package for smtp-sink/smtp-source: `apt-get install -y postfix`.
// Goal (issue #5): paperpost >= 0.8 x smtp-source.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import { createSqliteStore } from '../dist/store/sqlite/create-sqlite-store.js';
import { WireSmtpConnection } from '../dist/deliver/wire-smtp-connection.js';
import { createSmtpPoolTransport } from '../dist/deliver/create-smtp-pool-transport.js';
import { deliverIssue } from '../dist/deliver/deliver-issue.js';
import { createIssueComposer } from '../dist/deliver/create-issue-composer.js';

const N = Number(process.env.BENCH_MESSAGES ?? 3000);
const CONNECTIONS = 5;
const SIZE = 200_000;

for (const bin of ['smtp-sink', 'smtp-source']) {
  if (spawnSync('sh', ['-c', `command -v ${bin} || test -x /usr/sbin/${bin}`]).status !== 0) {
    console.error(`${bin} not found: install Debian's postfix package (apt-get install -y postfix) and run again`);
    process.exit(2);
  }
}
const sbin = (b) => (spawnSync('sh', ['-c', `command -v ${b}`]).stdout.toString().trim() || `/usr/sbin/${b}`);

const freePort = () => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
// Every measured run gets a sink of its own (same program, same options), so no run inherits
// another's connections or backlog.
let port;
let sink;
async function freshSink() {
  sink?.kill();
  port = await freePort();
  sink = spawn(sbin('smtp-sink'), process.getuid?.() === 0 ? ['-u', 'nobody', `127.0.0.1:${port}`, '1000'] : [`127.0.0.1:${port}`, '1000'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
}

// A realistic newsletter body: many short HTML lines, the same for everyone but the links.
const line = (i) => `<tr><td class="paper" style="padding:8px 0;font:15px/1.5 sans-serif"><a href="https://huggingface.co/papers/2512.${String(i).padStart(5, '0')}">Paper ${i}: a title about KV cache compression and distillation</a> — TL;DR of the paper in one sentence. ${i}</td></tr>`;
// "The same message size": smtp-source sends SIZE bytes, so the HTML is sized until paperpost's
// whole encoded message (headers, both parts, quoted-printable) comes to SIZE bytes as well.
const personalizeWith = (html, txt) => (r) => ({ subject: 'Trending papers', html: `<p>Hi ${r.name}</p>\n` + html + `<a href="${r.unsubscribeUrl}">unsubscribe</a>`, text: `Hi ${r.name}\n` + txt });
const valuesFor = (s) => ({ email: s.email, name: s.name, themes: s.themes, unsubscribeUrl: `https://x.example.org/u/${s.id}`, preferencesUrl: `https://x.example.org/p/${s.id}` });
const makeBody = (n) => Array.from({ length: n }, (_, i) => line(i) + '\n').join('');
const encodedSize = (html, txt) => {
  const c = createIssueComposer({ issueId: 'probe', from: 'paperpost <news@example.org>', listId: 'paperpost.example.org', personalize: personalizeWith(html, txt), valuesFor });
  return Buffer.concat(c({ id: 1, email: 'r0@example.org', name: 'Reader 0', themes: null }, '<probe@example.org>', new Date()).raw).length;
};
let lines = 1000;
let body = makeBody(lines);
let text = body.replace(/<[^>]+>/g, '').slice(0, SIZE * 0.2);
for (let round = 0; round < 3; round++) {
  lines = Math.max(1, Math.round(lines * (SIZE / encodedSize(body, text))));
  body = makeBody(lines);
  text = body.replace(/<[^>]+>/g, '').slice(0, SIZE * 0.2);
}
const MESSAGE_BYTES = encodedSize(body, text);

async function timeIt(fn) {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

// 1. smtp-source: the ceiling for this sink and machine.
const runSource = async () => (await freshSink(), timeIt(() => new Promise((resolve, reject) => {
  const p = spawn(sbin('smtp-source'), ['-d', '-l', String(SIZE), '-m', String(N), '-s', String(CONNECTIONS), '-f', 'news@example.org', '-t', 'reader@example.org', `127.0.0.1:${port}`], { stdio: 'ignore' });
  p.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`smtp-source exited ${c}`))));
})));
const tSource1 = await runSource();

await freshSink();
const transportOptions = { pool: true, host: '127.0.0.1', port, secure: false, ignoreTLS: true, maxConnections: CONNECTIONS, maxMessages: Infinity };

// 2. Plain pooled nodemailer sendMail: MIME built and encoded for every message.
const plain = nodemailer.createTransport(transportOptions);
// Plain nodemailer is slow: a third of the messages tells its rate just as well.
const N_PLAIN = Math.ceil(N / 3);
const tPlain = await timeIt(async () => {
  const all = [];
  for (let i = 0; i < N_PLAIN; i++) all.push(plain.sendMail({ from: 'news@example.org', to: `r${i}@example.org`, subject: 'Trending papers', html: body + `<a href="https://x.example.org/u/${i}">unsubscribe</a>`, text }));
  await Promise.all(all);
});
plain.close();

// 3. paperpost: the real delivery loop with its SQLite ledger (on disk, WAL) and raw messages.
const dir = mkdtempSync(path.join(tmpdir(), 'pp-bench-'));
let summary;
async function runPaperpost(round) {
await freshSink();
const store = createSqliteStore(new Database(path.join(dir, `bench-${round}.db`)));
await store.importSubscribers(Array.from({ length: N }, (_, i) => ({ line: i + 2, input: { email: `r${i}@example.org`, name: `Reader ${i}` } })));
await store.freezeIssue('2025-12-11', '{}');
const compose = createIssueComposer({
  issueId: '2025-12-11',
  from: 'paperpost <news@example.org>',
  listId: 'paperpost.example.org',
  personalize: personalizeWith(body, text),
  valuesFor,
});
const transport = createSmtpPoolTransport({ name: 'sink', size: CONNECTIONS, createConnection: () => new WireSmtpConnection({ host: '127.0.0.1', port, ignoreTLS: true }) });
const t = await timeIt(async () => {
  summary = await deliverIssue({
    store,
    transport,
    issueId: '2025-12-11',
    from: 'news@example.org',
    compose,
    messageIdFor: (s) => `<2025-12-11.${s.id}@example.org>`,
    maxAttempts: 3,
  });
});
await transport.close();
await store.close();
return t;
}
// Alternate the two, twice, and keep each one's best: other load on the machine hits both alike.
const tPaperpost1 = await runPaperpost(1);
const tSource2 = await runSource();
const tPaperpost2 = await runPaperpost(2);
const tSource = Math.min(tSource1, tSource2);
const tPaperpost = Math.min(tPaperpost1, tPaperpost2);
sink.kill();
rmSync(dir, { recursive: true, force: true });

const rate = (t) => N / t;
const ratio = rate(tPaperpost) / rate(tSource);
console.log(`delivery of ${N} messages over ${CONNECTIONS} connections into smtp-sink; smtp-source sends ${SIZE} bytes a message, paperpost ${MESSAGE_BYTES}:`);
console.log(`  smtp-source        ${rate(tSource).toFixed(0).padStart(6)} messages/s`);
console.log(`  plain nodemailer   ${(N_PLAIN / tPlain).toFixed(0).padStart(6)} messages/s (${N_PLAIN} messages)`);
console.log(`  paperpost          ${rate(tPaperpost).toFixed(0).padStart(6)} messages/s (sent ${summary.sent}, deferred ${summary.deferred}, failed ${summary.failed})`);
console.log(`  paperpost / smtp-source = ${ratio.toFixed(2)} (goal >= 0.80); paperpost / plain nodemailer = ${(rate(tPaperpost) / (N_PLAIN / tPlain)).toFixed(2)} (best of two rounds each for smtp-source and paperpost)`);
process.exit(ratio >= 0.8 && summary.sent === N ? 0 : 1);
