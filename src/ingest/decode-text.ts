/**
 * Bytes → text for every format: UTF-8 (a BOM is dropped), line endings made \n. Refuses
 * what is not text (empty input, binary data, UTF-16, PDFs, archives) with one clear line,
 * and warns, rather than fails, about a few invalid UTF-8 bytes in otherwise good text.
 */
import { isUtf8 } from 'node:buffer';
import { contentError, type ParseContext } from './parse-context.js';

const MAGIC: Array<[bytes: number[], what: string, hint: string]> = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'a PDF file, not a digest', 'give a digest (text, JSON or an arXiv feed), not a paper'],
  [[0x1f, 0x8b], 'gzip-compressed data', 'decompress it first (gunzip)'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive', 'extract the digest from the archive first'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image, not a digest', 'give a digest (text, JSON or an arXiv feed)'],
  [[0xff, 0xd8, 0xff], 'a JPEG image, not a digest', 'give a digest (text, JSON or an arXiv feed)'],
];
const BINARY_HINT = 'give a digest as UTF-8 text: the papers page saved as text, JSON or an arXiv feed';
const SAMPLE = 64 * 1024;

/** Decodes `input` to text, or throws DigestError (empty, binary, not UTF-8 at all). */
export function decodeText(input: Buffer | string, ctx: ParseContext): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    if (input.length === 0) throw contentError(ctx.name, 'the digest is empty', 'give a digest with at least one paper');
    for (const [bytes, what, hint] of MAGIC) {
      if (input.length >= bytes.length && bytes.every((b, i) => input[i] === b)) throw contentError(ctx.name, what, hint);
    }
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
      throw contentError(ctx.name, 'UTF-16 text, not UTF-8', 'save the digest as UTF-8 (iconv -f UTF-16 -t UTF-8)');
    }
    const nul = input.indexOf(0);
    if (nul !== -1) throw contentError(ctx.name, `binary data, not text (a NUL byte at byte ${nul + 1})`, BINARY_HINT);
    text = input.toString('utf8');
    if (!isUtf8(input)) {
      const at = text.indexOf('\uFFFD');
      const line = at === -1 ? 1 : countLines(text, at);
      const bad = countChar(text, '\uFFFD');
      if (bad > Math.max(8, text.length / 100)) {
        throw contentError(`${ctx.name}:${line}`, `binary data or not UTF-8 text (${bad} invalid bytes)`, BINARY_HINT);
      }
      ctx.warn(`${ctx.name}:${line}`, `${bad} invalid UTF-8 byte${bad === 1 ? '' : 's'}, shown as \uFFFD`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!/\S/.test(text)) throw contentError(ctx.name, 'the digest is empty', 'give a digest with at least one paper');
  if (typeof input === 'string' && text.includes('\0')) {
    throw contentError(ctx.name, 'binary data, not text (a NUL character)', BINARY_HINT);
  }
  const sample = text.slice(0, SAMPLE);
  // eslint-disable-next-line no-control-regex
  const controls = sample.match(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g)?.length ?? 0;
  if (controls > Math.max(4, sample.length / 50)) {
    throw contentError(ctx.name, `binary data, not text (${controls} control characters in the first ${sample.length} characters)`, BINARY_HINT);
  }
  return text;
}

/** 1-based line number of character offset `at` in `text`. */
export function countLines(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}
