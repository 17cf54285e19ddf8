/**
 * Echoing what a user typed in an error line: enough to recognise it, never all of it. An
 * argument can be any length (a 10,000-character paper id pasted by mistake), and an error
 * is one line a person reads, so an echo is cut to ECHO_LENGTH characters with an ellipsis.
 * Cut by code points, so a character is never split in half.
 */

/** How many characters of an argument an error line repeats. */
export const ECHO_LENGTH = 80;

/** `value` as typed, cut to ECHO_LENGTH characters ("…" marks the cut). */
export function clipInput(value: string, max = ECHO_LENGTH): string {
  const chars = Array.from(value);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}

/** `value` in double quotes (JSON-escaped), cut as clipInput does. */
export function quoteInput(value: string, max = ECHO_LENGTH): string {
  return JSON.stringify(clipInput(value, max));
}
