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
 * 4. `refusedSender`, with several relays: the relay refused the sender or the message for
 *    good (530 authentication required, 554 5.7.1 content policy: whose-refusal.ts), which it
 *    would do to every message. It is drained for the rest of the run (never picked again),
 *    and the message may go through a relay that has not refused it so; only when every relay
 *    has is the refusal the run's to stop for. `policyRefused`: a relay that refused a reader
 *    by policy at RCPT TO (5.7.x, which may be the reader's own rule) while another relay took
 *    that reader's message; RELAY_FAIL_LIMIT in a row (`accepted` resets the count) are the
 *    relay refusing the sender, as above. With one relay nothing is drained. `newRun`
 *    (the transport's `finish`, at each run's end) lets the next run try it again: a
 *    scheduler's transport outlives its runs, and the relay may be fixed by then.
 * 5. `takeNotes`, with several relays: one line per relay that failed connections, was
 *    drained, or refused messages for now that another relay then took (`tookOver`; a relay the
 *    pool stops asking after one or two refusals never reaches the drain) since the last call, naming it by host and port with why (the last failure or
 *    refusal), for the run's summary to warn about; otherwise a dead relay beside a healthy
 *    one would go unnoticed.
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
  /** Since the last takeNotes (4.): connections that failed, times drained and for what, the last failure and refusal. */
  failures: number;
  drained: { connections: number; refusals: number };
  lastWhy: string;
  refusedWhy: string;
  /** Readers in a row it refused by policy at RCPT TO that another relay then took (4.). */
  policyInRow: number;
  /** Why it refused the sender or the message (4.), once it did: drained for the rest of the run. */
  senderRefused: string | null;
  /** Set by `refusedSender` until the next takeNotes: the reply, for its line. */
  senderNote: string | null;
  /** Since the last takeNotes: messages it refused for now that another relay then took (`tookOver`), and the last reply. */
  takenOver: number;
  takenOverWhy: string;
}

export interface RelayPicker {
  /** A relay to open a connection on; not `avoid` while another is healthy. */
  pick(avoid?: RelayState): RelayState;
  /** A connection that could not be opened (or logged in); `why` as the operator should read it, no user or password. */
  failed(relay: RelayState, why?: string): void;
  succeeded(relay: RelayState): void;
  /** A message to `domain` refused for now (`why`: the reply); true when that drained the relay (3.). */
  refused(relay: RelayState, domain: string, why?: string): boolean;
  /** A message accepted. */
  accepted(relay: RelayState): void;
  /** True when a relay other than `relay` is not drained. */
  anotherHealthy(relay: RelayState): boolean;
  /** How many relays there are. */
  readonly size: number;
  /** The relay refused the sender or the message (`why`: the reply); true when a relay is left that has not (4.). Never drains the only relay. */
  refusedSender(relay: RelayState, why: string): boolean;
  /** The relay refused a reader by policy (`why`: the reply) whom another relay then took; true when that left it out for the run (4.). */
  policyRefused(relay: RelayState, why: string): boolean;
  /** Another relay took a message `relay` had refused for now (`why`: its reply): counted for its line (5.). */
  tookOver(relay: RelayState, why: string): void;
  /** A run ended: relays drained for its sake (4.) are picked again by the next. */
  newRun(): void;
  /** The lines about relays that failed or were drained since the last call (5.); none with one relay. */
  takeNotes(): string[];
}

/** Builds the picker; `random` and `now` are injected so a test can drive them. */
export function createRelayPicker(list: Relay[], pauseMs = RELAY_PAUSE_MS, random = Math.random, now = () => performance.now()): RelayPicker {
  const relays: RelayState[] = list.map((r) => ({
    ...r,
    failsInRow: 0,
    drainedUntil: 0,
    refusalsInRow: 0,
    refusedDomains: new Set<string>(),
    failures: 0,
    drained: { connections: 0, refusals: 0 },
    lastWhy: '',
    refusedWhy: '',
    policyInRow: 0,
    senderRefused: null,
    senderNote: null,
    takenOver: 0,
    takenOverWhy: '',
  }));
  /** Drains `relay` until `until`, never shortening a longer drain (one for the run stays). */
  const drain = (relay: RelayState, until: number) => void (relay.drainedUntil = Math.max(relay.drainedUntil, until));
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
    failed(relay, why) {
      relay.failures++;
      if (why) relay.lastWhy = why;
      if (++relay.failsInRow >= RELAY_FAIL_LIMIT) {
        relay.failsInRow = 0;
        drain(relay, now() + pauseMs);
        relay.drained.connections++;
      }
    },
    succeeded(relay) {
      relay.failsInRow = 0;
    },
    // 3.
    refused(relay, domain, why) {
      relay.refusalsInRow++;
      relay.refusedDomains.add(domain);
      if (relay.refusalsInRow < RELAY_FAIL_LIMIT || relay.refusedDomains.size < 2 || !this.anotherHealthy(relay)) return false;
      this.accepted(relay);
      drain(relay, now() + pauseMs);
      relay.drained.refusals++;
      if (why) relay.refusedWhy = why;
      return true;
    },
    accepted(relay) {
      relay.refusalsInRow = 0;
      relay.policyInRow = 0;
      relay.refusedDomains.clear();
    },
    anotherHealthy(relay) {
      const t = now();
      return relays.some((r) => r !== relay && healthy(r, t));
    },
    size: relays.length,
    // 4.
    refusedSender(relay, why) {
      if (relays.length === 1) return false;
      relay.senderRefused ??= why;
      relay.senderNote ??= why;
      drain(relay, Infinity);
      return relays.some((r) => r.senderRefused === null);
    },
    policyRefused(relay, why) {
      if (++relay.policyInRow < RELAY_FAIL_LIMIT || relays.length === 1) return false;
      relay.policyInRow = 0;
      this.refusedSender(relay, `${why} (${RELAY_FAIL_LIMIT} readers in a row whom another relay took)`);
      return true;
    },
    tookOver(relay, why) {
      relay.takenOver++;
      relay.takenOverWhy = why;
    },
    newRun() {
      for (const r of relays) {
        if (r.senderRefused === null) continue;
        r.senderRefused = null;
        r.drainedUntil = 0;
      }
    },
    // 5.
    takeNotes() {
      const notes: string[] = [];
      for (const r of relays) {
        const { connections, refusals } = r.drained;
        const times = (n: number) => (n > 1 ? ` (${n} times)` : '');
        const why = r.lastWhy ? `: ${r.lastWhy}` : '';
        const refusedWhy = r.refusedWhy ? `: ${r.refusedWhy}` : '';
        if (relays.length > 1) {
          if (connections) notes.push(`relay ${r.name} was left out after ${RELAY_FAIL_LIMIT} failed connections${times(connections)}${why}`);
          else if (r.failures) notes.push(`relay ${r.name} failed ${r.failures} connection${r.failures > 1 ? 's' : ''}; the other relays took its messages${why}`);
          if (refusals) notes.push(`relay ${r.name} was left out after refusing ${RELAY_FAIL_LIMIT} messages in a row for now, to several domains (its own limit)${times(refusals)}${refusedWhy}`);
          else if (r.takenOver) notes.push(`relay ${r.name} refused ${r.takenOver} message${r.takenOver > 1 ? 's' : ''} for now that another relay then took${r.takenOverWhy ? `: ${r.takenOverWhy}` : ''}`);
          if (r.senderNote !== null) notes.push(`relay ${r.name} was left out for the rest of the run: it refused the sender or the message, not the reader: ${r.senderNote}`);
        }
        r.senderNote = null;
        r.failures = 0;
        r.drained = { connections: 0, refusals: 0 };
        r.lastWhy = '';
        r.refusedWhy = '';
        r.takenOver = 0;
        r.takenOverWhy = '';
      }
      return notes;
    },
  };
}
