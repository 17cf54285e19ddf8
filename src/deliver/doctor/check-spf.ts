/**
 * SPF, evaluated as a receiving server would: for the relay's own address(es) against each
 * envelope domain paperpost sends from (MAIL_FROM's domain, and BOUNCE_DOMAIN's, which carries
 * the VERP Return-Path when set). mailauth does the RFC 7208 evaluation; this module only turns
 * its verdict into one line and, when the record is missing or leaves the relay out, the record
 * to publish.
 */
import { isIP } from 'node:net';
import { spf } from 'mailauth';
import { isNoRecord, type CheckResult, type Resolver } from './doctor-check.js';

/** The relay as seen from outside: its host name and the addresses it resolves to. */
export interface RelayAddress {
  host: string;
  ips: string[];
}

/**
 * 1. A literal address is its own answer.
 * 2. Otherwise A and AAAA through the resolver; no address at all is a failure (returned as
 *    a message, since nothing else can then be evaluated).
 */
export async function resolveRelay(host: string, resolver: Resolver): Promise<RelayAddress | string> {
  if (isIP(host)) return { host, ips: [host] };
  const ips: string[] = [];
  for (const type of ['A', 'AAAA']) {
    try {
      ips.push(...((await resolver(host, type)) as string[]));
    } catch (e) {
      if (!isNoRecord(e)) return `cannot resolve the relay ${host}: ${(e as Error).message}`;
    }
  }
  return ips.length ? { host, ips } : `the relay ${host} has no A or AAAA record`;
}

const mechanism = (ip: string) => (isIP(ip) === 6 ? `ip6:${ip}` : `ip4:${ip}`);

/** The record that would let `ips` send: the existing one with the mechanisms added before its `all`, or a new one. */
function suggestedRecord(existing: string | undefined, ips: string[]): string {
  const add = ips.map(mechanism).join(' ');
  if (!existing) return `v=spf1 ${add} ~all`;
  const m = /\s[-~?+]?all\b|\sredirect=/i.exec(existing);
  return m ? `${existing.slice(0, m.index)} ${add}${existing.slice(m.index)}` : `${existing} ${add}`;
}

/** One SPF check for one envelope domain; `passed` is true when every relay address passes. */
export async function checkSpf(domain: string, relay: RelayAddress, resolver: Resolver): Promise<CheckResult & { passed: boolean }> {
  const name = `SPF ${domain}`;
  const failing: string[] = [];
  let verdict = 'pass';
  let rr: string | undefined;
  let comment = '';
  for (const ip of relay.ips) {
    // 1. Evaluate as the receiving server does, with an address at the domain as MAIL FROM.
    const r = await spf({ sender: `postmaster@${domain}`, ip, helo: relay.host, mta: 'paperpost-doctor', resolver: resolver as never });
    rr = rr ?? r.rr;
    if (r.status.result !== 'pass') {
      failing.push(ip);
      verdict = r.status.result;
      comment = r.status.comment ?? '';
    }
  }
  const at = `relay ${relay.host}${relay.host === relay.ips.join() ? '' : ` (${relay.ips.join(', ')})`}`;
  // 2. One line per verdict; the record to publish where the relay is not allowed.
  if (verdict === 'pass') return { name, status: 'ok', passed: true, message: `pass for the ${at}` };
  const publish = `${domain} TXT "${suggestedRecord(rr, failing)}"`;
  switch (verdict) {
    case 'none':
      return { name, status: 'failure', passed: false, message: `no SPF record at ${domain}`, publish };
    case 'neutral':
      return { name, status: 'warning', passed: false, message: `neutral for the ${at}: the record neither allows nor refuses it`, publish };
    case 'fail':
    case 'softfail':
      return { name, status: 'failure', passed: false, message: `${verdict} for the ${at}: the record does not allow ${failing.join(', ')}`, publish };
    default:
      return { name, status: 'failure', passed: false, message: `${verdict} for the ${at}${comment ? `: ${comment}` : ''}`, ...(verdict === 'permerror' ? { publish } : {}) };
  }
}
