/**
 * Names, one rule wherever they come in (the subscribe and preferences forms, `subscribers add
 * --name`, an import's name column), made safe to store and to put in an email header or
 * greeting: the same cleaning and the same length limit everywhere. A form cuts a longer name
 * (its field has the limit as maxlength); the CLI and imports refuse it (checkName), so an
 * operator learns of it rather than storing megabytes that every send then renders.
 */

/** Longest name kept, in characters (code points). */
export const MAX_NAME_LENGTH = 100;

/** Control characters, bidirectional overrides and isolates (which can make a name display as something else). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const UNSAFE = /[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** The cleaned name before any cut: unsafe characters and runs of spaces become one space, trimmed. */
const cleaned = (raw: string) => raw.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();

/**
 * A display name from form input: control characters, bidirectional overrides and runs of
 * spaces removed; at most 100 characters; '' → null.
 */
export function cleanName(raw: string | undefined): string | null {
  const name = Array.from(cleaned(raw ?? ''))
    .slice(0, MAX_NAME_LENGTH)
    .join('')
    .trim();
  return name === '' ? null : name;
}

/**
 * A name given by an operator (CLI, import), cleaned as cleanName does; throws a plain message
 * when it is longer than MAX_NAME_LENGTH once cleaned. '' → null.
 */
export function checkName(raw: string): string | null {
  const name = cleaned(raw);
  const length = name.length <= MAX_NAME_LENGTH ? name.length : Array.from(name).length;
  if (length > MAX_NAME_LENGTH) throw new Error(`name is ${length} characters long; at most ${MAX_NAME_LENGTH}`);
  return name === '' ? null : name;
}
