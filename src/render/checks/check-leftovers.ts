/**
 * The leftovers check: what a template bug leaves in a message for readers to see. A "{{"
 * that Handlebars did not consume, and JavaScript's words for a value that was not there:
 * "undefined", "NaN", "[object Object]". Each part is searched: the subject, the preheader,
 * the HTML, the plain text and every header. A marker the issue's own papers contain
 * (sourceText: a title about "undefined behaviour") is theirs and is not reported.
 */
import type { CheckProblem, CopyUnderCheck } from './check-problem.js';

const MARKERS: { marker: string; pattern: RegExp }[] = [
  { marker: '{{', pattern: /\{\{/ },
  { marker: 'undefined', pattern: /\bundefined\b/ },
  { marker: 'NaN', pattern: /\bNaN\b/ },
  { marker: '[object Object]', pattern: /\[object Object\]/ },
];

/** The text around a match, on one line, for the report. */
function around(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 30);
  const end = Math.min(text.length, index + length + 30);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ')}${end < text.length ? '…' : ''}`;
}

/** An error per part and marker found. */
export function checkLeftovers(copy: CopyUnderCheck): CheckProblem[] {
  const parts: [string, string][] = [
    ['the subject', copy.subject],
    ['the preheader', copy.preheader ?? ''],
    ['the HTML part', copy.html],
    ['the plain-text part', copy.text],
    ...Object.entries(copy.headers).map(([name, value]): [string, string] => [`the ${name} header`, value]),
  ];
  const problems: CheckProblem[] = [];
  for (const { marker, pattern } of MARKERS) {
    if (copy.sourceText && pattern.test(copy.sourceText)) continue;
    for (const [where, text] of parts) {
      const m = pattern.exec(text);
      if (m) problems.push({ level: 'error', check: 'leftovers', message: `${where} has "${marker}" left over from a template: ${JSON.stringify(around(text, m.index, m[0].length))}` });
    }
  }
  return problems;
}
