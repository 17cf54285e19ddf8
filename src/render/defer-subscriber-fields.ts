/**
 * Two-pass rendering. Issue templates mark per-subscriber expressions with a backslash:
 * `\{{recipient.name}}`, `\{{#if (follows "{{key}}")}}`. The first pass (issue data, then MJML)
 * must carry those expressions through untouched, while paper text that happens to contain
 * "{{" must NOT become live Handlebars in the second pass.
 *
 * So before the first pass every `\{{` in a template source becomes a private-use marker
 * character that Handlebars, MJML and the minifier treat as plain text and that cannot come
 * from paper data (cleanText strips it). After MJML, restoreSubscriberFields neutralises every
 * brace and backslash that could open, escape or disturb an expression in the second pass, then
 * turns the markers back into `{{`. Only expressions written by the template's author survive.
 */
export const FIELD_MARK = '\uE000';

/**
 * Replaces each per-subscriber opener `\{{` in a template source with the marker. A doubled
 * backslash (`\\{{`, Handlebars' "literal backslash, then a live expression") is left alone.
 * Line numbers are unchanged, so Handlebars errors still point at the right line.
 */
export function deferSubscriberFields(source: string): string {
  return source.replace(/(^|[^\\])\\\{\{/g, `$1${FIELD_MARK}`);
}

/** How a stray character is written so the second pass prints it instead of parsing it. */
const NEUTRAL: Record<'html' | 'text', Record<string, string>> = {
  html: { '{': '&#123;', '}': '&#125;', '\\': '&#92;' },
  text: { '{': '{{lb}}', '}': '{{rb}}', '\\': '{{bs}}' },
};

/**
 * Makes first-pass output ready for the per-subscriber pass: the marked expressions become live
 * `{{...}}` again and nothing else can. In text mode every brace and backslash is rewritten as a
 * helper call that prints it, because one left beside a rewritten one would form a new "{{" or
 * "}}}", or escape the call.
 * In HTML mode only a brace or backslash beside another brace or an expression is rewritten (as
 * a character reference, which cannot combine with anything), so CSS in <style> is left alone.
 * A "}" right after an expression is rewritten too: `{{x}}}` would read as a triple-stash close.
 */
export function restoreSubscriberFields(output: string, mode: 'html' | 'text'): string {
  const neutral = NEUTRAL[mode];
  const parts = output.split(FIELD_MARK);
  const out: string[] = [];
  parts.forEach((part, i) => {
    let expression = '';
    let rest = part;
    if (i > 0) {
      const close = part.indexOf('}}');
      // An unclosed expression is kept as written; compiling the result reports the template error.
      const end = close === -1 ? part.length : close + 2;
      expression = `{{${part.slice(0, end)}`;
      rest = part.slice(end);
    }
    const nextIsExpression = i < parts.length - 1;
    let safe = '';
    for (let k = 0; k < rest.length; k++) {
      const ch = rest[k]!;
      if (ch !== '{' && ch !== '}' && ch !== '\\') {
        safe += ch;
        continue;
      }
      const next = k + 1 < rest.length ? rest[k + 1] : nextIsExpression ? '{' : '';
      const afterExpression = k === 0 && i > 0;
      if (mode === 'text') {
        // Every backslash too: "\\" before a rewritten brace would escape the helper call.
        safe += neutral[ch]!;
      } else if ((ch === '{' && next === '{') || (ch === '\\' && next === '{') || (ch === '}' && afterExpression)) {
        safe += neutral[ch]!;
      } else {
        safe += ch;
      }
    }
    out.push(expression, safe);
  });
  return out.join('');
}
