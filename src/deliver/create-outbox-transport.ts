/**
 * The transport used when SMTP_URL is unset: each message becomes an .eml file under
 * OUTBOX_DIR/<issue-id>/, next to an .html copy and an index.html to open in a browser,
 * so a newcomer can see exactly what would have been sent. When DKIM is configured each .eml is
 * signed exactly as an SMTP send signs it (sign-with-dkim.ts), so the file is what the relay
 * would have got and can be checked with any DKIM verifier.
 */
import { readdir, writeFile, rename } from 'node:fs/promises';
import { ensureDir } from '../ensure-dir.js';
import path from 'node:path';
import Handlebars from 'handlebars';
import type DKIM from 'nodemailer/lib/dkim';
import { signWithDkim } from './sign-with-dkim.js';
import { SendFailure, type OutgoingMessage, type SendResult, type Transport } from './transport.js';

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._+-]+/g, '_').slice(0, 80);

/** Opens an outbox transport rooted at `dir`; with `dkim`, every .eml is DKIM-signed. */
export function createOutboxTransport(dir: string, options: { dkim?: DKIM } = {}): Transport {
  const written = new Map<string, { file: string; to: string; subject: string }[]>();

  const writeAtomically = async (file: string, data: Buffer | string) => {
    // A crash mid-write must not leave a half message that looks sent.
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, data);
    await rename(tmp, file);
  };

  return {
    name: `outbox ${dir}`,
    concurrency: 4,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const issueDir = path.join(dir, safeName(message.meta.issueId));
      try {
        ensureDir(issueDir);
      } catch (e) {
        throw new SendFailure('fatal', `cannot create the outbox directory ${issueDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, undefined, 'set OUTBOX_DIR to a directory you can write to');
      }
      const tag = message.meta.fileTag ? `-${safeName(message.meta.fileTag)}` : '';
      const base = (message.meta.subscriberId === null ? `test-${safeName(message.to)}` : `${message.meta.subscriberId}-${safeName(message.to)}`) + tag;
      await writeAtomically(path.join(issueDir, `${base}.html`), message.meta.html());
      const raw = await signWithDkim(options.dkim, message.raw);
      await writeAtomically(path.join(issueDir, `${base}.eml`), Buffer.isBuffer(raw) ? raw : Buffer.concat(raw));
      const list = written.get(message.meta.issueId) ?? [];
      list.push({ file: base, to: message.to, subject: message.meta.subject });
      written.set(message.meta.issueId, list);
      return { response: `250 written to ${path.join(issueDir, base + '.eml')}` };
    },
    async finish(issueId: string) {
      const issueDir = path.join(dir, safeName(issueId));
      let files: string[];
      try {
        files = (await readdir(issueDir)).filter((f) => f.endsWith('.eml')).sort();
      } catch {
        return;
      }
      const rows = files.map((f) => ({ eml: f, html: f.replace(/\.eml$/, '.html') }));
      const html = Handlebars.compile(INDEX)({ issueId, rows, count: rows.length });
      await writeAtomically(path.join(issueDir, 'index.html'), html);
    },
    async close() {},
  };
}

const INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outbox: issue {{issueId}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}li{margin:.25rem 0}</style>
</head><body>
<h1>Outbox: issue {{issueId}}</h1>
<p>{{count}} messages written here instead of being sent (SMTP_URL is not set). Open a message's HTML part, or its .eml file in a mail program.</p>
<ul>{{#each rows}}<li><a href="{{html}}">{{html}}</a> · <a href="{{eml}}">{{eml}}</a></li>{{/each}}</ul>
</body></html>
`;
