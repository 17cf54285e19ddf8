/**
 * Words that end in a period without ending a sentence, lowercased and without their final
 * period. Abstracts are full of them ("e.g. GPT-3", "Smith et al. show", "Fig. 2").
 */
const ABBREVIATIONS = new Set([
  'e.g', 'eg', 'i.e', 'ie', 'al', 'cf', 'vs', 'viz', 'approx', 'resp', 'ca', 'etc',
  'fig', 'figs', 'eq', 'eqs', 'eqn', 'sec', 'secs', 'tab', 'ref', 'refs', 'no', 'nos', 'vol', 'pp', 'p', 'ch', 'app',
  'thm', 'lem', 'def', 'prop', 'cor', 'alg', 'dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'jr', 'inc', 'ltd', 'co', 'u.s', 'ph.d',
]);

/**
 * Splits prose into sentences. A sentence ends at ".", "!" or "?" (plus any closing quotes or
 * brackets) followed by whitespace and a character that can start a sentence (a capital, a
 * digit, a quote or an opening bracket). A period does not end a sentence after a known
 * abbreviation or a single capital initial, and never inside a number such as 0.89, which has
 * no space after the period.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const boundary = /([.!?])["'”’)\]]*\s+(?=["'“‘([]?[\p{Lu}\p{Lo}\p{N}])/gu;
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    const end = match.index + match[0].trimEnd().length;
    if (match[1] === '.') {
      const before = text.slice(start, match.index);
      const word = /(?:^|[\s(["'“])([^\s(["'“]*)$/u.exec(before)?.[1] ?? '';
      const bare = word.toLowerCase();
      // "et al." is usually followed by a verb or a year, but "etc." often ends a sentence;
      // both are kept together because a cut too early reads worse than a slightly long TL;DR.
      if (ABBREVIATIONS.has(bare) || /^\p{Lu}$/u.test(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word)) continue;
    }
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = match.index + match[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}
