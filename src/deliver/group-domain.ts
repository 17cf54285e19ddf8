/**
 * Which queue of the domain pacer (create-domain-pacer.ts) a recipient belongs to. The big
 * providers throttle per provider, not per domain name: gmail.com and googlemail.com are one
 * Gmail, outlook.com, hotmail.com, live.com and msn.com one Outlook.com, and Yahoo has a
 * dozen names. So those names share one queue, with one rate, and a 421 from any of them
 * slows them all. Every other domain is its own queue.
 *
 * With SMTP_MX_GROUPS=true, a domain that is none of those names is looked up once (its MX,
 * through the resolver the caller injects): a company domain whose mail Google Workspace or
 * Microsoft 365 takes joins the gmail or outlook queue. A lookup that fails or times out leaves
 * the domain on its own.
 */
import { resolveMx } from 'node:dns/promises';

/** The provider groups, by the names their users' addresses end with. */
export const PROVIDER_GROUPS: Readonly<Record<string, readonly string[]>> = {
  gmail: ['gmail.com', 'googlemail.com'],
  outlook: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'hotmail.it', 'live.co.uk', 'live.fr', 'outlook.fr', 'outlook.de'],
  yahoo: [
    'yahoo.com',
    'ymail.com',
    'rocketmail.com',
    'yahoo.co.uk',
    'yahoo.co.in',
    'yahoo.co.jp',
    'yahoo.fr',
    'yahoo.de',
    'yahoo.es',
    'yahoo.it',
    'yahoo.ca',
    'yahoo.com.au',
    'yahoo.com.br',
    'aol.com',
  ],
};

/** MX host suffixes of the providers that take mail for other people's domains. */
const MX_GROUPS: readonly (readonly [suffix: string, group: string])[] = [
  ['google.com', 'gmail'],
  ['googlemail.com', 'gmail'],
  ['outlook.com', 'outlook'],
  ['protection.outlook.com', 'outlook'],
  ['yahoodns.net', 'yahoo'],
];

const BY_DOMAIN = new Map<string, string>(Object.entries(PROVIDER_GROUPS).flatMap(([group, names]) => names.map((n) => [n, group] as const)));

/** The receiving domain of an address, lower case ('' when it has none). */
export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).toLowerCase();
}

/** The queue a domain belongs to by its name alone: a provider group's name, or the domain itself. */
export function groupOfDomain(domain: string): string {
  return BY_DOMAIN.get(domain) ?? domain;
}

/** The provider group of a domain's MX hosts, or null. */
export function groupOfMxHosts(hosts: readonly string[]): string | null {
  for (const host of hosts) {
    const h = host.toLowerCase().replace(/\.$/, '');
    for (const [suffix, group] of MX_GROUPS) if (h === suffix || h.endsWith('.' + suffix)) return group;
  }
  return null;
}

/** Looks up a domain's MX host names (node:dns/promises resolveMx, mapped to the exchanges). */
export type MxResolver = (domain: string) => Promise<string[]>;

/** The resolver the run uses with SMTP_MX_GROUPS=true: the system's DNS. */
export const dnsMxResolver: MxResolver = async (domain) => (await resolveMx(domain)).map((r) => r.exchange);

/**
 * Groups domains, learning the groups of MX lookups as they come back: `now(domain)` answers
 * at once (null while a lookup is under way), `later(domain)` waits for it.
 */
export interface DomainGrouper {
  /** The group, or null when the MX lookup for it is still under way. */
  now(domain: string): string | null;
  /** The group once known. */
  later(domain: string): Promise<string>;
}

/** Builds the grouper; with no resolver, groups by name alone. */
export function createDomainGrouper(resolveMx?: MxResolver, timeoutMs = 5000): DomainGrouper {
  const known = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  const lookUp = (domain: string): Promise<string> => {
    let p = pending.get(domain);
    if (!p) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), timeoutMs)));
      p = Promise.race([resolveMx!(domain).catch(() => []), timeout])
        .then((hosts) => groupOfMxHosts(hosts) ?? domain)
        .then((group) => {
          clearTimeout(timer);
          known.set(domain, group);
          pending.delete(domain);
          return group;
        });
      pending.set(domain, p);
    }
    return p;
  };
  return {
    now(domain) {
      const byName = known.get(domain) ?? BY_DOMAIN.get(domain);
      if (byName !== undefined) return byName;
      if (!resolveMx || domain === '') return domain;
      void lookUp(domain);
      return null;
    },
    later(domain) {
      return Promise.resolve(this.now(domain) ?? lookUp(domain));
    },
  };
}
