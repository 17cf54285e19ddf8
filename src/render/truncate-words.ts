const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Shortens text to at most `max` characters (user-perceived characters, so an emoji or a
 * combining sequence is never cut in half), cutting at the last word boundary that fits and
 * appending an ellipsis. A single word longer than the limit is cut mid-word: a 5,000-character
 * title with no spaces still has to end somewhere.
 */
export function truncateWords(text: string, max: number, ellipsis = '…'): string {
  // Fast path: UTF-16 length is never smaller than the number of graphemes.
  if (text.length <= max) return text;
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment);
  if (graphemes.length <= max) return text;
  const room = Math.max(0, max - Array.from(segmenter.segment(ellipsis)).length);
  const head = graphemes.slice(0, room);
  // Prefer the last space, unless that would throw away more than 40% of the room.
  let cut = head.length;
  for (let i = head.length; i > Math.floor(room * 0.6); i--) {
    if (/\s/.test(graphemes[i] ?? '')) {
      cut = i;
      break;
    }
  }
  const kept = head.slice(0, cut).join('').replace(/[\s,;:–—-]+$/u, '');
  return kept + ellipsis;
}
