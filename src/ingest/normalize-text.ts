/**
 * Whitespace normalization for untrusted text (titles, abstracts, names): arXiv hard wraps
 * and runs of spaces become one space. Control characters are removed because they are
 * never part of a title and can drive a terminal; everything else stays exactly as written.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]+/g;
// Only the runs that need changing: a space followed by more whitespace, or any other
// whitespace character (and what follows it). The single spaces between words, which are
// nearly every match of /\s+/, are left alone: several times faster on long abstracts.
const WHITESPACE_RUN = /(?: (?=\s)|[^\S ])\s*/g;

/** Returns `text` with control characters removed and whitespace runs collapsed, trimmed. */
export function normalizeText(text: string): string {
  const clean = CONTROL.test(text) ? text.replace(CONTROLS, '') : text;
  return clean.replace(WHITESPACE_RUN, ' ').trim();
}
