/**
 * Configuration: every environment variable paperpost reads, validated once at start-up.
 * Problems are collected and thrown together (one ConfigError, one line per variable),
 * so an operator fixes a bad .env in one pass. .env.example documents each variable.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { validate as ValidateCron } from 'node-cron';
import type ProxyAddr from 'proxy-addr';
import { ConfigError } from './errors.js';
import { redactSecrets } from './redact-secrets.js';
import { bool, emailish, httpUrl, intIn, numIn, parsedBy, wholeNumber } from './config-fields.js';
import { firstDuplicate, isSourceUrl, SOURCE_SEPARATOR, splitSourceList } from './ingest/split-source-list.js';
import { parseDomainLimits, type DomainLimits } from './deliver/parse-domain-limits.js';
import { parseRelayList, type RelayUrl } from './deliver/parse-relay-list.js';
import { parseRate } from './deliver/create-guardrail.js';

/**
 * node-cron and proxy-addr check CRON_SCHEDULE and TRUST_PROXY only when they are set, so they
 * are loaded (CommonJS, on the spot) only then: every command reads the configuration first,
 * and start-up is kept short (issue #23).
 */
const load = createRequire(import.meta.url);
const validateCron: typeof ValidateCron = (expression) => (load('node-cron') as { validate: typeof ValidateCron }).validate(expression);

/**
 * Where paperpost is installed: the folder with package.json, content/ and templates/ (this
 * file is src/config.ts, or dist/config.js once built). The topic map and the templates that
 * ship with paperpost are read from here, wherever paperpost runs from.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The version that runs (package.json's), for `--version` and /healthz. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The topic map that ships with paperpost, used unless TOPICS_FILE names another (or is off). */
export const SHIPPED_TOPICS_FILE = path.join(PACKAGE_ROOT, 'content', 'topics.yml');
/** The templates that ship with paperpost, used unless TEMPLATES_DIR names others. */
export const SHIPPED_TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
/** The TOPICS_FILE value that turns the topic map off (day-by-day clusters, as before topics). */
export const TOPICS_OFF = 'off';
/** The SUBSCRIBERS_SEED value that seeds nothing, and the example list seeded when it is unset. */
export const SEED_OFF = 'off';
const DEFAULT_SEED = 'content/subscribers.csv';

/** Variables whose values are never echoed back in an error. */
const SECRET_KEYS = new Set(['SECRET_KEY', 'ADMIN_TOKEN', 'POSTMARK_WEBHOOK_PASSWORD', 'POSTMARK_WEBHOOK_TOKEN', 'MAILGUN_WEBHOOK_SIGNING_KEY']);

/** The secret used when none is configured and mail only goes to the outbox. */
export const DEV_SECRET_KEY = 'paperpost-dev-secret-do-not-use-in-production';

/**
 * A PostgreSQL URL paperpost accepts: postgres:// or postgresql://, a host, and the database
 * named in the path (the server's default database is never guessed). Query parameters such
 * as sslmode pass through to the driver.
 */
function isPostgresUrl(v: string): boolean {
  if (!/^postgres(?:ql)?:\/\/[^/\s]+\/[^/?#\s]+/i.test(v) || !URL.canParse(v)) return false;
  const url = new URL(v);
  // A database name with a bare "%" (not %25) does not decode: not a URL paperpost can use.
  let database: string;
  try {
    database = decodeURIComponent(url.pathname.slice(1));
  } catch {
    return false;
  }
  return url.hostname !== '' && database !== '';
}

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .refine(
      (v) => (v.startsWith('sqlite:') && v.length > 'sqlite:'.length) || isPostgresUrl(v),
      'sqlite:PATH (for example sqlite:data/paperpost.db) or postgres://USER@HOST[:PORT]/DATABASE (with a password: USER:PASSWORD; a "%" in any part written %25)',
    )
    .default('sqlite:data/paperpost.db'),
  SMTP_URL: parsedBy((v) => (parseRelayList(v), v)).optional(),
  SMTP_POOL_SIZE: intIn(1, 100).default(5),
  SMTP_DOMAIN_LIMITS: parsedBy(parseDomainLimits).optional(),
  SMTP_MX_GROUPS: bool.default(false),
  SEND_RATE_PER_SEC: numIn(0, 100_000).default(0),
  SEND_MAX_ATTEMPTS: intIn(1, 20).default(4),
  SEND_RETRY_BASE_MS: intIn(1, 600_000).default(1000),
  SEND_RETRY_MAX_MS: intIn(1, 3_600_000).default(300_000),
  MAX_HARD_BOUNCE_RATE: parsedBy(parseRate).optional(),
  SEND_BATCH_SIZE: intIn(10, 100_000).default(500),
  SEND_CLAIM_LEASE_SECONDS: intIn(2, 43_200).default(120),
  SEND_CHECKS: z.enum(['fail', 'warn'], { error: '"fail" or "warn"' }).default('fail'),
  DKIM_DOMAIN: z.string().trim().optional(),
  DKIM_SELECTOR: z.string().trim().optional(),
  DKIM_PRIVATE_KEY_PATH: z.string().trim().optional(),
  OUTBOX_DIR: z.string().trim().min(1).default('out/outbox'),
  MAIL_FROM: emailish.default('paperpost <paperpost@localhost>'),
  LIST_ID: z.string().trim().optional(),
  UNSUBSCRIBE_MAILTO: z
    .string()
    .trim()
    .refine((v) => /^[^\s@<>]+@[^\s@<>]+$/.test(v), 'an address such as unsubscribe@example.org')
    .optional(),
  PUBLIC_URL: httpUrl.default('http://127.0.0.1:8080'),
  SECRET_KEY: z.string().min(16, 'at least 16 characters of random text (openssl rand -hex 32)').optional(),
  DIGEST_SOURCE: z.string().trim().min(1).default('content/digests'),
  SUBSCRIBERS_SEED: z.string().trim().optional(),
  TEMPLATES_DIR: z.string().trim().min(1).optional(),
  THEMES_FILE: z.string().trim().default('content/themes.yml'),
  TOPICS_FILE: z.string().trim().optional(),
  THEME_THRESHOLD: numIn(0.01, 0.99).default(0.12),
  THEME_MAX: intIn(1, 50).default(10),
  THEME_MIN_SIZE: intIn(2, 100).default(2),
  MAX_PAPERS: wholeNumber(1, Number.MAX_SAFE_INTEGER, 'a whole number of 1 or more').default(30),
  PICKS: intIn(0, 50).default(5),
  SEND_EMPTY: bool.default(false),
  REPEATS: z.enum(['still-trending', 'drop'], { error: '"still-trending" or "drop"' }).default('still-trending'),
  CATCH_UP_HOURS: numIn(0, 48).default(6),
  FETCH_ATTEMPTS: intIn(1, 10).default(3),
  CRON_SCHEDULE: z
    .string()
    .trim()
    .refine((v) => validateCron(v), 'a cron expression such as "0 7 * * *"')
    .default('0 7 * * *'),
  TZ: z
    .string()
    .trim()
    .refine((v) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: v });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Europe/Berlin or UTC')
    .default('UTC'),
  HTTP_TIMEOUT_MS: intIn(100, 600_000).default(15_000),
  HTTP_RETRIES: intIn(0, 10).default(3),
  ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  // Off, a hop count, or proxy addresses/ranges/presets. "true" (trust every hop) is refused:
  // it would let any client choose its own address.
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((v, ctx): TrustProxy | undefined => {
      if (/^(?:false|off|no)$/i.test(v)) return undefined;
      if (/^\d{1,2}$/.test(v)) return Number(v) || undefined;
      const list = v.split(',').map((s) => s.trim()).filter(Boolean);
      try {
        (load('proxy-addr') as typeof ProxyAddr).compile(list);
        if (list.length > 0) return list;
      } catch {
        // Not an address, range or preset ("true" among them): reported below.
      }
      ctx.addIssue({ code: 'custom', message: 'a hop count such as 1, or proxy addresses such as loopback or 10.0.0.0/8, comma-separated' });
      return z.NEVER;
    })
    .optional(),
  BOUNCE_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(v), 'a domain such as bounces.example.org (its MX points at paperpost bounces serve)')
    .optional(),
  BOUNCE_IMAP_URL: z
    .string()
    .trim()
    .refine((v) => /^imaps?:\/\/[^/\s]+/i.test(v) && URL.canParse(v), 'imaps://user:pass@host[:993][/mailbox] or imap://…')
    .optional(),
  BOUNCE_PROCESSED_FOLDER: z.string().trim().min(1).default('paperpost-processed'),
  SOFT_BOUNCE_LIMIT: intIn(1, 100).default(3),
  SOFT_BOUNCE_DAYS: intIn(1, 365).default(15),
  SES_SNS_TOPIC_ARNS: z.string().trim().optional(),
  POSTMARK_WEBHOOK_USER: z.string().trim().optional(),
  POSTMARK_WEBHOOK_PASSWORD: z.string().trim().optional(),
  POSTMARK_WEBHOOK_TOKEN: z.string().trim().min(16, 'at least 16 characters').optional(),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().trim().optional(),
  MAILGUN_WEBHOOK_SIGNING_KEY: z.string().trim().optional(),
});

/**
 * Which reverse proxies in front of `serve` are trusted to name the client: a hop count (the
 * first N addresses, counting from the socket's peer), or addresses, CIDR ranges and
 * proxy-addr's presets (loopback, linklocal, uniquelocal).
 */
export type TrustProxy = number | string[];

/** Validated configuration, with paths resolved against the working directory. */
export interface Config {
  /** Which store DATABASE_URL selects: SQLite (the default) or PostgreSQL. */
  database: 'sqlite' | 'postgres';
  /** The SQLite file (or ':memory:'); empty with PostgreSQL. */
  databasePath: string;
  /** The PostgreSQL connection URL as given in DATABASE_URL (a secret: it holds the password); undefined with SQLite. */
  postgresUrl: string | undefined;
  smtpUrl: string | undefined;
  /** SMTP_URL's relays (one or several, separated by commas, with ?weight=N: parse-relay-list.ts); empty for the outbox. */
  smtpRelays: RelayUrl[];
  smtpPoolSize: number;
  /** SMTP_DOMAIN_LIMITS: the rate and concurrency of each receiving domain's or provider's queue, where not the default. */
  smtpDomainLimits: DomainLimits;
  /** SMTP_MX_GROUPS: domains whose MX is Google's or Microsoft's share the gmail or outlook queue. */
  smtpMxGroups: boolean;
  sendRatePerSec: number;
  sendMaxAttempts: number;
  /** First backoff delay between attempts; it doubles each time, with jitter. */
  sendRetryBaseMs: number;
  /** The longest backoff, and the longest wait a server may ask for within one run. */
  sendRetryMaxMs: number;
  /** MAX_HARD_BOUNCE_RATE as a fraction: above it in a run's last 1,000 outcomes, the run stops. */
  maxHardBounceRate: number;
  /**
   * Several senders on one issue (PostgreSQL): subscribers are claimed in batches of
   * `batchSize` ids, and a claim whose process stops renewing it is lost after `leaseSeconds`.
   */
  sendClaims: { batchSize: number; leaseSeconds: number };
  /** The pre-send checks before `send` and each scheduled run: an error stops the send (`fail`), or is only printed (`warn`). */
  sendChecks: 'fail' | 'warn';
  dkim: { domainName: string; keySelector: string; privateKeyPath: string } | undefined;
  outboxDir: string;
  mailFrom: string;
  listId: string;
  unsubscribeMailto: string | undefined;
  publicUrl: string;
  secretKey: string;
  /** True when SECRET_KEY was not set and the dev default is in use. */
  secretKeyIsDefault: boolean;
  /**
   * Where digests come from: one source, or several separated by commas (their papers merged
   * into one issue; see ingest/merge-digests.ts). Local paths are absolute.
   */
  digestSource: string;
  /**
   * The CSV a new, empty database is seeded from while mail goes to the outbox (SUBSCRIBERS_SEED);
   * null when it is `off`. Unset, the example list, which may be absent (then nothing is seeded).
   */
  subscribersSeed: string | null;
  /** TEMPLATES_DIR, or the templates that ship with paperpost (in the package, not the working directory). */
  templatesDir: string;
  themesFile: string;
  /**
   * The topic map: TOPICS_FILE (which must exist), or the map that ships with paperpost (in
   * the package, not the working directory). null when TOPICS_FILE=off: papers are then
   * grouped by day-by-day clusters, and paperpost says so when the map is turned off.
   */
  topicsFile: string | null;
  themes: { threshold: number; maxThemes: number; minSize: number };
  /** Send an issue even when the digest has no papers. */
  sendEmpty: boolean;
  /** Papers sent in an earlier issue: listed under "Still trending", or left out. */
  repeats: 'still-trending' | 'drop';
  /** The length budget of a reader's copy: at most this many papers (the issue and the web keep all). */
  maxPapers: number;
  /** "Picked for you" (issue #20): at most this many papers at the top of a reader's copy, counted in maxPapers; 0: none. */
  picks: number;
  /** How late a missed scheduled run may still be caught up, in hours. */
  catchUpHours: number;
  /** Attempts at fetching the digest within one scheduled run. */
  fetchAttempts: number;
  cronSchedule: string;
  timeZone: string;
  http: { timeoutMs: number; retries: number };
  adminToken: string | undefined;
  /** Reverse proxies whose X-Forwarded-For/Forwarded headers name the client; undefined: none (the headers are ignored). */
  trustProxy: TrustProxy | undefined;
  /** Bounces: VERP envelope senders at this domain, the IMAP mailbox, the rules and the providers' webhook credentials. */
  bounces: {
    domain: string | undefined;
    imapUrl: string | undefined;
    processedFolder: string;
    softBounceLimit: number;
    softBounceDays: number;
    ses: { topicArns: string[] } | undefined;
    postmark: { username?: string; password?: string; token?: string } | undefined;
    sendgrid: { publicKey: string } | undefined;
    mailgun: { signingKey: string } | undefined;
  };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads and validates configuration from `env` (normally process.env after dotenv).
 * Throws one ConfigError listing every problem. Empty strings count as unset, so a
 * copied .env.example with blank values behaves like no .env at all.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '?');
      // A secret's value is never shown, and a URL's password is masked.
      const shown = raw[key] === undefined || SECRET_KEYS.has(key) ? undefined : redactSecrets(raw[key]!, []);
      const given = shown === undefined ? '' : ` (got ${JSON.stringify(shown.length > 60 ? shown.slice(0, 57) + '...' : shown)})`;
      problems.push(`${key} must be ${issue.message}${given}`);
    }
  }
  const v = parsed.success ? parsed.data : undefined;
  if (v) {
    if (v.SMTP_URL && !v.SECRET_KEY) {
      problems.push('SECRET_KEY must be set when SMTP_URL is set (it signs unsubscribe links; openssl rand -hex 32)');
    }
    if (splitSourceList(v.DIGEST_SOURCE).length === 0) {
      problems.push(`DIGEST_SOURCE must name a source (or several, separated by "${SOURCE_SEPARATOR}") (got ${JSON.stringify(v.DIGEST_SOURCE)})`);
    }
    const twice = firstDuplicate(splitSourceList(v.DIGEST_SOURCE), (s) => (isSourceUrl(s) ? s : path.resolve(cwd, s)));
    if (twice !== null) problems.push(`DIGEST_SOURCE names ${JSON.stringify(twice)} twice; name each source once`);
    if (v.TOPICS_FILE !== undefined && v.TOPICS_FILE.toLowerCase() !== TOPICS_OFF && !isFile(path.resolve(cwd, v.TOPICS_FILE))) {
      problems.push(
        `TOPICS_FILE names no file: ${path.resolve(cwd, v.TOPICS_FILE)} (unset it for the topic map paperpost ships, or set it to ${TOPICS_OFF} for day-by-day clusters)`,
      );
    }
    // A seed named but missing would leave a new database empty without a word: say so (off: no seed).
    if (v.SUBSCRIBERS_SEED !== undefined && v.SUBSCRIBERS_SEED.toLowerCase() !== SEED_OFF && !isFile(path.resolve(cwd, v.SUBSCRIBERS_SEED))) {
      problems.push(`SUBSCRIBERS_SEED names no file: ${path.resolve(cwd, v.SUBSCRIBERS_SEED)} (set it to ${SEED_OFF} to start with no subscribers, or unset it for the example list ${DEFAULT_SEED})`);
    }
    if (v.SEND_RETRY_BASE_MS > v.SEND_RETRY_MAX_MS) {
      problems.push(`SEND_RETRY_BASE_MS must be at most SEND_RETRY_MAX_MS, the longest wait (got ${v.SEND_RETRY_BASE_MS} and ${v.SEND_RETRY_MAX_MS})`);
    }
    const dkimSet = [v.DKIM_DOMAIN, v.DKIM_SELECTOR, v.DKIM_PRIVATE_KEY_PATH].filter(Boolean).length;
    if (dkimSet > 0 && dkimSet < 3) {
      problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH must be set together, or none of them');
    }
  }
  // One value can fail two checks with the same words (99999999999999999: not whole, too big): one line.
  if (problems.length > 0 || !v) throw new ConfigError([...new Set(problems)]);

  const abs = (p: string) => path.resolve(cwd, p);
  const fromAddress = v.MAIL_FROM.match(/<([^>]+)>/)?.[1] ?? v.MAIL_FROM;
  const domain = fromAddress.split('@')[1] ?? 'localhost';
  return {
    ...(v.DATABASE_URL.startsWith('sqlite:')
      ? {
          database: 'sqlite' as const,
          databasePath: v.DATABASE_URL === 'sqlite::memory:' ? ':memory:' : abs(v.DATABASE_URL.slice('sqlite:'.length)),
          postgresUrl: undefined,
        }
      : { database: 'postgres' as const, databasePath: '', postgresUrl: v.DATABASE_URL }),
    smtpUrl: v.SMTP_URL,
    smtpRelays: v.SMTP_URL ? parseRelayList(v.SMTP_URL) : [],
    smtpPoolSize: v.SMTP_POOL_SIZE,
    smtpDomainLimits: v.SMTP_DOMAIN_LIMITS ?? new Map(),
    smtpMxGroups: v.SMTP_MX_GROUPS,
    sendRatePerSec: v.SEND_RATE_PER_SEC,
    sendMaxAttempts: v.SEND_MAX_ATTEMPTS,
    sendRetryBaseMs: v.SEND_RETRY_BASE_MS,
    sendRetryMaxMs: v.SEND_RETRY_MAX_MS,
    maxHardBounceRate: v.MAX_HARD_BOUNCE_RATE ?? 0.05,
    sendClaims: { batchSize: v.SEND_BATCH_SIZE, leaseSeconds: v.SEND_CLAIM_LEASE_SECONDS },
    sendChecks: v.SEND_CHECKS,
    dkim:
      v.DKIM_DOMAIN && v.DKIM_SELECTOR && v.DKIM_PRIVATE_KEY_PATH
        ? { domainName: v.DKIM_DOMAIN, keySelector: v.DKIM_SELECTOR, privateKeyPath: abs(v.DKIM_PRIVATE_KEY_PATH) }
        : undefined,
    outboxDir: abs(v.OUTBOX_DIR),
    mailFrom: v.MAIL_FROM,
    listId: v.LIST_ID ?? `paperpost.${domain}`,
    unsubscribeMailto: v.UNSUBSCRIBE_MAILTO,
    publicUrl: v.PUBLIC_URL,
    secretKey: v.SECRET_KEY ?? DEV_SECRET_KEY,
    secretKeyIsDefault: v.SECRET_KEY === undefined,
    digestSource: splitSourceList(v.DIGEST_SOURCE)
      .map((s) => (isSourceUrl(s) ? s : abs(s)))
      .join(SOURCE_SEPARATOR),
    subscribersSeed: v.SUBSCRIBERS_SEED?.toLowerCase() === SEED_OFF ? null : abs(v.SUBSCRIBERS_SEED ?? DEFAULT_SEED),
    templatesDir: v.TEMPLATES_DIR === undefined ? SHIPPED_TEMPLATES_DIR : abs(v.TEMPLATES_DIR),
    themesFile: abs(v.THEMES_FILE),
    topicsFile: v.TOPICS_FILE === undefined ? SHIPPED_TOPICS_FILE : v.TOPICS_FILE.toLowerCase() === TOPICS_OFF ? null : abs(v.TOPICS_FILE),
    themes: { threshold: v.THEME_THRESHOLD, maxThemes: v.THEME_MAX, minSize: v.THEME_MIN_SIZE },
    sendEmpty: v.SEND_EMPTY,
    repeats: v.REPEATS,
    maxPapers: v.MAX_PAPERS,
    picks: v.PICKS,
    catchUpHours: v.CATCH_UP_HOURS,
    fetchAttempts: v.FETCH_ATTEMPTS,
    cronSchedule: v.CRON_SCHEDULE,
    timeZone: v.TZ,
    http: { timeoutMs: v.HTTP_TIMEOUT_MS, retries: v.HTTP_RETRIES },
    adminToken: v.ADMIN_TOKEN,
    trustProxy: v.TRUST_PROXY,
    bounces: {
      domain: v.BOUNCE_DOMAIN,
      imapUrl: v.BOUNCE_IMAP_URL,
      processedFolder: v.BOUNCE_PROCESSED_FOLDER,
      softBounceLimit: v.SOFT_BOUNCE_LIMIT,
      softBounceDays: v.SOFT_BOUNCE_DAYS,
      ses: v.SES_SNS_TOPIC_ARNS ? { topicArns: v.SES_SNS_TOPIC_ARNS.split(/[\s,]+/).filter(Boolean) } : undefined,
      postmark:
        v.POSTMARK_WEBHOOK_TOKEN || v.POSTMARK_WEBHOOK_USER
          ? { username: v.POSTMARK_WEBHOOK_USER, password: v.POSTMARK_WEBHOOK_PASSWORD, token: v.POSTMARK_WEBHOOK_TOKEN }
          : undefined,
      sendgrid: v.SENDGRID_WEBHOOK_PUBLIC_KEY ? { publicKey: v.SENDGRID_WEBHOOK_PUBLIC_KEY } : undefined,
      mailgun: v.MAILGUN_WEBHOOK_SIGNING_KEY ? { signingKey: v.MAILGUN_WEBHOOK_SIGNING_KEY } : undefined,
    },
  };
}
