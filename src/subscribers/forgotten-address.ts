/**
 * What stays of an address after its owner asked paperpost to forget them (`subscribers
 * forget`, "delete my data"): a keyed hash, never the address. HMAC-SHA256 keyed by SECRET_KEY
 * over the lowercased address (the store's email key), so someone holding the database alone
 * cannot test which addresses were forgotten, yet paperpost can still recognise the address
 * when an import or an operator brings it again. Changing SECRET_KEY makes old marks unknown.
 *
 * Two marks, kept on the suppression list as patterns that can never match an address or an
 * @domain (no @, lowercase hex, so the list's lowercasing leaves them as they are):
 * - `forgotten:<hex>`: the address was forgotten. An import or an operator's add refuses it;
 *   its owner may come back only through the subscribe form's double opt-in, and confirming
 *   removes the mark (store/).
 * - `suppressed:<hex>`: the address itself was on the suppression list when it was forgotten
 *   (a complaint, an operator's entry): it is still never mailed, and the form refuses it.
 */
import { createHmac } from 'node:crypto';

export const FORGOTTEN_PREFIX = 'forgotten:';
export const SUPPRESSED_PREFIX = 'suppressed:';

/** The reason a forgotten mark carries on the suppression list. */
export const FORGOTTEN_REASON = 'forgotten at their request';

/** The two marks of one address; `emailKey` is the lowercased address. */
export interface AddressMarks {
  forgotten: string;
  suppressed: string;
}

/** Makes the marks of addresses with one key (SECRET_KEY). */
export function addressMarker(secretKey: string): (emailKey: string) => AddressMarks {
  return (emailKey) => {
    const hex = createHmac('sha256', secretKey).update(`forgotten-address:${emailKey}`).digest('hex');
    return { forgotten: FORGOTTEN_PREFIX + hex, suppressed: SUPPRESSED_PREFIX + hex };
  };
}
