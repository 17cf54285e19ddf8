/**
 * Whitespace normalization for untrusted text (titles, abstracts, names): arXiv hard wraps
 * and runs of spaces become one space. Control characters are removed because they are
 * never part of a title and can drive a terminal; everything else stays exactly as written.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

/** Returns `text` with control characters removed and whitespace runs collapsed, trimmed. */
export function normalizeText(text: string): string {
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}
