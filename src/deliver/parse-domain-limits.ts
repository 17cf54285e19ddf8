/**
 * SMTP_DOMAIN_LIMITS: the rate and concurrency of the domain pacer's queues
 * (create-domain-pacer.ts) where the defaults do not fit, e.g. "gmail:10/s,outlook:5/s".
 *
 * Each entry is `QUEUE:RATE/UNIT[:CONCURRENT]`, entries separated by commas:
 * - QUEUE: a provider group (gmail, outlook, yahoo: see group-domain.ts), a domain
 *   (example.org), or `*` for every other queue;
 * - RATE/UNIT: messages per second, minute or hour (10/s, 300/min, 5000/h); 0 means no rate;
 * - CONCURRENT: at most this many messages to that queue at once (1 to 1000; default: no cap
 *   of the queue's own, the pool's connections are the cap).
 *
 * A bad entry is a user's mistake: parseDomainLimits throws a one-line message that config.ts
 * reports with the variable's name (exit 2). So is an entry that would never apply, which
 * would otherwise look like a limit in force: a bare word that is no queue ("gmial"), a domain
 * of a provider group ("googlemail.com": its queue is gmail, and only gmail's entry is read),
 * and a rate of 0 with no concurrency and no `*` entry to differ from (the default already).
 */
import { PROVIDER_GROUPS } from './group-domain.js';

/** How fast one queue may go. */
export interface QueueLimit {
  /** Messages per second; 0 is no limit (until a server asks for less). */
  ratePerSec: number;
  /** Messages at once. */
  concurrency: number;
}

/** Messages at once to one queue unless configured: no cap of its own (the pool's connections are the cap). */
export const DEFAULT_CONCURRENCY = Infinity;

/** Every queue's limit unless SMTP_DOMAIN_LIMITS says otherwise: no rate, DEFAULT_CONCURRENCY at once. */
export const DEFAULT_QUEUE_LIMIT: QueueLimit = { ratePerSec: 0, concurrency: DEFAULT_CONCURRENCY };

/** The limits by queue name (`*`: every queue not named). */
export type DomainLimits = ReadonlyMap<string, QueueLimit>;

/** A domain name: labels and dots, ending in a name of two letters or more. */
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;
const QUEUE_NAMES = [...Object.keys(PROVIDER_GROUPS), '*'].join(', ');
/** The provider group of each of its domain names. */
const GROUP_OF = new Map(Object.entries(PROVIDER_GROUPS).flatMap(([group, names]) => names.map((n) => [n, group] as const)));

const PER: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };
const ENTRY = /^([a-z0-9*](?:[a-z0-9.-]*[a-z0-9])?|\*):(\d+(?:\.\d+)?)\/([a-z]+)(?::(\d+))?$/;

/** Parses SMTP_DOMAIN_LIMITS; throws an Error whose message says what is wrong, in one line. */
export function parseDomainLimits(text: string): DomainLimits {
  const limits = new Map<string, QueueLimit>();
  const written = new Map<string, string>();
  let entries = 0;
  for (const raw of text.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    entries++;
    const m = ENTRY.exec(entry);
    const per = m ? PER[m[3]!] : undefined;
    if (!m || per === undefined) throw new Error(`entries such as "gmail:10/s,outlook:300/min:5" (QUEUE:RATE/s|min|h[:CONCURRENT]); "${raw.trim()}" is not one`);
    const concurrency = m[4] === undefined ? DEFAULT_CONCURRENCY : Number(m[4]);
    if (m[4] !== undefined && (concurrency < 1 || concurrency > 1000)) throw new Error(`a concurrency from 1 to 1000; "${raw.trim()}" has ${concurrency}`);
    const queue = m[1]!;
    if (queue !== '*' && !(queue in PROVIDER_GROUPS) && !DOMAIN.test(queue)) {
      throw new Error(`queues that exist; "${raw.trim()}" names "${queue}", neither a queue (${QUEUE_NAMES}) nor a domain such as example.org`);
    }
    const group = GROUP_OF.get(queue);
    if (group !== undefined) {
      throw new Error(`a provider's domains under its queue; "${raw.trim()}" would never apply, as ${queue} is in the ${group} queue: write ${group}${entry.slice(queue.length)}`);
    }
    if (limits.has(queue)) throw new Error(`each queue once; "${queue}" is given twice`);
    limits.set(queue, { ratePerSec: Number(m[2]) / per, concurrency });
    written.set(queue, raw.trim());
  }
  // 0 is no rate, which every queue has unless `*` gives one: alone, such an entry changes nothing.
  for (const [queue, limit] of limits) {
    if (limit.ratePerSec === 0 && limit.concurrency === DEFAULT_CONCURRENCY && (queue === '*' || !limits.has('*'))) {
      throw new Error(`a rate above 0; "${written.get(queue)}" is no rate, which every queue has already: leave it out, give a rate, or cap its concurrency (${queue}:0/s:5)`);
    }
  }
  // Commas and nothing else ("," or " , "): a value that limits nothing, most likely a slip.
  if (entries === 0 && text.trim() !== '') throw new Error(`entries such as "gmail:10/s,outlook:300/min:5" (QUEUE:RATE/s|min|h[:CONCURRENT]); "${text.trim()}" has none (unset it for no limits)`);
  return limits;
}

/** The limit of one queue: its own entry, else `*`'s, else the default. */
export const limitOf = (limits: DomainLimits, queue: string): QueueLimit => limits.get(queue) ?? limits.get('*') ?? DEFAULT_QUEUE_LIMIT;
