import mjml2html from 'mjml';
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

/**
 * Compiles first-pass MJML to HTML with strict validation. An invalid document becomes a
 * TemplateError naming, through `locate`, the template file and line behind each problem.
 */
export async function runMjml(
  source: string,
  options: { templateName: string; filePath: string; locate?: LocateMjmlLine },
): Promise<string> {
  let result: Awaited<ReturnType<typeof mjml2html>>;
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
    throw new TemplateError(`invalid MJML: ${lines.join('; ')}${more}`, 'fix the template in templates/ (see https://documentation.mjml.io)', error);
  }
  return result.html;
}
