/**
 * What every command shares: output, the configuration (loaded once, .env included), the
 * application wired for one command, reading a digest, and the shutdown signal. Kept here
 * so a command file holds only what is its own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { createRequire } from 'node:module';
import type Dotenv from 'dotenv';
import { loadConfig, type Config } from '../config.js';
import type { App } from '../app.js';
import type { Transport } from '../deliver/transport.js';
import { requireDkimKey } from '../read-dkim-key.js';
import type { DigestFormat } from '../ingest/ingest-digest.js';
import type { Digest } from '../types.js';

/** Prints a line on stdout (the command's result). */
export const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
/** Prints a line on stderr (warnings, notes, errors). */
export const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');

/**
 * The lines of a .env file that dotenv would silently skip: anything that is not blank, a
 * comment or NAME=value (a value in quotes may run over several lines). Only the line numbers
 * are reported, never the text, which may hold a secret.
 */
function badEnvLines(text: string): number[] {
  const bad: number[] = [];
  let open: string | null = null;
  text.split(/\r?\n/).forEach((line, i) => {
    if (open) {
      if (line.includes(open)) open = null;
      return;
    }
    if (/^\s*(#.*)?$/.test(line)) return;
    const m = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*(['"`]?)(.*)$/.exec(line);
    if (!m) return void bad.push(i + 1);
    if (m[1] && !m[2]!.includes(m[1])) open = m[1];
  });
  return bad;
}

let cachedConfig: Config | undefined;
/** Loads .env (the environment wins) and validates configuration once per process; a .env that cannot be read is a ConfigError. */
export function config(): Config {
  if (!cachedConfig) {
    if (existsSync('.env')) {
      let text: string;
      try {
        text = readFileSync('.env', 'utf8');
      } catch (e) {
        // A directory, or a file this user may not read: bad configuration, one line (never its contents).
        const code = (e as NodeJS.ErrnoException).code;
        throw new ConfigError([`.env cannot be read: ${code === 'EISDIR' ? 'it is a directory, not a file' : (code ?? (e as Error).message)}`], 'make .env a file of NAME=value lines, or remove it');
      }
      const bad = badEnvLines(text);
      if (bad.length) throw new ConfigError(bad.map((n) => `.env:${n}: not NAME=value (a line dotenv would skip)`));
      // dotenv is loaded only when there is a .env to read (start-up, issue #23).
      (createRequire(import.meta.url)('dotenv') as typeof Dotenv).config({ quiet: true });
    }
    cachedConfig = loadConfig(process.env);
  }
  return cachedConfig;
}

/**
 * Runs `fn` with the application wired from the configuration, and closes it however `fn`
 * ends. Only commands that start a list pass `create: true`; the others refuse a missing
 * database instead of creating an empty one.
 */
export async function withApp<T>(fn: (app: App) => Promise<T>, options: { create?: boolean; orInMemory?: boolean; transport?: Transport } = {}): Promise<T> {
  let c = config();
  // A preview (render) works before any database exists: with an empty one in memory.
  if (options.orInMemory && c.databasePath !== ':memory:' && !existsSync(c.databasePath)) c = { ...c, databasePath: ':memory:' };
  // The application (store, drivers, transports) is loaded when a command first needs it, not at start-up.
  let app: App;
  try {
    const { createApp } = await import('../app.js');
    app = createApp(c, { createDatabase: options.create ?? false, transport: options.transport });
  } catch (e) {
    await options.transport?.close();
    throw e;
  }
  try {
    for (const line of await app.migrateData()) err(`note: ${line}`);
    return await fn(app);
  } finally {
    await app.close();
  }
}

/**
 * The SMTP transport of a run that will send, with its first connection opening now, while the
 * application loads and the issue is prepared (issue #23: a send reaches its server within
 * 0.4 s); undefined without SMTP_URL (the outbox) or with `dryRun` (nothing is sent, so nothing
 * connects; the DKIM key is read either way). Hand it to withApp, whose app owns and closes it: a run that ends up sending
 * nothing closes the connection it opened (QUIT).
 */
export async function openTransportEarly(dryRun: boolean | undefined): Promise<Transport | undefined> {
  const c = config();
  // A DKIM key that cannot sign stops every send, a dry run and a test copy too (read-dkim-key.ts).
  requireDkimKey(c);
  if (dryRun || !c.smtpUrl) return undefined;
  const { createSmtpTransport } = await import('../smtp-transport.js');
  const transport = createSmtpTransport(c);
  transport.warmUp?.();
  return transport;
}

/** Warns when links would be signed with the development key. */
export const warnSecret = (c: Config) => {
  if (c.secretKeyIsDefault) err('warning: SECRET_KEY is not set; links are signed with the development key (set SECRET_KEY before sending real mail)');
};

/** Bytes as kilobytes with one decimal, as the CLI prints sizes. */
export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The options of every command that reads a digest. */
export interface DigestOpts {
  format?: DigestFormat;
  date?: string;
}

/** Reads a digest with the configured HTTP limits and prints its warnings. */
export async function ingest(source: string, opts: DigestOpts): Promise<Digest> {
  const c = config();
  // The stages pull in MJML and friends (a second of start-up), so commands load them when they run.
  const { ingestDigest } = await import('../ingest/ingest-digest.js');
  const result = await ingestDigest(source, { format: opts.format, date: opts.date, timeoutMs: c.http.timeoutMs, retries: c.http.retries });
  for (const w of result.warnings) err(`warning: ${w.position}: ${w.message}`);
  return result.digest;
}

let controller: AbortController | undefined;
/** An AbortSignal raised by the first SIGINT/SIGTERM; a second one exits at once. */
export function shutdownSignal(): AbortSignal {
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
