/**
 * Names typed into the subscribe and preferences forms, made safe to store and to put in an
 * email header or greeting.
 */

/** Longest name kept; longer input is cut. */
export const MAX_NAME_LENGTH = 100;

/**
 * A display name from form input: control characters, bidirectional overrides (which can make
 * a name display as something else) and runs of spaces removed; at most 100 characters; '' → null.
 */
export function cleanName(raw: string | undefined): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const name = Array.from((raw ?? '').replace(/[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim())
    .slice(0, MAX_NAME_LENGTH)
    .join('')
    .trim();
  return name === '' ? null : name;
}
