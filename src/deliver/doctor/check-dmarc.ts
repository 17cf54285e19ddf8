/**
 * DMARC: a policy published for the From domain, and mail that aligns with it through SPF (the
 * envelope domain that passed SPF) or DKIM (the signing domain whose key checked out). Gmail,
 * Yahoo and Outlook.com junk or refuse bulk mail without it. mailauth finds the record
 * (falling back to the organisational domain) and decides alignment, relaxed or strict as the
 * record says.
 */
import { dmarc } from 'mailauth';
import type { CheckResult, Resolver } from './doctor-check.js';

export interface DmarcInputs {
  /** MAIL_FROM's domain: what DMARC protects. */
  fromDomain: string;
  /** Envelope domains whose SPF passed for the relay. */
  spfDomains: string[];
  /** The DKIM signing domain, when its published key matched the configured one. */
  dkimDomain: string | undefined;
}

/** 1. Evaluate; 2. one line: none (with a record to publish), not aligned (what to change), or pass. */
export async function checkDmarc(inputs: DmarcInputs, resolver: Resolver): Promise<CheckResult> {
  const name = 'DMARC';
  const d = inputs.fromDomain;
  // 1.
  const r = await dmarc({
    headerFrom: `postmaster@${d}`,
    spfDomains: inputs.spfDomains,
    dkimDomains: inputs.dkimDomain ? [{ domain: inputs.dkimDomain }] : [],
    resolver: resolver as never,
  });
  // 2.
  if (!r || r.status.result === 'none') {
    return { name, status: 'failure', message: `no DMARC record for ${d}`, publish: `_dmarc.${d} TXT "v=DMARC1; p=none; rua=mailto:postmaster@${d}"` };
  }
  if (r.status.result === 'temperror') return { name, status: 'failure', message: `cannot look up _dmarc.${d}: ${(r as { error?: string }).error ?? 'DNS failure'}` };
  const policy = `p=${r.p ?? 'none'}`;
  if (r.status.result !== 'pass') {
    const through = [
      inputs.spfDomains.length ? `SPF passes for ${inputs.spfDomains.join(', ')}` : 'SPF passes for no envelope domain',
      inputs.dkimDomain ? `DKIM signs as ${inputs.dkimDomain}` : 'no valid DKIM signature',
    ].join(', ');
    return {
      name,
      status: 'failure',
      message: `${policy} for ${d}, but mail is not aligned with it: ${through} (sign with DKIM_DOMAIN=${d}, or send from a bounce domain under ${d})`,
    };
  }
  const via = [r.alignment.spf.result ? `SPF (${r.alignment.spf.result})` : '', r.alignment.dkim.result ? `DKIM (${r.alignment.dkim.result})` : ''].filter(Boolean).join(' and ');
  return { name, status: 'ok', message: `${policy} for ${d}, aligned through ${via}` };
}
