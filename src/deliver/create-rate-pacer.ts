/**
 * One rate for the whole run (RATE_PER_SEC, or `ratePerSec`): messages across all
 * connections go no faster than that, evenly spaced, retries included. It is the Pacer
 * (pacer.ts) for a single relay and a list that is not dominated by one provider; it hears
 * replies but does not act on them.
 *
 * Each attempt takes the next free slot, `1000 / ratePerSec` ms after the one before, and
 * waits until its slot comes. Slots are taken in call order, so attempts that wait together
 * are spread out rather than released at once. With no rate (0 or unset) nothing ever waits.
 */
import type { Pacer } from './pacer.js';

/** Builds the run's pacer; `sleep` waits that many ms (injected so tests can watch the waits). */
export function createRatePacer(ratePerSec: number | undefined, sleep: (ms: number) => Promise<void>): Pacer {
  const interval = ratePerSec && ratePerSec > 0 ? 1000 / ratePerSec : 0;
  let nextSlot = 0;
  return {
    acquire() {
      if (!interval) return undefined;
      const t = performance.now();
      const slot = Math.max(t, nextSlot);
      nextSlot = slot + interval;
      return slot > t ? sleep(slot - t) : undefined;
    },
    release() {},
    onOutcome() {},
  };
}
