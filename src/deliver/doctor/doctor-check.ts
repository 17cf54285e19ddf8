/**
 * What every check of `paperpost doctor` returns and takes, kept in one place so each check
 * stays a small function of its own narrow inputs. A check never throws for a setup problem:
 * it says ok, warning or failure in one line, and names the DNS record to publish when one is
 * missing, so an operator can fix the sending domain from the output alone.
 */

/** How one check came out. A failure makes the doctor exit 1. */
export type CheckStatus = 'ok' | 'warning' | 'failure';

export interface CheckResult {
  /** Short name of what was checked: "SPF example.org", "DKIM", "relay". */
  name: string;
  status: CheckStatus;
  /** One line: what was found. Never holds a secret. */
  message: string;
  /** The record to publish (or fix), as `name TYPE "value"`, when one is missing or wrong. */
  publish?: string;
}

/**
 * A DNS lookup like node:dns/promises' `resolve(name, rrtype)`: TXT answers as arrays of
 * strings, A/AAAA as strings, MX as { exchange, priority }. A name without such records
 * rejects with code ENOTFOUND or ENODATA. The same function is handed to mailauth, so tests
 * inject a zone and never touch the network.
 */
export type Resolver = (name: string, rrtype: string) => Promise<unknown[]>;

/** True when a lookup error means "no such record" rather than a DNS failure. */
export const isNoRecord = (e: unknown) => ['ENOTFOUND', 'ENODATA', 'ENOENT'].includes((e as { code?: string }).code ?? '');

/** The domain of an address such as `Name <a@b.org>` or `a@b.org`, lowercased. */
export function domainOf(address: string): string {
  const bare = address.match(/<([^>]+)>/)?.[1] ?? address;
  return (bare.split('@').pop() ?? '').trim().toLowerCase();
}
