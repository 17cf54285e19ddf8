/**
 * A Handlebars error as one line of an error message. A parse error's message is four lines:
 * the line number, an excerpt of the template around the place, a caret under the place, and
 * what the parser expected there. Cut at its first line ("Parse error on line 1:") it says
 * neither where nor what; with its line breaks made spaces, the caret points at nothing. Here
 * the caret becomes words, the excerpt split at it:
 *
 *     Parse error on line 1, after "{{#if date}}x", at the end: Expecting 'OPEN_INVERSE_CHAIN', …, got 'EOF'
 *     Parse error on line 2, after "...itTopics}} {{foo bar", at "}": Expecting 'CLOSE', …, got 'INVALID'
 *
 * Any other message (a block closed by the wrong name, "if doesn't match each - 1:3") has its
 * line breaks and runs of spaces made single spaces.
 */

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** `error`'s message in one line, a parse error's place in words (see the file comment). */
export function handlebarsErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Handlebars's parser: `Parse error on line N:\n<excerpt>\n<one dash per character before the place>^\n<what>`.
  const parse = /^(Parse error on line \d+):\n(.*)\n(-*)\^\n([\s\S]*)$/.exec(message);
  if (!parse) return oneLine(message);
  const [, where, excerpt, dashes, what] = parse as unknown as [string, string, string, string, string];
  const before = excerpt.slice(0, dashes.length);
  const at = excerpt.slice(dashes.length);
  const place = [before ? `after "${before}"` : '', at ? `at "${at}"` : 'at the end'].filter(Boolean).join(', ');
  return `${where}, ${place}: ${oneLine(what)}`;
}
