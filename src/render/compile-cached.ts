/**
 * Handlebars compiles a template to JavaScript: parsing and code generation were about two
 * thirds of the CPU of a `paperpost preview` rebuild, which compiles every template, partial
 * and paper card again although a save changes one file. Here the compiled form (the template
 * spec, which depends on nothing but the source and the compile options) is kept per source
 * text, so a source seen before costs only binding the spec to its environment.
 *
 * 1. The key is the compile options and the source, hashed. A spec is made with
 *    Handlebars.precompile, exactly as Handlebars.compile makes one, and turned into its
 *    object form once.
 * 2. As with Handlebars.compile, nothing is compiled before the template is first rendered, so
 *    a parse error surfaces where the caller renders (and names the file) as before.
 * 3. The cache holds the specs of the most recently used sources, up to a total source size,
 *    so the per-subscriber templates of a long-running process's many issues do not pile up.
 * 4. Between processes, the spec's code is kept on disk (content-cache.ts, handlebars/) under
 *    the same key plus Handlebars's version: a `send` compiles its issue's per-subscriber
 *    templates (a fifth of a second) only the first time. Like the compiled-MJML cache, it
 *    lives in the user's own cache directory.
 */
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { readCached, writeCached } from '../content-cache.js';

type Spec = ReturnType<typeof Handlebars.precompile>;

/** Total source size whose specs are kept (a spec is a few times its source). */
const MAX_SOURCE_CHARS = 4_000_000;

/** The kind of cached result on disk (content-cache.ts). */
const DISK = 'handlebars';

const specs = new Map<string, { spec: Spec; chars: number }>();
let keptChars = 0;

function specFor(source: string, options: CompileOptions): Spec {
  const key = createHash('sha256').update(Handlebars.VERSION).update('\0').update(JSON.stringify(options)).update('\0').update(source).digest('hex');
  const hit = specs.get(key);
  if (hit) {
    // Most recently used last.
    specs.delete(key);
    specs.set(key, hit);
    return hit.spec;
  }
  // 4. Compiled by an earlier process, else now (and kept for the next).
  let spec: Spec | null = null;
  const kept = readCached(DISK, key, 'js');
  try {
    if (kept !== null) spec = new Function(`return ${kept};`)() as Spec;
  } catch {
    // An entry that does not parse is a miss.
  }
  if (spec === null) {
    const code = Handlebars.precompile(source, { ...options }) as unknown as string;
    spec = new Function(`return ${code};`)() as Spec;
    writeCached(DISK, key, code, { ext: 'js', keep: 400 });
  }
  specs.set(key, { spec, chars: source.length });
  keptChars += source.length;
  for (const [k, v] of specs) {
    if (keptChars <= MAX_SOURCE_CHARS || specs.size <= 1) break;
    specs.delete(k);
    keptChars -= v.chars;
  }
  return spec;
}

/** The options this cache understands (those paperpost compiles with). */
export interface CompileOptions {
  strict?: boolean;
  noEscape?: boolean;
}

/** Like `hb.compile(source, options)`, with the compiled spec shared by every call with the same source and options. */
export function compileCached(hb: typeof Handlebars, source: string, options: CompileOptions): Handlebars.TemplateDelegate {
  let render: Handlebars.TemplateDelegate | undefined;
  return (context, execOptions) => {
    render ??= hb.template(specFor(source, options));
    return render(context, execOptions);
  };
}
