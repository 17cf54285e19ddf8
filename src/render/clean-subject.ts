import { cleanText } from './clean-text.js';
import { truncateWords } from './truncate-words.js';

/** The longest subject or preheader an issue gets, in characters. */
export const MAX_SUBJECT_CHARS = 150;

/**
 * Turns rendered template output into something safe for a one-line header: no CR/LF or other
 * control characters, single spaces, at most `max` characters cut at a word boundary with an
 * ellipsis. Used for subjects and preheaders, which both end up in headers or header-like places.
 */
export function cleanSubject(text: string, max = MAX_SUBJECT_CHARS): string {
  return truncateWords(cleanText(text), max);
}
