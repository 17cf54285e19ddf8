/**
 * What makes a follow or mute worth keeping, checked wherever one comes in (the store's
 * boundary, an import's signals cell), so a reader cannot end up with one that matches every
 * paper or none. A phrase is matched on word stems (plan-reader.ts): one made only of English
 * stop words ("a", "the", "of the", in topics/english-stop-words.ts, the list the topic map uses)
 * would make every pick read `you follow "a"`, or never match. Words that are filler in a
 * topic's phrases but a real interest on their own ("benchmark", "robustness") are kept. An
 * author is matched by their normalised name (followKey): "T." alone would match every author
 * with that initial. So a phrase needs a word that is not a stop word, and an author a name
 * part of two letters or more besides any initials.
 */
import { englishStopWords } from '../topics/english-stop-words.js';
import { followKey, type FollowKind } from './reader-signals.js';

/** Why this follow would match nothing useful, as one line; null when it is fine. `value` is what the reader typed. */
export function followProblem(kind: FollowKind, value: string): { problem: string; hint: string } | null {
  if (kind === 'author') {
    const parts = followKey('author', value).split(' ');
    if (parts.some((p) => (p.match(/\p{L}/gu)?.length ?? 0) >= 2)) return null;
    return { problem: `the author ${JSON.stringify(value)} has no name of two letters or more besides initials`, hint: 'give the name as papers list it, such as "Tri Dao"' };
  }
  const stop = englishStopWords();
  if ((value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).some((word) => !stop.has(word))) return null;
  return {
    problem: `the phrase ${JSON.stringify(value)} has only stop words (such as "the", "of"), so it would match every paper or none`,
    hint: 'give a phrase with a word that names the subject, such as "speculative decoding"',
  };
}
