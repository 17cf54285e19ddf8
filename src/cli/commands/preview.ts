/**
 * `paperpost preview [<source>] [--port N] [--subscriber EMAIL] [--check-links]`: a local
 * page for people editing templates/ and the topic map. It shows the issue of a digest as a
 * chosen subscriber gets it (375, 600 and 1024 px wide, light or dark, the plain text beside
 * it, the size against Gmail's clip line and the pre-send checks), and reloads it within a
 * second of a save. A template that does not compile shows its error with file:line on the
 * page; the server keeps running. On 127.0.0.1 only, until SIGTERM/SIGINT.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { config, err, ingest, out, shutdownSignal, withApp, type DigestOpts } from '../context.js';
import { addDigestOptions } from '../options.js';

/** How many subscribers' addresses the page offers to choose from. */
const OFFERED_SUBSCRIBERS = 100;

/** Registers `preview`. */
export function registerPreviewCommand(program: Command): void {
  addDigestOptions(
    program
      .command('preview')
      .description('a local preview of the issue that reloads as you edit templates/ or the topic map, with the pre-send checks')
      .argument('[source]', 'a digest source; default DIGEST_SOURCE (its newest digest)'),
  )
    .addOption(
      new Option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one)').default(8081).argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${JSON.stringify(v)} is not a port number`, 'use a number from 0 to 65535, e.g. --port 8081');
        return n;
      }),
    )
    .option('--subscriber <email>', "show this subscriber's copy first (their topics, name and links); the page can pick another")
    .option('--check-links', 'also fetch each link of the copy once and list the broken ones (4xx, 5xx)')
    .action(async (source: string | undefined, opts: DigestOpts & { port: number; subscriber?: string; checkLinks?: boolean }) => {
      const c = config();
      const digest = await ingest(source ?? c.digestSource, opts);
      await withApp(
        async (app) => {
          const [{ createPreviewSession }, { startPreviewServer }, { watchPreviewSources }] = await Promise.all([
            import('../../web/preview/create-preview-session.js'),
            import('../../web/preview/start-preview-server.js'),
            import('../../web/preview/watch-preview-sources.js'),
          ]);
          const session = await createPreviewSession({ app, digest, defaultAs: opts.subscriber, checkLinks: opts.checkLinks });
          const first = await session.view(undefined);
          if (opts.subscriber && first.notes.length) for (const n of first.notes) err(`warning: ${n}`);
          const subscribers = async () => {
            const emails: string[] = [];
            for await (const s of app.store().listSubscribers({ status: 'active' })) {
              emails.push(s.email);
              if (emails.length >= OFFERED_SUBSCRIBERS) break;
            }
            return emails;
          };
          const server = await startPreviewServer({ session, port: opts.port, source: digest.source, subscribers });
          const stopWatching = watchPreviewSources({ templatesDir: c.templatesDir, topicsFile: c.topicsFile }, (what) => {
            void session.rebuild(what).then(() => {
              const error = session.error();
              out(`build ${session.version()} (${what === 'topics' ? 'topic map' : 'templates'} saved): ${error ? `does not compile: ${error}` : 'ok'}`);
            });
          });
          if (first.error) err(`warning: ${first.error}`);
          out(`previewing issue ${first.issueId ?? '(not compiled yet)'} on ${server.url} (templates: ${c.templatesDir}); Ctrl-C to stop`);
          const signal = shutdownSignal();
          await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
          stopWatching();
          await server.close();
        },
        { orInMemory: true },
      );
    });
}
