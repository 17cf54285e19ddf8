/**
 * `paperpost serve`: the web pages (subscribe, confirm, preferences, unsubscribe, archive,
 * feeds) and the operator preview at /admin, until SIGTERM/SIGINT. Warns when PUBLIC_URL,
 * which every link in an email starts with, would not lead to this server.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { config, err, out, shutdownSignal, warnSecret } from '../context.js';
import { isLoopbackHost } from '../../web/security/is-loopback-host.js';
import { requireDkimKey } from '../../read-dkim-key.js';

/** Registers `serve`. */
export function registerServeCommand(program: Command): void {
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
      // The preview's test button sends: a DKIM key that cannot sign stops serve at start.
      requireDkimKey(c);
      const { createApp } = await import('../../app.js');
      const app = createApp(c);
      for (const line of await app.migrateData()) err(`note: ${line}`);
      const { startWebServer } = await import('../../web/start-web-server.js');
      const server = await startWebServer(app, o).catch(async (e: unknown) => {
        await app.close();
        throw e;
      });
      // Links in emails are built from PUBLIC_URL: say so when they would miss this server.
      const pub = new URL(c.publicUrl);
      const pubPort = pub.port || (pub.protocol === 'https:' ? '443' : '80');
      const port = new URL(server.url).port;
      if ((pub.port !== '' || isLoopbackHost(pub.hostname)) && pubPort !== port) {
        err(`warning: PUBLIC_URL names port ${pubPort} but serve listens on port ${port}, so links in emails (confirm, unsubscribe, preferences) point to port ${pubPort}; set PUBLIC_URL to where readers reach this server`);
      }
      if (isLoopbackHost(pub.hostname) && !isLoopbackHost(o.host)) {
        err(`warning: PUBLIC_URL names this machine (${pub.hostname}) but serve listens on ${o.host} for others, so links in emails open only on the reader's own machine; set PUBLIC_URL to this server's public address`);
      }
      // Listening on every address: say so, with the address that works from this machine.
      const everywhere = o.host === '0.0.0.0' || o.host === '::';
      out(`serving on ${everywhere ? `every address (${o.host}), port ${port}: ${server.url} from this machine` : server.url} (operator pages: ${server.url}/admin)`);
      const signal = shutdownSignal();
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      await server.close();
      await app.close();
    });
}
