/**
 * The headers of a built message (build-message.ts), read back from its bytes, so the
 * pre-send checks judge exactly the List-Unsubscribe and List-Unsubscribe-Post lines that go
 * on the wire, not a second idea of them. Folded lines are unfolded; names are lower-cased.
 */

/** The header block of `raw` (up to the first empty line) by lower-case name; a repeated header keeps its first value. */
export function readMessageHeaders(raw: Buffer | string): Record<string, string> {
  const end = typeof raw === 'string' ? -1 : raw.indexOf('\r\n\r\n');
  const text = typeof raw === 'string' ? raw : raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
  const block = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}
