/**
 * MJML turns the first-pass layout into email HTML once per issue: strict validation
 * (an invalid template names its file and line), system fonts, minified. Loading and running
 * MJML was most of a send's start-up, so its output is kept on disk by content hash
 * (content-cache.ts's folder, mjml/, the newest entries kept) and MJML is loaded only when something must be compiled.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type mjml2htmlType from 'mjml';
import { contentCacheDir, readCachedIn, writeCachedIn } from '../content-cache.js';
import { TemplateError } from '../errors.js';

/** One MJML validation problem, with the place in the MJML source it was found. */
interface MjmlProblem {
  line: number;
  message: string;
  tagName: string;
}

/**
 * Finds which template file and line produced a line of the first-pass output, given the
 * problem; returns e.g. "partials/theme-section.mjml.hbs line 7", or null when unknown.
 */
export type LocateMjmlLine = (line: number, tagName: string) => string | null;

/** MJML options: strict validation, system fonts only (no web-font requests), minified output. */
const MJML_OPTIONS = {
  validationLevel: 'strict',
  keepComments: false,
  fonts: {},
  minify: true,
  // cssnano is not installed (and our CSS is small); htmlnano would otherwise warn on each run.
  minifyOptions: { minifyCss: false },
  ignoreIncludes: true,
} as const;

/** The installed MJML's version: a new MJML may compile the same source differently. */
const mjmlVersion = (() => {
  try {
    return (createRequire(import.meta.url)('mjml/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/**
 * Where compiled MJML is kept between processes: PAPERPOST_CACHE_DIR, else the user's cache
 * directory (XDG_CACHE_HOME or ~/.cache) under paperpost/mjml. Loading and running MJML is
 * most of a send's start-up; the same issue compiles to the same HTML every time.
 */
export function mjmlCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return contentCacheDir('mjml', env);
}

/** The cache key: MJML's version, its options and the source, hashed. */
const cacheKey = (source: string, filePath: string) =>
  createHash('sha256').update(`${mjmlVersion}\0${JSON.stringify(MJML_OPTIONS)}\0${filePath}\0${source}`).digest('hex');

let mjml2html: typeof mjml2htmlType | undefined;

/**
 * Compiles first-pass MJML to HTML with strict validation. A source compiled before (same
 * MJML, same options) is read from the cache directory (mjmlCacheDir, or options.cacheDir;
 * null turns the cache off), and MJML itself is loaded only when something must be compiled. An invalid document becomes a
 * TemplateError naming, through `locate`, the template file and line behind each problem.
 */
export async function runMjml(
  source: string,
  options: { templateName: string; filePath: string; locate?: LocateMjmlLine; cacheDir?: string | null },
): Promise<string> {
  // 1. A kept compile of this very source.
  const dir = options.cacheDir === undefined ? mjmlCacheDir() : options.cacheDir;
  const key = dir === null ? '' : cacheKey(source, options.filePath);
  const cached = dir === null ? null : readCachedIn(dir, key, 'html');
  if (cached !== null) return cached;
  // 2. Else MJML, loaded now.
  mjml2html ??= (await import('mjml')).default;
  let result: Awaited<ReturnType<typeof mjml2htmlType>>;
  try {
    result = await mjml2html(source, { ...MJML_OPTIONS, filePath: options.filePath });
  } catch (error) {
    const problems = (error as { errors?: MjmlProblem[] }).errors;
    if (!Array.isArray(problems) || problems.length === 0) {
      throw new TemplateError(`${options.templateName}: MJML failed: ${(error as Error).message}`, undefined, error);
    }
    const lines = problems.slice(0, 5).map((p) => {
      const where = options.locate?.(p.line, p.tagName) ?? `${options.templateName} (MJML line ${p.line})`;
      return `${where}: ${p.message}`;
    });
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new TemplateError(`invalid MJML: ${lines.join('; ')}${more}`, 'fix that template (see https://documentation.mjml.io)', error);
  }
  // 3. Kept for the next process (only a valid document gets here).
  if (dir !== null) writeCachedIn(dir, key, result.html, { ext: 'html' });
  return result.html;
}
