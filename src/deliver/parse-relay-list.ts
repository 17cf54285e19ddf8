/**
 * SMTP_URL as a list of relays: `smtp://user:pass@a.example:587?weight=3,smtps://b.example`.
 * Each connection of the pool picks a relay by weight among the healthy ones
 * (create-smtp-pool-transport.ts), so a relay that dies takes nothing with it. A list with one
 * URL is the single relay paperpost always had.
 *
 * Relays are separated by the comma before each `smtp://` or `smtps://`, so a comma elsewhere
 * (an escaped password, a query) stays in its URL. `weight` (a whole number from 1 to 1000,
 * default 1) is paperpost's and is taken out of the URL; `tls_reject_unauthorized=false` stays.
 * Any other parameter (a misspelt `wieght`) is refused: nothing would read it. Each relay is named for logs and the ledger by its
 * scheme, host and port only: the user and password never leave the URL. They are
 * percent-decoded to log in, so one with a bare "%" (not %25) is refused here, at start.
 */

/** One relay of SMTP_URL. */
export interface RelayUrl {
  /** The URL to connect with (weight taken out): holds the password, never print it. */
  url: string;
  weight: number;
  /** "smtp://host:port": what logs, errors and the ledger show. */
  name: string;
}

/** How a relay is written, for the messages (no real user or password in it: redactSecrets leaves PASSWORD alone). */
const FORM = 'smtp://USER:PASSWORD@HOST:PORT or smtps://USER:PASSWORD@HOST:PORT, several separated by commas';

/** What a user or password with a bare "%" must be written as (the value itself is never shown). */
const PERCENT = 'a user and password percent-encoded: write a "%" in either as %25 (and @ : / # ? as %40 %3A %2F %23 %3F)';

/** True when `s` percent-decodes (no "%" without two hex digits after it). */
const decodes = (s: string) => {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

/** The query parameters a relay's URL may carry: paperpost's weight, and the TLS switch smtp-transport.ts reads. */
const PARAMETERS = ['weight', 'tls_reject_unauthorized'];

/** Parses SMTP_URL; throws an Error with a one-line message (no password in it) when a relay is not valid. */
export function parseRelayList(text: string): RelayUrl[] {
  const parts = text
    .split(/,(?=\s*smtps?:\/\/)/i)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error(FORM);
  const seen = new Set<string>();
  return parts.map((part, i) => {
    const where = parts.length > 1 ? ` (relay ${i + 1} of ${parts.length})` : '';
    // Another scheme after a comma is a relay paperpost cannot use, not part of this one's query.
    const other = /,\s*([a-z][a-z0-9+.-]*):\/\//i.exec(part);
    if (other) throw new Error(`${FORM}; ${other[1]!.toLowerCase()}:// is not a relay paperpost can send through${where}`);
    if (!/^smtps?:\/\/[^/\s]+/i.test(part) || !URL.canParse(part)) throw new Error(`${FORM}${where}`);
    const url = new URL(part);
    if (!/^(?:[a-z0-9_-]+\.)*[a-z0-9_-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname)) throw new Error(`${FORM}${where}`);
    // The user and password are percent-decoded to log in: a bare "%" would fail there, mid-run.
    if (!decodes(url.username) || !decodes(url.password)) throw new Error(`${PERCENT}${where}`);
    const names = [...url.searchParams.keys()];
    const misspelt = names.find((n) => n !== 'weight' && n.toLowerCase() === 'weight');
    if (misspelt) throw new Error(`a weight written ?weight=N, in lower case; "${misspelt}" would be ignored${where}`);
    if (names.filter((n) => n === 'weight').length > 1) throw new Error(`one weight per relay; weight is given twice${where}`);
    // The URL is never handed to nodemailer: a parameter paperpost does not read would be ignored.
    const unknown = names.find((n) => !PARAMETERS.includes(n));
    if (unknown !== undefined) throw new Error(`relays with only the parameters ${PARAMETERS.join(' and ')}; "${unknown}" would be ignored${where}`);
    const tls = url.searchParams.getAll('tls_reject_unauthorized');
    if (tls.length > 1 || (tls.length === 1 && tls[0] !== 'false' && tls[0] !== 'true')) throw new Error(`tls_reject_unauthorized=false or =true, once${where}`);
    const w = url.searchParams.get('weight');
    if (w !== null && !/^\d{1,4}$/.test(w)) throw new Error(`a weight that is a whole number from 1 to 1000${where}`);
    const weight = w === null ? 1 : Number(w);
    if (weight < 1 || weight > 1000) throw new Error(`a weight that is a whole number from 1 to 1000${where}`);
    url.searchParams.delete('weight');
    const name = `${url.protocol}//${url.host}`;
    // The same account on the same relay twice is one relay: its weight says how much it takes.
    const key = `${decodeURIComponent(url.username)}@${name}`;
    if (seen.has(key)) throw new Error(`each relay once (give it a weight instead); ${name}${url.username ? ' with the same user' : ''} is listed twice${where}`);
    seen.add(key);
    return { url: url.toString(), weight, name };
  });
}
