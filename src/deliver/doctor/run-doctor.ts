/**
 * `paperpost doctor`'s checks in order, from narrow settings (no Config, no store): whether
 * mail from this setup would be accepted and authenticated by receivers, and whether bounces
 * and unsubscribe links can reach paperpost. Each check is one line; the caller prints them
 * and exits 1 when any failed. DNS goes through one resolver (node's by default), so tests
 * inject a zone and never touch the network.
 */
import { promises as dns } from 'node:dns';
import { checkBounceMx } from './check-bounce-mx.js';
import { checkDkimKey, type DkimSettings } from './check-dkim-key.js';
import { checkDmarc } from './check-dmarc.js';
import { checkPublicUrl } from './check-public-url.js';
import { checkRelay } from './check-relay.js';
import { checkSpf, resolveRelay } from './check-spf.js';
import { parseRelayList } from '../parse-relay-list.js';
import { domainOf, type CheckResult, type Resolver } from './doctor-check.js';

export interface DoctorSettings {
  /** MAIL_FROM: its domain is the one SPF, DKIM and DMARC must cover. */
  mailFrom: string;
  /** SMTP_URL (one relay or several: the first is checked); unset means the outbox, and nothing to check on the relay. */
  smtpUrl: string | undefined;
  /** BOUNCE_DOMAIN: the envelope (Return-Path) domain when set. */
  bounceDomain: string | undefined;
  dkim: DkimSettings | undefined;
  publicUrl: string;
}

export interface DoctorOptions {
  resolver?: Resolver;
  timeoutMs?: number;
  /** Extra trusted CA for the relay and PUBLIC_URL (tests). */
  ca?: string | Buffer;
}

const defaultResolver: Resolver = (name, type) => dns.resolve(name, type) as Promise<unknown[]>;

/**
 * 1. The relay's addresses (SMTP_URL's host, A/AAAA; with several relays, the first's).
 * 2. SPF for MAIL_FROM's domain and BOUNCE_DOMAIN, against those addresses.
 * 3. The DKIM key.
 * 4. DMARC, with what passed in 2 and 3.
 * 5. BOUNCE_DOMAIN's MX.
 * 6. The relay's EHLO, TLS and AUTH.
 * 7. PUBLIC_URL.
 */
export async function runDoctor(settings: DoctorSettings, options: DoctorOptions = {}): Promise<CheckResult[]> {
  const resolver = options.resolver ?? defaultResolver;
  const fromDomain = domainOf(settings.mailFrom);
  const envelopeDomain = settings.bounceDomain ?? fromDomain;
  const results: CheckResult[] = [];
  // SMTP_URL may list several relays (config has checked the list): the first is the one checked.
  const relays = settings.smtpUrl ? parseRelayList(settings.smtpUrl) : [];
  const smtpUrl = relays[0]?.url;
  // 1.
  let relay: Awaited<ReturnType<typeof resolveRelay>> | undefined;
  if (smtpUrl) {
    relay = await resolveRelay(hostOf(smtpUrl), resolver);
    if (typeof relay === 'string') results.push({ name: 'relay address', status: 'failure', message: relay });
  } else {
    results.push({ name: 'relay', status: 'warning', message: 'SMTP_URL is not set: messages go to the outbox, so SPF and the relay are not checked' });
  }
  // 2.
  const spfDomains: string[] = [];
  if (relay && typeof relay !== 'string') {
    for (const domain of [...new Set([fromDomain, envelopeDomain])]) {
      const r = await checkSpf(domain, relay, resolver);
      if (r.passed) spfDomains.push(domain);
      results.push(strip(r));
    }
  }
  // 3.
  let dkimDomain: string | undefined;
  if (settings.dkim) {
    const r = await checkDkimKey(settings.dkim, fromDomain, resolver);
    if (r.passed) dkimDomain = settings.dkim.domain;
    results.push(strip(r));
  } else {
    results.push({ name: 'DKIM', status: 'failure', message: 'no DKIM key configured: set DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH (openssl genrsa -out dkim.pem 2048), then run doctor again for the record to publish' });
  }
  // 4. Only the envelope domain's SPF counts for alignment: it is what receivers see in MAIL FROM.
  results.push(await checkDmarc({ fromDomain, spfDomains: spfDomains.filter((d) => d === envelopeDomain), dkimDomain }, resolver));
  // 5.
  if (settings.bounceDomain) results.push(await checkBounceMx(settings.bounceDomain, resolver));
  // 6.
  if (smtpUrl) {
    const host = hostOf(smtpUrl);
    const connectTo = relay && typeof relay !== 'string' && relay.ips[0] !== host ? relay.ips[0] : undefined;
    const r = await checkRelay({ smtpUrl, connectTo, timeoutMs: options.timeoutMs, ca: options.ca });
    results.push(relays.length > 1 ? { ...r, message: `${r.message} (the first of ${relays.length} relays in SMTP_URL; the others are not checked)` } : r);
  }
  // 7.
  results.push(await checkPublicUrl({ publicUrl: settings.publicUrl, timeoutMs: options.timeoutMs, ca: options.ca }));
  return results;
}

/** SMTP_URL's host, an IPv6 literal without its brackets. */
const hostOf = (smtpUrl: string) => new URL(smtpUrl).hostname.replace(/^\[(.*)\]$/, '$1');

/** A check's line without its internal flags. */
function strip({ name, status, message, publish }: CheckResult & { passed?: boolean }): CheckResult {
  return publish ? { name, status, message, publish } : { name, status, message };
}

/** One line per check, as the CLI prints them: `ok      SPF example.org: …`, with `; publish: …` where a record is missing. */
export function formatCheck(r: CheckResult): string {
  const head = `${r.status.padEnd(7)} ${r.name}: ${r.message}`;
  return r.publish ? `${head}; publish: ${r.publish}` : head;
}
