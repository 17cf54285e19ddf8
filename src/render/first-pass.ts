/**
 * The first pass of rendering (see defer-subscriber-fields.ts): a template and its partials
 * compiled in a fresh Handlebars environment, strict (an unknown field is an error naming the
 * file), with the per-subscriber expressions deferred to the second pass. compile-issue.ts
 * renders the issue with it, compile-cards.ts each paper's card. A source compiled before is
 * not compiled again (compile-cached.ts): a preview rebuild recompiles only what was saved.
 */
import Handlebars from 'handlebars';
import { TemplateError } from '../errors.js';
import { compileCached } from './compile-cached.js';
import { deferSubscriberFields } from './defer-subscriber-fields.js';
import { handlebarsErrorLine } from './handlebars-error-line.js';
import type { TemplateSource } from './load-templates.js';
import { registerHelpers } from './register-helpers.js';

type Render = (view: object) => string;

/** Inserts a marker comment before each MJML tag so an MJML error line can be traced to its file. */
export function markLines(source: string, name: string): string {
  return source
    .split('\n')
    .map((line, i) => line.replace(/<mj-/g, `<!--@pp ${name}:${i + 1}--><mj-`))
    .join('\n');
}

function wrapErrors(file: string, render: Handlebars.TemplateDelegate): Handlebars.TemplateDelegate {
  return (context, options) => {
    try {
      return render(context, options);
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      // Strict mode names the object it looked in as "[object Object]": say what is unknown instead.
      const message = handlebarsErrorLine(error).replace(/ not defined in \[object Object\]/, ' is neither a field of this template nor a helper (templates/README.md lists both)');
      throw new TemplateError(`${file}: ${message}`, undefined, error);
    }
  };
}

/** Compiles a template and its partials in a fresh Handlebars environment. */
export function firstPass(main: TemplateSource, partials: Map<string, TemplateSource>, noEscape: boolean, traced: boolean): Render {
  const hb = Handlebars.create();
  registerHelpers(hb);
  const prepare = (t: TemplateSource) => {
    const deferred = deferSubscriberFields(t.source);
    return wrapErrors(t.file, compileCached(hb, traced ? markLines(deferred, t.name) : deferred, { strict: true, noEscape }));
  };
  for (const [name, partial] of partials) hb.registerPartial(name, prepare(partial));
  const render = prepare(main);
  return (view) => render(view);
}

