/**
 * Reads an issue's templates from one directory: TEMPLATES_DIR, or the templates that ship in
 * the paperpost package (config.ts resolves which, so the working directory never matters).
 * Each file also carries the name error messages give it: the directory as the operator knows
 * it (relative to the working directory when it lies inside it, else absolute), so an error in
 * a copy of the templates names that copy, not the shipped templates/.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { TemplateError } from '../errors.js';
import { displayFileName } from '../topics/display-file-name.js';

/** One template file as read from disk. */
export interface TemplateSource {
  /** Path relative to the templates directory, for error messages ("partials/footer.mjml.hbs"). */
  name: string;
  /** The file as error messages name it ("templates/partials/footer.mjml.hbs", "/srv/mail/partials/footer.mjml.hbs"). */
  file: string;
  source: string;
}

/** Everything an issue is rendered from, as read from the templates directory. */
export interface TemplateSet {
  dir: string;
  /** `dir` as error messages name it: relative to the working directory when it lies inside it, else absolute. */
  shownDir: string;
  /** The MJML layout with Handlebars expressions (issue.mjml.hbs). */
  html: TemplateSource;
  /** The plain-text body (issue.txt.hbs). */
  text: TemplateSource;
  /** One line: the subject rule, rendered per subscriber (subject.txt.hbs). */
  subject: TemplateSource;
  /** One line: the preheader, rendered per subscriber (preheader.txt.hbs). */
  preheader: TemplateSource;
  /** Partials for the HTML layout by name: partials/NAME.mjml.hbs. */
  htmlPartials: Map<string, TemplateSource>;
  /** Partials for the text body by name: partials/NAME.txt.hbs. */
  textPartials: Map<string, TemplateSource>;
}

/** A file of the templates directory `dir` as error messages name it (see TemplateSource.file). */
export function templateFile(dir: string, name: string): string {
  return path.join(displayFileName(dir), name);
}

async function readTemplate(dir: string, shownDir: string, name: string): Promise<TemplateSource> {
  try {
    return { name, file: path.join(shownDir, name), source: await fs.readFile(path.join(dir, name), 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`;
    throw new TemplateError(`template ${path.join(shownDir, name)} ${why}`, 'restore it from the repository, or set TEMPLATES_DIR to a directory that has it (unset, paperpost uses the templates it ships with)', error);
  }
}

/**
 * Reads every template from `dir` (fresh on each call: operators edit them and the web preview
 * shows the change on reload). Throws a TemplateError naming the file when a required template
 * is missing or unreadable.
 */
export async function loadTemplates(dir: string): Promise<TemplateSet> {
  const shownDir = displayFileName(dir);
  const [html, text, subject, preheader] = await Promise.all(
    ['issue.mjml.hbs', 'issue.txt.hbs', 'subject.txt.hbs', 'preheader.txt.hbs'].map((name) => readTemplate(dir, shownDir, name)),
  );
  const htmlPartials = new Map<string, TemplateSource>();
  const textPartials = new Map<string, TemplateSource>();
  let entries: string[] = [];
  try {
    entries = (await fs.readdir(path.join(dir, 'partials'))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new TemplateError(`cannot list ${path.join(shownDir, 'partials')}`, 'check that the folder can be read', error);
  }
  for (const file of entries) {
    const match = /^([a-z0-9][a-z0-9-]*)\.(mjml|txt)\.hbs$/i.exec(file);
    if (!match) continue;
    const partial = await readTemplate(dir, shownDir, `partials/${file}`);
    (match[2]!.toLowerCase() === 'mjml' ? htmlPartials : textPartials).set(match[1]!, partial);
  }
  return { dir, shownDir, html: html!, text: text!, subject: subject!, preheader: preheader!, htmlPartials, textPartials };
}
