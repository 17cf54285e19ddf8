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
}

export interface RelayPicker {
  pick(): RelayState;
  failed(relay: RelayState): void;
  succeeded(relay: RelayState): void;
  /** True when a relay other than `relay` is not drained. */
  anotherHealthy(relay: RelayState): boolean;
}

/** Builds the picker; `random` and `now` are injected so a test can drive them. */
export function createRelayPicker(list: Relay[], pauseMs = RELAY_PAUSE_MS, random = Math.random, now = () => performance.now()): RelayPicker {
  const relays: RelayState[] = list.map((r) => ({ ...r, failsInRow: 0, drainedUntil: 0 }));
  const healthy = (r: RelayState, t: number) => r.drainedUntil <= t;
  return {
    // 1.
    pick() {
      if (relays.length === 1) return relays[0]!;
      const t = now();
      const up = relays.filter((r) => healthy(r, t));
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
    anotherHealthy(relay) {
      const t = now();
      return relays.some((r) => r !== relay && healthy(r, t));
    },
  };
}
