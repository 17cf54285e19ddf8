/**
 * `paperpost render <source> --out DIR`: the issue for a digest as files (email.html,
 * email.txt, subject.txt, email.eml), for one subscriber's copy or a generic reader's, and
 * the pre-send checks of that copy (with --check-links, each link fetched once).
 * `render --weekly <YYYY-Www> --out DIR` does the same for a weekly issue (frozen, or as
 * `send --weekly` would build it now). `--json` prints the copy as data instead (or as well):
 * the reader's picks with scores and reasons, and their sections with the papers shown in
 * order (issue/describe-reader-copy.ts); stdout is then the JSON alone.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ensureDir } from '../../ensure-dir.js';
import { InputError, UsageError } from '../../errors.js';
import { isWeekId } from '../../iso-week.js';
import { normalizeEmail } from '../../subscribers/normalize-email.js';
import { err, ingest, kb, out, withApp, type DigestOpts } from '../context.js';
import { addDigestOptions } from '../options.js';
import { printCopyChecks } from '../print-copy-checks.js';

/** Registers `render`. */
export function registerRenderCommand(program: Command): void {
  addDigestOptions(
    program
      .command('render')
      .description('render the issue for a digest to files: email.html, email.txt, subject.txt, email.eml')
      .argument('[source]', 'a digest source (see paperpost digest --help); default DIGEST_SOURCE (its newest digest), as send; not with --weekly')
      .option('--out <dir>', 'directory to write into (created if missing)')
      .option('--subscriber <email>', "render this subscriber's copy (their name, links, themes and picks)")
      .option('--json', "print the copy as JSON: the reader's picks (paper id, title, score, reason) and their sections with the papers shown, in order")
      .option('--check-links', 'also fetch each link of the copy once and report the broken ones (4xx, 5xx)')
      .option('--weekly <YYYY-Www>', 'render the weekly issue of this ISO week instead of a digest'),
  ).action(async (source: string | undefined, opts: DigestOpts & { out?: string; subscriber?: string; json?: boolean; checkLinks?: boolean; weekly?: string }) => {
    if (opts.weekly !== undefined && !isWeekId(opts.weekly)) throw new UsageError(`--weekly ${JSON.stringify(opts.weekly)} is not an ISO week`, 'give the week as YYYY-Www, e.g. --weekly 2026-W49');
    if (opts.weekly !== undefined && source !== undefined) throw new UsageError('give a digest source or --weekly, not both', 'paperpost render --weekly 2026-W49 --out DIR');
    if (opts.out === undefined && !opts.json) throw new InputError('render needs --out DIR (files) or --json (the copy as data)', 'for example: paperpost render content/digests --out out/render');
    await withApp(async (app) => {
      const c = app.config;
      const [{ prepareIssue }, { personalizeIssue }, { previewReader }, { messageIdFor }, { createMessageBuilder }, { copyRecipient }, { planOne }, { describeReaderCopy }] = await Promise.all([
        import('../../issue/prepare-issue.js'),
        import('../../render/personalize-issue.js'),
        import('../../subscribers/recipient.js'),
        import('../../deliver/message-id-for.js'),
        import('../../deliver/build-message.js'),
        import('../../render/copy-recipient.js'),
        import('../../issue/plan-readers.js'),
        import('../../issue/describe-reader-copy.js'),
      ]);
      // The same issue `send` would send now: issue history applied, or the frozen one once sent.
      let compiled;
      if (opts.weekly !== undefined) {
        const { prepareWeeklyIssue } = await import('../../issue/prepare-weekly-issue.js');
        const weekly = await prepareWeeklyIssue(app, opts.weekly);
        if (!weekly.frozen && weekly.dailyIssues.length === 0) throw new InputError(`--weekly ${opts.weekly}: no daily issue of that week is stored, so there is no week to render`, 'see the archive or paperpost bounces list for the issues sent');
        compiled = weekly.compiled;
      } else {
        // No source: the one `send` would take (DIGEST_SOURCE), so the two show the same issue.
        compiled = (await prepareIssue(app, await ingest(source ?? c.digestSource, opts))).compiled;
      }
      // The subscriber's own copy, or a reader of every topic whose links point to /manage.
      let reader: ReturnType<typeof previewReader> = previewReader();
      if (opts.subscriber !== undefined) {
        let email: string;
        try {
          email = normalizeEmail(opts.subscriber);
        } catch (e) {
          throw new InputError(`--subscriber ${(e as Error).message}`, 'give the address of a subscriber, such as ada@example.org (see paperpost subscribers list)');
        }
        const found = await app.store().getSubscriberByEmail(email);
        if (!found) throw new InputError(`--subscriber ${opts.subscriber}: no such subscriber`, 'see paperpost subscribers list');
        // Their copy still renders (what they would get back), but a send does not mail them: say so, as /admin does.
        if (found.status !== 'active') err(`warning: ${found.email} is ${found.status}: they get no issues now (send does not mail them)`);
        // Their plan as a send makes it: picks and order from their signals and topics.
        reader = { ...found, plan: await planOne(compiled, app, found) };
      }
      const recipient = copyRecipient(c, compiled, reader);
      const copy = personalizeIssue(compiled, recipient);
      if (!copy) throw new InputError(`--subscriber ${recipient.email} follows none of this issue's topics and has no picks in it, so they would get no email`, 'pick another subscriber or change their themes');
      if (opts.json) {
        const described = describeReaderCopy(compiled, reader.themes, reader.plan ?? { picks: [], scores: null });
        out(JSON.stringify({ ...described, subscriber: reader.email, subject: copy.subject }, null, 2));
        if (opts.out === undefined) return;
      }
      const outDir = opts.out!;
      const messageId = messageIdFor(c, compiled.id, reader.id ?? 0);
      const eml = createMessageBuilder({ issueId: compiled.id, from: c.mailFrom, listId: c.listId, unsubscribeMailto: c.unsubscribeMailto })({
        to: recipient.email, toName: recipient.name, subject: copy.subject, html: copy.html, text: copy.text, messageId, unsubscribeUrl: recipient.unsubscribeUrl, date: new Date(),
      });
      const dir = path.resolve(outDir);
      try {
        ensureDir(dir);
      } catch (e) {
        throw new InputError(`--out ${outDir}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'choose a directory you can write to');
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
          throw new InputError(`--out ${outDir}: cannot write ${name} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'choose a directory you can write to');
        }
      }
      for (const w of compiled.warnings) err(`warning: ${w}`);
      // With --json, stdout is the JSON alone.
      const say = opts.json ? err : out;
      say(`rendered issue ${compiled.id} for ${recipient.email}: "${copy.subject}"`);
      for (const [name, data] of files) say(`  ${path.join(dir, name)}  ${kb(Buffer.byteLength(data))}`);
      // The pre-send checks, as the gate before `send` runs them (issue #22); not with --json, whose stdout is the JSON alone.
      if (!opts.json) await printCopyChecks({ compiled, copy, eml, unsubscribeUrl: recipient.unsubscribeUrl }, { checkLinks: opts.checkLinks, timeoutMs: c.http.timeoutMs });
    }, { orInMemory: opts.subscriber === undefined && opts.weekly === undefined });
  });
}
