/**
 * arXiv identifiers as paperpost stores them: without the version suffix, so that v1 and
 * v2 of a paper are one paper.
 */

const NEW_STYLE = /(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])/;
const OLD_STYLE = /(?<![A-Za-z-])([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?(?!\d)/;

/**
 * The arXiv id in `value` ("2501.01234v2", "http://arxiv.org/abs/2501.01234v1",
 * "oai:arXiv.org:hep-ex/0307015v1", "arXiv:2501.01234"), without version; null when none.
 */
export function toArxivId(value: string): string | null {
  const m = NEW_STYLE.exec(value) ?? OLD_STYLE.exec(value);
  return m ? m[1]! : null;
}
