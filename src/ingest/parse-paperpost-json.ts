/**
 * paperpost's own JSON (what `digest --json` prints: { date, source, papers }), so a digest
 * can be saved, edited by hand and fed back. Validated with zod: a wrong top level is an
 * error naming the JSON paths of the first problems; a bad paper is a warning naming its
 * path, and the other papers still load. Only title is required of a paper; the rest
 * default to empty, so hand-written digests stay short. The `tldr` that `digest --json` adds
 * is accepted and ignored (it is made again from the summary and abstract).
 */
import { z } from 'zod';
import { buildPaper } from './build-paper.js';
import { contentError, describeValue, jsonPath, type ParseContext, type ParsedDigest, type ParsedPaper } from './parse-context.js';
import { parseJsonText } from './parse-json-text.js';
import { isIsoDate } from './to-iso-date.js';

const isoDate = z.string().refine(isIsoDate, 'expected a date as YYYY-MM-DD');
const count = z.number().int('expected a whole number').nonnegative('expected a whole number ≥ 0');

const digestSchema = z.object({
  date: isoDate.nullable().optional(),
  source: z.string().optional(),
  papers: z.array(z.unknown()),
});

const paperSchema = z.object({
  id: z.string().nullable().optional(),
  title: z.string().refine((t) => t.trim() !== '', 'expected a non-empty title'),
  abstract: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  authors: z.array(z.string()).optional(),
  authorCount: count.nullable().optional(),
  publishedAt: isoDate.nullable().optional(),
  upvotes: count.nullable().optional(),
  url: z.string().nullable().optional(),
  codeUrl: z.string().nullable().optional(),
  keywords: z.array(z.string()).optional(),
  // What `digest --json` adds to each paper: the card's one-line summary, made from summary and
  // abstract (render/make-tldr.ts). Read back, it is made again from them, so it is ignored.
  tldr: z.string().nullable().optional(),
});

const KNOWN_KEYS = new Set(Object.keys(paperSchema.shape));
const NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  object: 'an object',
  array: 'an array',
  boolean: 'true or false',
};

/** Parses paperpost digest JSON (`json` when the caller already parsed `text`). */
export function parsePaperpostJson(text: string, ctx: ParseContext, json: unknown = parseJsonText(text, ctx.name)): ParsedDigest {
  const top = digestSchema.safeParse(json, { reportInput: true });
  if (!top.success) {
    const problems = top.error.issues.slice(0, 3).map((issue) => `${pathOf('$', issue.path)}: ${describeIssue(issue)}`);
    const more = top.error.issues.length > 3 ? ` (and ${top.error.issues.length - 3} more)` : '';
    throw contentError(ctx.name, `not a paperpost digest: ${problems.join('; ')}${more}`, 'a paperpost digest is {"date": "YYYY-MM-DD", "source": "…", "papers": [ … ]}');
  }
  const papers: ParsedPaper[] = [];
  top.data.papers.forEach((raw, i) => {
    const path = jsonPath('$.papers', i);
    const position = `${ctx.name} ${path}`;
    const parsed = paperSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      ctx.warn(`${ctx.name} ${pathOf(path, issue.path)}`, `${describeIssue(issue)}; paper skipped`);
      return;
    }
    if (raw !== null && typeof raw === 'object') {
      for (const key of Object.keys(raw)) {
        if (!KNOWN_KEYS.has(key)) ctx.warn(`${ctx.name} ${jsonPath(path, key)}`, 'unknown key; ignored');
      }
    }
    const { tldr: _derived, ...p } = parsed.data;
    // A hand-edited digest says what it means: no guessing codeUrl from the abstract.
    const paper = buildPaper({ ...p, codeFromAbstract: false }, position, ctx);
    if (paper) papers.push({ paper, position });
  });
  return { date: top.data.date ?? null, papers, noun: 'papers in "papers"' };
}

function pathOf(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => jsonPath(acc, typeof key === 'number' ? key : String(key)), base);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const expected = NAMES[issue.expected] ?? issue.expected;
    return 'input' in issue && issue.input === undefined ? `expected ${expected} (missing)` : `expected ${expected}, got ${describeValue(issue.input)}`;
  }
  return issue.message;
}
