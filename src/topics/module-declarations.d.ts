// Neither package ships type declarations; these cover the parts the group stage uses.

declare module 'stopword' {
  /** English stop words (lowercase). */
  export const eng: string[];
}

declare module 'wink-porter2-stemmer' {
  /** Porter2 (English) stem of one lowercase word. */
  export default function stem(word: string): string;
}
