/**
 * `paperpost render <source> --out DIR`: the issue for a digest as files (email.html,
 * email.txt, subject.txt, email.eml), for one subscriber's copy or a generic reader's.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ensureDir } from '../../ensure-dir.js';
import { InputError } from '../../errors.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import { err, ingest, kb, out, withApp, type DigestOpts } from '../context.js';
import { addDigestOptions } from '../options.js';

/** Registers `render`. */
export function registerRenderCommand(program: Command): void {
  addDigestOptions(
    program
      .command('render')
      .description('render the issue for a digest to files: email.html, email.txt, subject.txt, email.eml')
      .argument('<source>', 'a digest source (see paperpost digest --help)')
      .requiredOption('--out <dir>', 'directory to write into (created if missing)')
      .option('--subscriber <email>', "render this subscriber's copy (their name, links and themes)"),
  ).action(async (source: string, opts: DigestOpts & { out: string; subscriber?: string }) => {
    await withApp(async (app) => {
      const c = app.config;
      const [{ prepareIssue }, { personalizeIssue }, { previewReader, recipientFor }, { messageIdFor }, { createMessageBuilder }] = await Promise.all([
        import('../../issue/prepare-issue.js'),
        import('../../render/personalize-issue.js'),
        import('../../subscribers/recipient.js'),
        import('../../deliver/message-id-for.js'),
        import('../../deliver/build-message.js'),
      ]);
      const digest = await ingest(source, opts);
      // The same issue `send` would send now: issue history applied, or the frozen one once sent.
      const { compiled } = await prepareIssue(app, digest);
      // The subscriber's own copy, or a reader of every topic whose links point to /manage.
      let reader = previewReader();
      if (opts.subscriber) {
        let email: string;
        try {
          email = normalizeEmail(opts.subscriber);
        } catch (e) {
          throw new InputError(`--subscriber ${(e as Error).message}`, 'give the address of a subscriber, such as ada@example.org (see paperpost subscribers list)');
        }
        const found = await app.store().getSubscriberByEmail(email);
        if (!found) throw new InputError(`--subscriber ${opts.subscriber}: no such subscriber`, 'see paperpost subscribers list');
        reader = found;
      }
      const recipient = recipientFor(c, reader);
      const copy = personalizeIssue(compiled, recipient);
      if (!copy) throw new InputError(`--subscriber ${recipient.email} follows none of this issue's topics, so they would get no email`, 'pick another subscriber or change their themes');
      const messageId = messageIdFor(c, compiled.id, reader.id ?? 0);
      const eml = createMessageBuilder({ issueId: compiled.id, from: c.mailFrom, listId: c.listId, unsubscribeMailto: c.unsubscribeMailto })({
        to: recipient.email, toName: recipient.name, subject: copy.subject, html: copy.html, text: copy.text, messageId, unsubscribeUrl: recipient.unsubscribeUrl, date: new Date(),
      });
      const dir = path.resolve(opts.out);
      try {
        ensureDir(dir);
      } catch (e) {
        throw new InputError(`--out ${opts.out}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'choose a directory you can write to');
      }
      const files: [string, string | Buffer][] = [
        ['email.html', copy.html],
        ['email.txt', copy.text],
        ['subject.txt', copy.subject + '\n'],
        ['email.eml', eml],
      ];
      for (const [name, data] of files) {
        try {
          await writeFile(path.join(dir, name), data);
        } catch (e) {
          throw new InputError(`--out ${opts.out}: cannot write ${name} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'choose a directory you can write to');
        }
      }
      for (const w of compiled.warnings) err(`warning: ${w}`);
      out(`rendered issue ${compiled.id} for ${recipient.email}: "${copy.subject}"`);
      for (const [name, data] of files) out(`  ${path.join(dir, name)}  ${kb(Buffer.byteLength(data))}`);
    }, { orInMemory: !opts.subscriber });
  });
}
