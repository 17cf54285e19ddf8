/**
 * Readers expect an arXiv page and a PDF next to a paper. Paper ids are untrusted (a digest
 * says what it likes), so these links are built only from an id that is exactly an arXiv
 * identifier, without version: new style "2512.01234" (YYMM.NNNNN, month 01-12) or old style
 * "hep-th/9901001". Anything else, including a title slug, gets no arXiv links.
 */

const NEW_STYLE = /^\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}$/;
const OLD_STYLE = /^[a-z][a-z-]{1,15}(?:\.[A-Z]{2})?\/\d{7}$/;

/** The arXiv abstract page and PDF of `id`, or null when `id` is not an arXiv identifier. */
export function arxivLinks(id: unknown): { id: string; abs: string; pdf: string } | null {
  if (typeof id !== 'string' || !(NEW_STYLE.test(id) || OLD_STYLE.test(id))) return null;
  return { id, abs: `https://arxiv.org/abs/${id}`, pdf: `https://arxiv.org/pdf/${id}` };
}
