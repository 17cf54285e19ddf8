/**
 * Whether a followed author's name is ambiguous (issue #20: "when two authors share the normalised
 * name, paperpost says the follow is ambiguous"). Follows match authors by their normalised name
 * (`followKey`), so "Jun Li" and "Jūn Li" are one follow; paperpost can only see that the name is
 * shared when recent issues list more than one spelling of it. The CLI and the web pages both ask
 * this one function, through the two store methods it needs.
 *
 * 1. Read the frozen sections of the newest `RECENT_ISSUES` issues.
 * 2. Collect each author whose normalised name equals the followed one's, spaces tidied.
 * 3. Return the spellings, sorted, when there are two or more; else null.
 */
import type { Theme } from '../types.js';
import { followKey } from './reader-signals.js';

/** How many of the newest issues are searched for other spellings of a followed author. */
export const RECENT_ISSUES = 14;

/** The few store methods this needs (the IssueStore role has both). */
export interface IssueReader {
  listIssueIds(): Promise<Array<{ id: string }>>;
  getIssue(id: string): Promise<{ frozen: string } | null | undefined>;
}

/** The different spellings in recent issues of authors whose normalised name is `name`'s, when two or more; else null. */
export async function authorSpellings(issues: IssueReader, name: string): Promise<string[] | null> {
  const key = followKey('author', name);
  const spellings = new Set<string>();
  for (const { id } of (await issues.listIssueIds()).slice(0, RECENT_ISSUES)) {
    const issue = await issues.getIssue(id);
    let themes: Theme[] = [];
    try {
      themes = (JSON.parse(issue?.frozen ?? '{}') as { themes?: Theme[] }).themes ?? [];
    } catch {
      continue;
    }
    for (const theme of themes) {
      for (const paper of theme.papers ?? []) {
        for (const author of paper.authors ?? []) {
          if (typeof author === 'string' && followKey('author', author) === key) spellings.add(author.replace(/\s+/g, ' ').trim());
        }
      }
    }
  }
  return spellings.size > 1 ? [...spellings].sort() : null;
}
