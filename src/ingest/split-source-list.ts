/**
 * One setting can name several digest sources (DIGEST_SOURCE=hf:latest,https://rss.arxiv.org/rss/cs.LG),
 * so one issue can carry the day's Hugging Face list and an arXiv listing together. The
 * separator is a comma: no source paperpost reads needs one (hf: days and `-` never contain
 * it; a URL writes it as %2C; a path with a comma is given as a file:// URL, with %2C). Spaces
 * around the commas are allowed, and an empty entry (a trailing comma) names nothing. A source
 * named twice is a mistake (its papers would merge with themselves): it is refused.
 */

/** What separates the sources of a list. */
export const SOURCE_SEPARATOR = ',';

/** The sources `value` names, in order: one for a plain source, several for a list. */
export function splitSourceList(value: string): string[] {
  return value
    .split(SOURCE_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The first source `sources` names twice (compared as `key` makes them: a path resolved), or null. */
export function firstDuplicate(sources: readonly string[], key: (s: string) => string = (s) => s): string | null {
  const seen = new Set<string>();
  for (const s of sources) {
    const k = key(s);
    if (seen.has(k)) return s;
    seen.add(k);
  }
  return null;
}

/** A source that is not a path: hf:DAY, a URL, or `-` (stdin). */
export const isSourceUrl = (s: string): boolean => /^(hf:|[a-z][a-z0-9+.-]*:\/\/|-$)/i.test(s);
