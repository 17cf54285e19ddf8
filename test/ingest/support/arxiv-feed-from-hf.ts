/**
 * A second source built from real data, for the tests of several sources in one issue
 * (issue #21): an arXiv API Atom feed (the shape of export.arxiv.org/api/query, as in
 * test/fixtures/digests/arxiv-api-2025-01-06.atom.xml) whose entries are real papers taken from
 * the Hugging Face API fixtures. Each entry carries only what arXiv has (id, dates, title,
 * abstract, authors), copied verbatim from the HF record: no upvotes, no AI summary, no
 * keywords. Nothing in it is written for the test but the feed's envelope.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../fixtures.js';

/** One record of Hugging Face's /api/daily_papers, as far as arXiv shares its fields. */
interface HfRecord {
  paper: { id: string; title: string; summary: string; publishedAt?: string; authors: { name: string }[] };
}

/** The records of an HF API fixture (a path relative to the repository). */
export function hfRecords(file: string): HfRecord[] {
  return JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as HfRecord[];
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An arXiv Atom feed dated `date` (YYYY-MM-DD) listing `records`, in order. */
export function arxivFeedFrom(records: readonly HfRecord[], date: string): string {
  const entries = records.map(({ paper }) => {
    const published = paper.publishedAt ?? `${date}T00:00:00Z`;
    return `  <entry>
    <id>http://arxiv.org/abs/${paper.id}v1</id>
    <updated>${published}</updated>
    <published>${published}</published>
    <title>${xml(paper.title)}</title>
    <summary>${xml(paper.summary)}</summary>
${paper.authors.map((a) => `    <author>\n      <name>${xml(a.name)}</name>\n    </author>`).join('\n')}
    <link href="http://arxiv.org/abs/${paper.id}v1" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/${paper.id}v1" rel="related" type="application/pdf"/>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3Dcat%3Acs.LG" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=cat:cs.LG</title>
  <id>http://arxiv.org/api/paperpost-test-listing</id>
  <updated>${date}T00:00:00-04:00</updated>
${entries.join('\n')}
</feed>
`;
}
