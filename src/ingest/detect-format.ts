/**
 * Which of the four digest formats a text is, told by its content alone: JSON by its
 * shape, XML by its root element, plain text by the Hugging Face page's author lines and
 * page chrome. Anything else is refused with the list of what is accepted.
 */
import { contentError, quote } from './parse-context.js';
import { parseJsonText } from './parse-json-text.js';

/** The digest formats paperpost reads (the values of --format). */
export const DIGEST_FORMATS = ['hf-page', 'hf-api', 'arxiv', 'paperpost'] as const;

/** One of DIGEST_FORMATS. */
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

/** The detected format, with the parsed JSON when telling it required parsing. */
export interface DetectedFormat {
  format: DigestFormat;
  json?: unknown;
}

const ACCEPTED =
  'paperpost reads the Hugging Face papers page saved as text, Hugging Face API JSON, an arXiv Atom or RSS feed, or paperpost JSON';
const PROLOG = /^\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE\b[^>[]*(?:\[[\s\S]*?\])?\s*>)/i;
const HF_PAGE_MARKERS = [
  /^[ \t]*[•·]?[ \t]*\d+[ \t]+authors?[ \t]*$/im,
  /^[ \t]*(?:Get trending papers in your email inbox!|byAK and the research community|Daily Papers)[ \t]*$/im,
];

/** Tells the format of decoded digest `text` read from `name`; throws DigestError when it is none. */
export function detectFormat(text: string, name: string): DetectedFormat {
  const start = text.trimStart();
  const first = start[0];
  if (first === '{' || first === '[') {
    const json = parseJsonText(text, name);
    if (Array.isArray(json)) return { format: 'hf-api', json };
    if (json !== null && typeof json === 'object') {
      if ('papers' in json) return { format: 'paperpost', json };
      const apiError = (json as { error?: unknown }).error;
      if (typeof apiError === 'string' && !('id' in json) && !('paper' in json)) {
        throw contentError(name, `the server answered with an error: ${quote(apiError, 120)}`, 'check the source (for hf:DATE, is the date right?)');
      }
      if ('paper' in json || 'id' in json || 'title' in json) return { format: 'hf-api', json };
    }
    throw contentError(
      `${name} $`,
      'JSON of an unknown shape: expected a Hugging Face daily_papers array, a Hugging Face paper object, or a paperpost digest {"date", "source", "papers"}',
      'check that this is the right file',
    );
  }
  if (first === '<') {
    let head = start.slice(0, 64 * 1024);
    for (let m = PROLOG.exec(head); m; m = PROLOG.exec(head)) {
      if (/^\s*<!DOCTYPE\s+html/i.test(m[0])) return refuseHtml(name);
      head = head.slice(m[0].length);
    }
    const root = /^\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(head)?.[2]?.toLowerCase();
    if (root === 'feed' || root === 'rss' || root === 'rdf') return { format: 'arxiv' };
    if (root === 'html') return refuseHtml(name);
    throw contentError(name, `XML, but not an Atom or RSS feed (its root element is <${root ?? '?'}>)`, ACCEPTED);
  }
  const sample = text.length > 1_000_000 ? text.slice(0, 1_000_000) : text;
  if (HF_PAGE_MARKERS.some((re) => re.test(sample))) return { format: 'hf-page' };
  throw contentError(
    name,
    'not a digest format paperpost knows (no Hugging Face author lines, not JSON, not an XML feed)',
    `${ACCEPTED}; pass --format hf-page if this is a papers page without "N authors" lines`,
  );
}

function refuseHtml(name: string): never {
  throw contentError(
    name,
    'an HTML page, not a digest',
    'save the Hugging Face papers page as text (select all, copy, paste into a .txt file), or use hf:YYYY-MM-DD to fetch the API',
  );
}
