/**
 * Which relay a new SMTP connection goes to, when SMTP_URL lists several
 * (parse-relay-list.ts): a healthy one, by weight (weight 3 gets three times the connections
 * of weight 1). listmonk picks uniformly and never fails over; Postfix marks a destination
 * dead after a failed cohort. Here:
 *
 * 1. `pick` draws among the relays not drained, by weight. When every relay is drained, the
 *    one whose pause ends first is tried (the run then fails as unreachable, as with one).
 * 2. `failed` counts a connection that could not be opened; RELAY_FAIL_LIMIT in a row drain
 *    the relay for `pauseMs`, after which it is tried again. `succeeded` resets the count.
 * 3. `refused` counts a message the relay refused for now (a 4xx reply). RELAY_FAIL_LIMIT
 *    refusals in a row, for recipients of at least two domains, are the relay's own limit
 *    ("relay rate limit exceeded"), not any one domain's: while another relay is healthy, the
 *    relay is drained as in 2. `accepted` resets the count. With one relay nothing is drained:
 *    there is nowhere else to send.
 */
import type SMTPConnection from 'nodemailer/lib/smtp-connection';

/** Connection failures in a row after which a relay is drained. */
export const RELAY_FAIL_LIMIT = 3;
/** How long a drained relay is left alone unless configured. */
export const RELAY_PAUSE_MS = 30_000;

/** One relay as the pool uses it. */
export interface Relay {
  /** "smtp://host:port": no user, no password. */
  name: string;
  weight: number;
  createConnection: () => SMTPConnection;
  auth?: { user: string; pass: string };
}

/** A relay with its health. */
export interface RelayState extends Relay {
  failsInRow: number;
  drainedUntil: number;
  /** Messages refused for now in a row, and their recipients' domains (3.). */
  refusalsInRow: number;
  refusedDomains: Set<string>;
}

export interface RelayPicker {
  /** A relay to open a connection on; not `avoid` while another is healthy. */
  pick(avoid?: RelayState): RelayState;
  failed(relay: RelayState): void;
  succeeded(relay: RelayState): void;
  /** A message to `domain` refused for now; true when that drained the relay (3.). */
  refused(relay: RelayState, domain: string): boolean;
  /** A message accepted. */
  accepted(relay: RelayState): void;
  /** True when a relay other than `relay` is not drained. */
  anotherHealthy(relay: RelayState): boolean;
}

/** Builds the picker; `random` and `now` are injected so a test can drive them. */
export function createRelayPicker(list: Relay[], pauseMs = RELAY_PAUSE_MS, random = Math.random, now = () => performance.now()): RelayPicker {
  const relays: RelayState[] = list.map((r) => ({ ...r, failsInRow: 0, drainedUntil: 0, refusalsInRow: 0, refusedDomains: new Set<string>() }));
  const healthy = (r: RelayState, t: number) => r.drainedUntil <= t;
  return {
    // 1.
    pick(avoid) {
      if (relays.length === 1) return relays[0]!;
      const t = now();
      let up = relays.filter((r) => healthy(r, t));
      if (avoid && up.some((r) => r !== avoid)) up = up.filter((r) => r !== avoid);
      if (up.length === 0) return relays.reduce((a, b) => (b.drainedUntil < a.drainedUntil ? b : a));
      let x = random() * up.reduce((sum, r) => sum + r.weight, 0);
      for (const r of up) if ((x -= r.weight) < 0) return r;
      return up[up.length - 1]!;
    },
    // 2.
    failed(relay) {
      if (++relay.failsInRow >= RELAY_FAIL_LIMIT) {
        relay.failsInRow = 0;
        relay.drainedUntil = now() + pauseMs;
      }
    },
    succeeded(relay) {
      relay.failsInRow = 0;
    },
    // 3.
    refused(relay, domain) {
      relay.refusalsInRow++;
      relay.refusedDomains.add(domain);
      if (relay.refusalsInRow < RELAY_FAIL_LIMIT || relay.refusedDomains.size < 2 || !this.anotherHealthy(relay)) return false;
      this.accepted(relay);
      relay.drainedUntil = now() + pauseMs;
      return true;
    },
    accepted(relay) {
      relay.refusalsInRow = 0;
      relay.refusedDomains.clear();
    },
    anotherHealthy(relay) {
      const t = now();
      return relays.some((r) => r !== relay && healthy(r, t));
    },
  };
}
