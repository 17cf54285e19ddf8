/**
 * Title Case for theme labels that keeps what authors capitalized on purpose: a word with any
 * capital letter ("KV", "LLMs", "xKV", "Schrödinger") stays as written, a lowercase word gets
 * its first letter raised. Hyphenated parts are cased one by one ("post-training" →
 * "Post-Training").
 */

/** `phrase` in Title Case, acronyms and mixed-case names untouched. */
export function titleCase(phrase: string): string {
  return phrase
    .split(' ')
    .filter((word) => word !== '')
    .map((word, w) =>
      word
        .split('-')
        .map((part, p) => {
          if (/\p{Lu}/u.test(part)) return part;
          if ((w > 0 || p > 0) && SMALL_WORDS.has(part)) return part;
          return part.charAt(0).toUpperCase() + part.slice(1);
        })
        .join('-'),
    )
    .join(' ');
}

/** Words Title Case leaves in lowercase unless they start the label ("Mixture-of-Experts"). */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'via', 'vs', 'with']);
