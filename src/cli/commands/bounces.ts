/**
 * `paperpost bounces serve|fetch|list`: bounces and complaints that arrive after the send.
 * `serve` is the SMTP endpoint for BOUNCE_DOMAIN's MX, `fetch` reads the IMAP mailbox at
 * BOUNCE_IMAP_URL once (run it from cron), and `list` shows what came back, per issue and
 * per event. The README's "Bounces and complaints" section says how to set each up.
 */
import { Option, type Command } from 'commander';
import { ConfigError, InputError, PaperpostError, UsageError } from '../../errors.js';
import { isLoopbackHost } from '../../web/security/is-loopback-host.js';
import { redactSecrets } from '../../redact-secrets.js';
import { isIsoDate } from '../../ingest/to-iso-date.js';
import { config, err, out, shutdownSignal, withApp } from '../context.js';

const parsePort = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${JSON.stringify(v)} is not a port number`, 'use a number from 0 to 65535, e.g. --port 2525');
  return n;
};
const parseSince = (v: string) => {
  const days = /^(\d{1,4})d$/.exec(v);
  if (days) return new Date(Date.now() - Number(days[1]) * 86_400_000).toISOString();
  // A real calendar day, as digest --date takes it: 2025-02-30 is refused, not read as March 2.
  if (!isIsoDate(v.slice(0, 10)) || Number.isNaN(Date.parse(v))) throw new UsageError(`--since ${JSON.stringify(v)} is not a date`, 'use YYYY-MM-DD, an ISO time, or a number of days such as 7d');
  return new Date(Date.parse(v)).toISOString();
};

/** Registers `bounces` and its subcommands. */
export function registerBouncesCommand(program: Command): void {
  const cmd = program.command('bounces').description('bounces and complaints that arrive after the send (VERP, DSNs, complaint reports, webhooks)');

  cmd
    .command('serve')
    .description("the SMTP endpoint for BOUNCE_DOMAIN's MX: takes delivery status notifications and complaint reports, until stopped")
    .addOption(new Option('--port <n>', 'TCP port (an MX is reached on 25; forward it, or run as a user allowed to bind it)').default(2525).argParser(parsePort))
    .option('--host <host>', 'address to listen on (0.0.0.0 for the MX)', '127.0.0.1')
    .action(async (o: { port: number; host: string }) => {
      const c = config();
      if (!c.bounces.domain) throw new InputError('BOUNCE_DOMAIN is not set, so no message carries a bounce address to come back to', 'set BOUNCE_DOMAIN (for example bounces.example.org) and point its MX at this server');
      const domain = c.bounces.domain;
      // A bounce address carries a token signed with SECRET_KEY: with the public development key anyone could forge one and bounce any reader.
      if (!isLoopbackHost(o.host) && c.secretKeyIsDefault) {
        throw new ConfigError(
          [`SECRET_KEY must be set to take bounces on ${o.host}: bounce addresses would be checked against the public development key, so anyone could forge one and mark any reader bounced`],
          'set SECRET_KEY to the one the sends use (openssl rand -hex 32 for a new one)',
        );
      }
      await withApp(
        async (app) => {
          const { startBounceServer } = await import('../../bounces/start-bounce-server.js');
          const server = await startBounceServer({
            store: app.store(),
            secretKey: c.secretKey,
            bounceDomain: domain,
            rules: { softBounceLimit: c.bounces.softBounceLimit, softBounceDays: c.bounces.softBounceDays },
            port: o.port,
            host: o.host,
            log: (line) => err(redactSecrets(line)),
          }).catch((e: NodeJS.ErrnoException) => {
            throw new InputError(`cannot listen on ${o.host}:${o.port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EACCES' ? 'permission denied' : e.message}`, 'choose another --port or --host');
          });
          out(`taking bounces for @${domain} on ${server.url}`);
          const signal = shutdownSignal();
          await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
          await server.close();
        },
        { create: true },
      );
    });

  cmd
    .command('fetch')
    .description('read the bounce mailbox at BOUNCE_IMAP_URL once: apply bounces and complaints, move them to BOUNCE_PROCESSED_FOLDER, leave the rest')
    .action(async () => {
      const c = config();
      if (!c.bounces.imapUrl) throw new InputError('BOUNCE_IMAP_URL is not set', 'set it to the mailbox bounces arrive in, e.g. imaps://user:pass@imap.example.org/INBOX');
      const url = c.bounces.imapUrl;
      await withApp(async (app) => {
        const { fetchBounceMailbox, BounceMailboxError } = await import('../../bounces/fetch-bounce-mailbox.js');
        let r;
        try {
          r = await fetchBounceMailbox({
            store: app.store(),
            url,
            processedFolder: c.bounces.processedFolder,
            secretKey: c.secretKey,
            bounceDomain: c.bounces.domain,
            rules: { softBounceLimit: c.bounces.softBounceLimit, softBounceDays: c.bounces.softBounceDays },
          });
        } catch (e) {
          // Only the mailbox's own failures are blamed on BOUNCE_IMAP_URL; a database error says what it is.
          if (!(e instanceof BounceMailboxError)) throw e;
          throw new PaperpostError('BOUNCES', `cannot read the bounce mailbox ${redactSecrets(url)}: ${redactSecrets(e.message)}`, { hint: 'check BOUNCE_IMAP_URL (user, password, host, port, mailbox)', exitCode: 1 });
        }
        for (const line of r.lines) err(line);
        out(`bounce mailbox: ${r.seen} message(s), ${r.processed} processed and moved to ${c.bounces.processedFolder}, ${r.left} left where they were${r.tooBig ? ` (${r.tooBig} over the size limit)` : ''}`);
      });
    });

  cmd
    .command('list')
    .description('what came back: per issue accepted, bounced (hard, soft), complaints and the complaint rate; then each event')
    .option('--since <when>', 'only events since YYYY-MM-DD, an ISO time, or a number of days (7d)', '30d')
    .option('--json', 'print JSON')
    .action(async (o: { since: string; json?: boolean }) => {
      const since = parseSince(o.since);
      await withApp(async (app) => {
        const { issueMailHealth, percent, complaintWarning } = await import('../../bounces/complaint-rates.js');
        const store = app.store();
        const issues = (await store.listIssueIds()).filter((i) => i.createdAt >= since || (i.sentAt ?? '') >= since).map((i) => i.id);
        const health = await issueMailHealth(store, issues);
        const events = await store.listMailEvents({ since });
        const emails = new Map<number, string>();
        for (const e of events) if (e.subscriberId !== null && !emails.has(e.subscriberId)) emails.set(e.subscriberId, (await store.getSubscriberById(e.subscriberId))?.email ?? '?');
        if (o.json) {
          out(JSON.stringify({ since, issues: health, events: events.map((e) => ({ ...e, email: e.subscriberId !== null ? emails.get(e.subscriberId) : null })) }, null, 2));
          return;
        }
        out('issue        accepted  hard  soft  complaints  rate');
        for (const h of health) out(`${h.issueId}  ${String(h.accepted).padStart(8)}  ${String(h.hard).padStart(4)}  ${String(h.soft).padStart(4)}  ${String(h.complaints).padStart(10)}  ${percent(h.complaintRate)}${h.overLine ? '  over 0.3%' : ''}`);
        out('');
        for (const e of events) {
          const who = e.subscriberId !== null ? emails.get(e.subscriberId) : (e.recipient ?? 'nobody');
          out(`${e.receivedAt}  ${e.source.padEnd(15)}  ${(e.type + (e.severity ? `/${e.severity}` : '')).padEnd(14)}  ${e.outcome.padEnd(12)}  ${e.issueId ?? '-'}  ${who}  ${e.status ?? ''} ${(e.diagnostic ?? '').slice(0, 80)}`);
        }
        err(`${events.length} event(s) since ${since}`);
        for (const h of health) if (h.overLine) err(`warning: ${complaintWarning(h)}`);
      });
    });
}
