/**
 * Test-only reader of a Hugging Face "Daily Papers" page saved as text (the 39-paper
 * sample), so the group tests do not wait on src/ingest. Each entry is a title line, an
 * abstract line, then optionally "• N authors", "·" and a date line with the upvote count
 * after it ("Nov 19 3", "Dec 22, 2020 1").
 */
import type { Digest, Paper } from '../../../src/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DATE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2})(?:, (\d{4}))?(?: (\d+))?$/;
const AUTHORS = /^•\s*(\d+) authors?$/;

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The digest in `text`; `year` completes dates written without one. */
export function parseHfPapersPage(text: string, source: string, date: string): Digest {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const start = lines.findIndex((l) => /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}$/.test(l)) + 1;
  const papers: Paper[] = [];
  let current: Paper | undefined;
  for (const line of lines.slice(start)) {
    const authors = AUTHORS.exec(line);
    const dated = DATE.exec(line);
    if (current && authors) current.authorCount = Number(authors[1]);
    else if (line === '·') continue;
    else if (current && dated) {
      const month = String(MONTHS.indexOf(dated[1]!) + 1).padStart(2, '0');
      current.publishedAt = `${dated[3] ?? date.slice(0, 4)}-${month}-${dated[2]!.padStart(2, '0')}`;
      current.upvotes = dated[4] === undefined ? 0 : Number(dated[4]);
    } else if (current && current.abstract === '') current.abstract = line;
    else {
      current = {
        id: slug(line),
        title: line,
        abstract: '',
        summary: null,
        authors: [],
        authorCount: null,
        publishedAt: null,
        upvotes: null,
        url: null,
        codeUrl: null,
        keywords: [],
      };
      papers.push(current);
    }
  }
  return { date, source, papers };
}
