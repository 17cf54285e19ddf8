/**
 * The paperpost command line: parses arguments, loads configuration, runs one command,
 * and turns every error into one line and an exit code (0 ok, 1 runtime failure, 2 bad
 * usage or input). DEBUG=paperpost prints stack traces too.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ensureDir } from '../ensure-dir.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import dotenv from 'dotenv';
import { stringify } from 'csv-stringify/sync';
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from '../config.js';
import { createApp, type App } from '../app.js';
import { InputError, PaperpostError, UsageError } from '../errors.js';
import { DIGEST_FORMATS, type DigestFormat } from '../ingest/ingest-digest.js';
import type { SendReport } from '../issue/send-issue.js';
import type { DeliveryProgress, DeliverySummary } from '../deliver/deliver-issue.js';
import type { DailyJobResult, JobLogger } from '../schedule/run-daily-job.js';
import { parseSubscribersCsv, parseThemeList } from '../subscribers/parse-subscribers-csv.js';
import { normalizeEmail } from '../subscribers/normalize-email.js';
import type { IngestWarning, SubscriberStatus } from '../types.js';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');

let cachedConfig: Config | undefined;
/** Loads .env (the environment wins) and validates configuration once per process. */
function config(): Config {
  if (!cachedConfig) {
    dotenv.config({ quiet: true });
    cachedConfig = loadConfig(process.env);
  }
  return cachedConfig;
}

async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const app = createApp(config());
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const warnSecret = (c: Config) => {
  if (c.secretKeyIsDefault) err('warning: SECRET_KEY is not set; links are signed with the development key (set SECRET_KEY before sending real mail)');
};

const printWarnings = (warnings: IngestWarning[]) => {
  for (const w of warnings) err(`warning: ${w.position}: ${w.message}`);
};

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const parseDate = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v + 'T00:00:00Z'))) throw new UsageError(`--date ${JSON.stringify(v)} is not a date`, 'use YYYY-MM-DD, e.g. --date 2025-12-11');
  return v;
};
const parsePositive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} ${JSON.stringify(v)} is not a positive whole number`, `for example ${name} 10`);
  return n;
};

const formatOption = () => new Option('--format <format>', 'digest format (detected from the content by default)').choices([...DIGEST_FORMATS]);
const dateOption = () => new Option('--date <YYYY-MM-DD>', 'the digest date, when the source does not say').argParser(parseDate);

interface DigestOpts {
  format?: DigestFormat;
  date?: string;
}

// The stages pull in MJML and friends (a second of start-up), so commands load them when they run.
const stages = async () => {
  const [ingestM, outlineM, personalizeM, sendM, buildM] = await Promise.all([
    import('../ingest/ingest-digest.js'),
    import('../topics/format-themes-outline.js'),
    import('../render/personalize-issue.js'),
    import('../issue/send-issue.js'),
    import('../deliver/build-message.js'),
  ]);
  const [prepareM, linksM, messageIdM] = await Promise.all([import('../issue/prepare-issue.js'), import('../subscribers/links-for.js'), import('../deliver/message-id-for.js')]);
  return { ...ingestM, ...outlineM, ...personalizeM, ...sendM, ...buildM, ...prepareM, ...linksM, ...messageIdM };
};

async function ingest(source: string, opts: DigestOpts) {
  const c = config();
  const { ingestDigest } = await stages();
  const result = await ingestDigest(source, { format: opts.format, date: opts.date, timeoutMs: c.http.timeoutMs, retries: c.http.retries });
  printWarnings(result.warnings);
  return result.digest;
}

function describeSend(r: SendReport) {
  if (r.mode === 'not-sent') return `issue ${r.issueId} not sent: ${r.reason}`;
  if (r.mode === 'test') return `sent a test copy of issue ${r.issueId}: "${r.subject}"`;
  if (r.mode === 'dry-run') return `dry run of issue ${r.issueId}: "${r.subject}" (${kb(r.htmlBytes)} HTML) would go to ${r.wouldSend} subscriber(s) now`;
  const s = r.summary!;
  if (s.sent + s.deferred + s.failed === 0 && s.alreadyDone > 0 && s.complete) {
    return `nothing new: issue ${r.issueId} has already gone to all ${s.alreadyDone} active subscriber(s)${s.skipped ? ` (${s.skipped} follow none of its themes)` : ''}`;
  }
  return describeSummary(r.issueId, s);
}

/** The summary line of one delivery run, plus why anything was left over. */
function describeSummary(issueId: string, s: DeliverySummary): string {
  const left = s.total - s.sent - s.failed - s.skipped - s.alreadyDone - s.deferred;
  return (
    `issue ${issueId}: sent ${s.sent}, deferred ${s.deferred}, failed ${s.failed}, skipped ${s.skipped}` +
    ` in ${s.seconds.toFixed(1)} s (${s.perSecond.toFixed(1)} messages/s)` +
    (s.alreadyDone ? `; ${s.alreadyDone} had it from an earlier run` : '') +
    (s.resent ? `; ${s.resent} resent under the same Message-ID after an interrupted attempt` : '') +
    (s.deferred && s.lastError ? `; last error: ${s.lastError}` : '') +
    (s.stoppedEarly && left > 0 ? `; ${left} not tried yet: run it again to send the rest` : '')
  );
}

/**
 * Fills a new, empty database from SUBSCRIBERS_SEED (the example list), so a fresh clone's
 * first send has someone to write to. Only while mail goes to the outbox: a real mail server
 * never gets the example addresses.
 */
async function seedIfEmpty(app: App): Promise<void> {
  const c = app.config;
  const store = app.store();
  if (c.smtpUrl || !existsSync(c.subscribersSeed) || (await store.countSubscribers()) > 0) return;
  const parsed = parseSubscribersCsv(await readFile(c.subscribersSeed, 'utf8'), c.subscribersSeed);
  const r = await store.importSubscribers(parsed.rows);
  for (const x of parsed.rejected) err(`warning: ${c.subscribersSeed}:${x.line}: ${x.reason}`);
  out(`seeded ${r.added} subscriber(s) from ${path.relative(process.cwd(), c.subscribersSeed)} into ${path.relative(process.cwd(), c.databasePath)}`);
}

/** A progress bar on a terminal (sent/total, rate, time left); nothing otherwise. */
function progressBar(): { update: (p: DeliveryProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'sending {bar} {value}/{total} | {rate}/s | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let begun = false;
  return {
    update(p) {
      if (!begun) {
        bar.start(p.total, 0, { rate: '0' });
        started = performance.now();
        begun = true;
      }
      const done = p.sent + p.deferred + p.failed + p.skipped + p.alreadyDone;
      bar.update(done, { rate: (p.sent / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(0) });
    },
    stop: () => begun && bar.stop(),
  };
}

/** Runs `fn` with a progress bar on a terminal, removed however `fn` ends. */
async function withProgress<T>(fn: (onProgress: (p: DeliveryProgress) => void) => Promise<T>): Promise<T> {
  const bar = progressBar();
  try {
    return await fn((p) => bar.update(p));
  } finally {
    bar.stop();
  }
}

/** The daily job once (`run`, `schedule --once`); sets the exit code: 1 while deliveries are left. */
async function runJobOnce(app: App, log: JobLogger): Promise<DailyJobResult> {
  const { runDailyJob } = await import('../schedule/run-daily-job.js');
  const result = await withProgress((onProgress) => runDailyJob(app, { log, signal: shutdownSignal(), onProgress: (_id, p) => onProgress(p) }));
  process.exitCode = result.outcome === 'incomplete' ? 1 : 0;
  return result;
}

function describeJob(r: DailyJobResult): string[] {
  const lines = r.summaries.map(({ issueId, summary }) => describeSummary(issueId, summary));
  if (r.outcome !== 'sent' || lines.length === 0) lines.push(`${r.outcome === 'nothing-new' ? 'nothing new' : r.outcome}: ${r.detail}`);
  return lines;
}

/** The send exit code: 0 only when nobody is left deferred or unsent. */
const sendExitCode = (r: SendReport) => (r.summary && !r.summary.complete ? 1 : 0);

function buildProgram(): Command {
  const program = new Command('paperpost')
    .description("Turns each day's trending ML papers into a themed email newsletter and sends it to subscribers.")
    .version(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string)
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // One line: commander's message plus where to look, naming the command that was run.
      outputError: (s, write) => {
        const commands = new Set(['digest', 'themes', 'render', 'send', 'run', 'subscribers', 'schedule', 'serve', 'add', 'import', 'list', 'remove', 'export']);
        const words: string[] = [];
        for (const a of process.argv.slice(2)) {
          if (!commands.has(a) || /unknown command/.test(s)) break;
          words.push(a);
        }
        write(`${s.trimEnd()} — see ${['paperpost', ...words, '--help'].join(' ')}\n`);
      },
    })
    .exitOverride();

  program
    .command('digest')
    .description('read a digest and print it normalized')
    .argument('<source>', 'a file, a directory (its newest digest), an http(s) URL, - for stdin, or hf:YYYY-MM-DD / hf:latest')
    .addOption(formatOption())
    .addOption(dateOption())
    .option('--json', 'print the normalized digest as JSON')
    .action(async (source: string, opts: DigestOpts & { json?: boolean }) => {
      const digest = await ingest(source, opts);
      if (opts.json) {
        out(JSON.stringify(digest, null, 2));
        return;
      }
      out(`${digest.source}: ${digest.papers.length} papers, dated ${digest.date ?? 'unknown'}`);
      for (const p of digest.papers) out(`  ${p.upvotes === null ? '   ' : String(p.upvotes).padStart(3)}  ${p.title}`);
    });

  program
    .command('themes')
    .description("group a digest's papers into named themes")
    .argument('<source>', 'a digest source (see paperpost digest --help)')
    .addOption(formatOption())
    .addOption(dateOption())
    .option('--json', 'print the themes as JSON')
    .action(async (source: string, opts: DigestOpts & { json?: boolean }) => {
      const c = config();
      const { groupDigest, formatThemesOutline } = await stages();
      const digest = await ingest(source, opts);
      const themed = groupDigest(c, digest);
      if (opts.json) {
        out(JSON.stringify({ date: themed.date, themes: themed.themes }, null, 2));
        return;
      }
      out(formatThemesOutline(themed));
    });

  program
    .command('render')
    .description('render the issue for a digest to files: email.html, email.txt, subject.txt, email.eml')
    .argument('<source>', 'a digest source (see paperpost digest --help)')
    .requiredOption('--out <dir>', 'directory to write into (created if missing)')
    .option('--subscriber <email>', "render this subscriber's copy (their name, links and themes)")
    .addOption(formatOption())
    .addOption(dateOption())
    .action(async (source: string, opts: DigestOpts & { out: string; subscriber?: string }) => {
      await withApp(async (app) => {
        const c = app.config;
        const { buildIssue, personalizeIssue, linksFor, messageIdFor, createMessageBuilder } = await stages();
        const digest = await ingest(source, opts);
        const compiled = await buildIssue(app, digest);
        let recipient = { id: 0, email: 'reader@example.org', name: null as string | null, themes: null as string[] | null };
        if (opts.subscriber) {
          const found = await app.store().getSubscriberByEmail(normalizeEmail(opts.subscriber));
          if (!found) throw new InputError(`--subscriber ${opts.subscriber}: no such subscriber`, 'see paperpost subscribers list');
          recipient = found;
        }
        const links = recipient.id ? linksFor(c, recipient.id) : { unsubscribeUrl: `${c.publicUrl}/u/preview`, preferencesUrl: `${c.publicUrl}/p/preview` };
        const copy = personalizeIssue(compiled, { ...recipient, ...links });
        if (!copy) throw new InputError(`--subscriber ${recipient.email} follows none of this issue's themes, so they would get no email`, 'pick another subscriber or change their themes');
        const messageId = messageIdFor(c, compiled.id, recipient.id);
        const eml = createMessageBuilder({ issueId: compiled.id, from: c.mailFrom, listId: c.listId, unsubscribeMailto: c.unsubscribeMailto })({
          to: recipient.email, toName: recipient.name, subject: copy.subject, html: copy.html, text: copy.text, messageId, unsubscribeUrl: links.unsubscribeUrl, date: new Date(),
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
        for (const [name, data] of files) await writeFile(path.join(dir, name), data);
        for (const w of compiled.warnings) err(`warning: ${w}`);
        out(`rendered issue ${compiled.id} for ${recipient.email}: "${copy.subject}"`);
        for (const [name, data] of files) out(`  ${path.join(dir, name)}  ${kb(Buffer.byteLength(data))}`);
      });
    });

  const sendOpts = (cmd: Command) =>
    cmd
      .addOption(formatOption())
      .addOption(dateOption())
      .option('--dry-run', 'render and count, send nothing')
      .option('--to <email>', 'send one test copy to this address (not recorded in the ledger)')
      .addOption(new Option('--limit <n>', 'send at most n messages this run').argParser(parsePositive('--limit')));

  sendOpts(
    program
      .command('send')
      .description('deliver the issue for a digest to every active subscriber, exactly once')
      .argument('[source]', 'a digest source; default DIGEST_SOURCE (its newest digest)'),
  ).action(async (source: string | undefined, opts: DigestOpts & { dryRun?: boolean; to?: string; limit?: number }) => {
    if (opts.dryRun && opts.to !== undefined) throw new UsageError('--dry-run sends nothing, and --to sends a test copy: use one of them', 'drop --dry-run to send the test copy');
    await withApp(async (app) => {
      await seedIfEmpty(app);
      warnSecret(app.config);
      const { sendIssue } = await stages();
      const report = await withProgress((onProgress) => sendIssue(app, { ...opts, source, signal: shutdownSignal(), onProgress }));
      for (const w of report.warnings) err(`warning: ${w.position}: ${w.message}`);
      for (const w of report.renderWarnings) err(`warning: ${w}`);
      out(describeSend(report));
      if (!app.config.smtpUrl && report.mode !== 'dry-run' && report.mode !== 'not-sent') {
        out(`outbox: ${path.join(path.relative(process.cwd(), app.config.outboxDir), report.issueId)}/ (SMTP_URL is not set, so messages are written here; open index.html in a browser)`);
      }
      process.exitCode = sendExitCode(report);
    });
  });

  program
    .command('run')
    .description('the daily job once: finish earlier issues, then take the newest digest in DIGEST_SOURCE, group, render and deliver it')
    .action(async () => {
      await withApp(async (app) => {
        const c = app.config;
        warnSecret(c);
        await seedIfEmpty(app);
        const quiet = { info: () => {}, warn: (_o: object, m: string) => err(`warning: ${m}`), error: (_o: object, m: string) => err(`error: ${m}`) };
        const result = await runJobOnce(app, quiet);
        for (const line of describeJob(result)) out(line);
        if (!c.smtpUrl && result.summaries.length > 0) {
          for (const { issueId } of result.summaries) out(`outbox: ${path.join(path.relative(process.cwd(), c.outboxDir), issueId)}/ (open index.html in a browser)`);
        }
      });
    });

  program
    .command('schedule')
    .description('run the daily job at CRON_SCHEDULE in TZ until stopped (SIGTERM/SIGINT stop it cleanly)')
    .option('--once', 'run the job once now and exit (for system cron, CI, a Kubernetes CronJob)')
    .addOption(new Option('--next <n>', 'print the next n run times and exit').argParser(parsePositive('--next')))
    .action(async (opts: { once?: boolean; next?: number }) => {
      if (opts.once && opts.next !== undefined) throw new UsageError('--once runs the job and --next only prints run times: use one of them');
      const c = config();
      if (opts.next !== undefined) {
        const { formatLocalTime } = await import('../schedule/format-local-time.js');
        for (const d of createApp(c).cron().nextRuns(opts.next)) out(formatLocalTime(d, c.timeZone));
        return;
      }
      warnSecret(c);
      const { createLogger } = await import('../schedule/create-logger.js');
      const log = createLogger();
      await withApp(async (app) => {
        await seedIfEmpty(app);
        if (opts.once) {
          const result = await runJobOnce(app, log);
          log.info({ outcome: result.outcome, issueId: result.issueId }, describeJob(result).join('; '));
          return;
        }
        const { runScheduler } = await import('../schedule/run-scheduler.js');
        await runScheduler(app, { log, signal: shutdownSignal() });
      });
    });

  program
    .command('serve')
    .description('the web pages: subscribe, confirm, preferences, unsubscribe, archive, feeds, and the /admin preview')
    .addOption(
      new Option('--port <n>', 'TCP port').default(8080).argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${JSON.stringify(v)} is not a port number`, 'use a number from 0 to 65535, e.g. --port 8080');
        return n;
      }),
    )
    .option('--host <host>', 'address to listen on; anything but loopback needs ADMIN_TOKEN', '127.0.0.1')
    .action(async (o: { port: number; host: string }) => {
      const c = config();
      warnSecret(c);
      const app = createApp(c);
      const { startWebServer } = await import('../web/start-web-server.js');
      const server = await startWebServer(app, o).catch(async (e: unknown) => {
        await app.close();
        throw e;
      });
      out(`serving on ${server.url} (operator pages: ${server.url}/admin)`);
      const signal = shutdownSignal();
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      await server.close();
      await app.close();
    });

  const subs = program.command('subscribers').description('manage the subscriber list');

  subs
    .command('add')
    .description('add a subscriber (active), or update their name and themes')
    .argument('<email>')
    .option('--name <name>', "the subscriber's name")
    .option('--themes <labels>', 'comma-separated theme labels to follow (default: all)')
    .action(async (email: string, opts: { name?: string; themes?: string }) => {
      await withApp(async (app) => {
        let normalized: string;
        try {
          normalized = normalizeEmail(email);
        } catch (e) {
          throw new InputError(`email ${(e as Error).message}`, 'give one address such as ada@example.org');
        }
        const existing = await app.store().getSubscriberByEmail(normalized);
        const { subscriber, created } = await app.store().upsertSubscriber({
          email: normalized,
          name: opts.name === undefined ? undefined : opts.name.replace(/[\r\n]+/g, ' ').trim() || null,
          themes: opts.themes === undefined ? undefined : parseThemeList(opts.themes),
          status: existing && existing.status !== 'active' ? existing.status : 'active',
        });
        out(`${created ? 'added' : 'updated'} ${subscriber.email} (${subscriber.status}${subscriber.themes ? `; themes: ${subscriber.themes.join(', ')}` : '; all themes'})`);
        if (subscriber.themes) {
          // Labels are made afresh each day; warn when recent issues never used one.
          const latest = (await app.store().listIssues())[0];
          if (latest) {
            const recent = new Set((await app.store().recentIssuePapers(latest.id + '~', 7)).map((p) => p.themeLabel.toLowerCase()));
            const unknown = subscriber.themes.filter((t) => !recent.has(t.toLowerCase()));
            if (unknown.length) err(`note: no recent issue had a theme called ${unknown.map((t) => JSON.stringify(t)).join(', ')}; ${subscriber.email} gets an issue only when one of their themes is in it`);
          }
        }
        if (!created && subscriber.status !== 'active') err(`note: ${subscriber.email} is ${subscriber.status}; they will not receive issues until they subscribe again`);
      });
    });

  subs
    .command('import')
    .description('import subscribers from a CSV file with the header email,name,themes (rows become active)')
    .argument('<file>')
    .option('--skip-invalid', 'import the valid rows even when some are rejected')
    .action(async (file: string, opts: { skipInvalid?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
        throw new InputError(`${file}: cannot read the file: ${why}`, 'check the path');
      }
      if (bytes.includes(0)) throw new InputError(`${file}: binary data, not a CSV file`, 'give a CSV file with the header email,name,themes');
      const text = bytes.toString('utf8');
      const parsed = parseSubscribersCsv(text, file);
      for (const r of parsed.rejected) err(`rejected ${file}:${r.line}: ${r.reason}`);
      if (parsed.rejected.length > 0 && !opts.skipInvalid) {
        throw new InputError(`${file}: ${parsed.rejected.length} row(s) rejected; nothing was imported`, 'fix those rows, or pass --skip-invalid to import the rest');
      }
      await withApp(async (app) => {
        const r = await app.store().importSubscribers(parsed.rows);
        for (const s of r.skipped) err(`skipped ${file}:${s.line}: ${s.email} is ${s.reason}`);
        out(`imported ${file}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.skipped.length} skipped, ${parsed.rejected.length} rejected`);
      });
    });

  subs
    .command('list')
    .description('list subscribers')
    .addOption(new Option('--status <status>', 'only this status').choices(['pending', 'active', 'unsubscribed', 'bounced', 'complained']))
    .option('--json', 'print a JSON array')
    .action(async (opts: { status?: SubscriberStatus; json?: boolean }) => {
      await withApp(async (app) => {
        const list = app.store().listSubscribers({ status: opts.status });
        if (opts.json) {
          // Streamed so a long list never sits in memory twice.
          process.stdout.write('[');
          let first = true;
          for await (const s of list) {
            process.stdout.write((first ? '\n  ' : ',\n  ') + JSON.stringify({ email: s.email, name: s.name, status: s.status, themes: s.themes, createdAt: s.createdAt, confirmedAt: s.confirmedAt, unsubscribedAt: s.unsubscribedAt }));
            first = false;
          }
          process.stdout.write(first ? ']\n' : '\n]\n');
          return;
        }
        let n = 0;
        for await (const s of list) {
          out(`${s.email}\t${s.status}\t${s.name ?? ''}\t${s.themes ? s.themes.join(', ') : 'all themes'}`);
          n++;
        }
        err(`${n} subscriber(s)`);
      });
    });

  subs
    .command('remove')
    .description('unsubscribe someone (the record is kept, so a later import cannot re-add them)')
    .argument('<email>')
    .action(async (email: string) => {
      await withApp(async (app) => {
        const s = await app.store().getSubscriberByEmail(email);
        if (!s) throw new InputError(`${email}: no such subscriber`, 'see paperpost subscribers list');
        await app.store().setSubscriberStatus(s.id, 'unsubscribed');
        out(`unsubscribed ${s.email}`);
      });
    });

  subs
    .command('export')
    .description('print every subscriber as CSV')
    .action(async () => {
      await withApp(async (app) => {
        process.stdout.write(stringify([['email', 'name', 'themes', 'status', 'created_at', 'confirmed_at', 'unsubscribed_at']]));
        for await (const s of app.store().listSubscribers()) {
          process.stdout.write(stringify([[s.email, s.name ?? '', s.themes?.join(', ') ?? '', s.status, s.createdAt, s.confirmedAt ?? '', s.unsubscribedAt ?? '']]));
        }
      });
    });

  return program;
}

let controller: AbortController | undefined;
/** An AbortSignal raised by the first SIGINT/SIGTERM; a second one exits at once. */
function shutdownSignal(): AbortSignal {
  if (!controller) {
    const c = new AbortController();
    controller = c;
    const onSignal = (sig: NodeJS.Signals) => {
      if (c.signal.aborted) process.exit(130);
      err(`${sig}: finishing the messages in flight, then stopping (again to quit at once)`);
      c.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return controller.signal;
}

/** Prints an error as one line and returns the exit code. */
function report(e: unknown): number {
  const debug = /\bpaperpost\b/.test(process.env.DEBUG ?? '');
  if (e instanceof CommanderError) {
    // Commander has already printed its message; help and version are not errors.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof PaperpostError) {
    // A list of problems (configuration) gets its hint on a line of its own.
    if (e.message.includes('\n')) err(`error: ${e.message}${e.hint ? `\n  → ${e.hint}` : ''}`);
    else err(`error: ${e.message}${e.hint ? ` — ${e.hint}` : ''}`);
    if (debug) err(e.stack ?? '');
    return e.exitCode;
  }
  err(`error: unexpected failure: ${e instanceof Error ? e.message : String(e)} (this is a bug in paperpost; rerun with DEBUG=paperpost for details)`);
  if (debug && e instanceof Error) err(e.stack ?? '');
  return 1;
}

// `paperpost … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  process.exitCode = report(e);
}
