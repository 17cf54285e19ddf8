/**
 * `paperpost serve`: the web pages (subscribe, confirm, preferences, unsubscribe, archive,
 * feeds) and the operator preview at /admin, until SIGTERM/SIGINT.
 */
import { Option, type Command } from 'commander';
import { createApp } from '../../app.js';
import { UsageError } from '../../errors.js';
import { config, out, shutdownSignal, warnSecret } from '../context.js';

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
      const app = createApp(c);
      const { startWebServer } = await import('../../web/start-web-server.js');
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
}
