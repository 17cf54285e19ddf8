/**
 * The few facts the pre-send checks need from a copy's HTML: its tags with their attributes
 * (links, images, anchor targets). Email HTML after MJML is machine-written and regular, so a
 * tag scanner over the source is enough, and it keeps render/ free of a DOM library. Comments
 * (Outlook's conditional blocks among them), <style> and <script> are skipped; attribute
 * values are decoded from character references, as a browser would read them.
 */

/** One start tag: its lower-case name and its attributes, decoded, by lower-case name. */
export interface HtmlTag {
  name: string;
  attrs: ReadonlyMap<string, string>;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes numeric and the common named character references. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The HTML without comments, <style> and <script> blocks (each replaced by a space). */
export function stripNonContent(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<style\b[\s\S]*?<\/style\s*>/gi, ' ')
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, ' ');
}

/** The last HTML scanned and its tags: the checks of one copy each ask for the same page's tags. */
let last: { html: string; tags: readonly HtmlTag[] } | null = null;

/** Every start tag of `html` (outside comments, styles and scripts), in document order. */
export function scanTags(html: string): readonly HtmlTag[] {
  if (last?.html === html) return last.tags;
  const tags: HtmlTag[] = [];
  for (const m of stripNonContent(html).matchAll(TAG)) {
    const attrs = new Map<string, string>();
    for (const a of (m[2] ?? '').matchAll(ATTR)) {
      const name = a[1]!.toLowerCase();
      if (!attrs.has(name)) attrs.set(name, decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
    }
    tags.push({ name: m[1]!.toLowerCase(), attrs });
  }
  last = { html, tags };
  return tags;
}
