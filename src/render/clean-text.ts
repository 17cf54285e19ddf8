/**
 * Characters that must never reach a rendered issue from paper data: C0/C1 controls (CR and LF
 * included, so nothing can break a header line), the private-use code points the renderer uses
 * as its own markers, and explicit bidi overrides/isolates, which can make text display in an
 * order other than the one it is stored in. Titles are shown with dir="auto" instead.
 */
// eslint-disable-next-line no-control-regex
const UNWANTED = /[\u0000-\u001f\u007f-\u009f\uE000-\uE00F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * Makes untrusted text safe to place on one line: removes control, marker and bidi-override
 * characters (line breaks and tabs become spaces), collapses runs of whitespace and trims.
 * Emoji, right-to-left scripts and TeX are kept as written.
 */
export function cleanText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[\r\n\t\f\v]/g, ' ').replace(UNWANTED, '').replace(/\s+/g, ' ').trim();
}
