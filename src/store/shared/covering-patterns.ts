/**
 * The suppression-list patterns that keep one address from being mailed, in one place, so both
 * stores' findSuppression apply the same rule: the address itself, its @domain, the keyed mark
 * of an address that was suppressed when it was forgotten, and (for every mail but the
 * owner's own confirmation email) the keyed mark of an address forgotten at its owner's
 * request (subscribers/forgotten-address.ts). Without SECRET_KEY there are no marks; the
 * address stands in for them, so the statement always has the same four parameters.
 */
import type { Marker } from './import-plan.js';
import { suppressionKeys } from './map-rows.js';

/** The four patterns to look up for `key` (a lowercased address); `forgotten`: the forgotten mark counts too. */
export function coveringPatterns(key: string, marker: Marker, forgotten: boolean): [string, string, string, string] {
  const [address, domain] = suppressionKeys(key);
  const marks = marker ? marker(key) : null;
  return [address, domain, marks ? marks.suppressed : address, marks && forgotten ? marks.forgotten : address];
}
