/**
 * Stored issues as the web pages read them: the frozen CompiledIssue of each issue whose
 * sending has begun. Frozen JSON never changes, so each is parsed once per process.
 */
import type { App } from '../app.js';
import type { CompiledIssue } from '../render/compile-issue.js';

/** One stored issue, parsed. */
export interface ArchivedIssue {
  id: string;
  compiled: CompiledIssue;
  createdAt: string;
  sentAt: string | null;
}

/** Read access to stored issues. */
export interface IssueArchive {
  /** Every stored issue, newest first (including one still being sent). */
  all(): Promise<ArchivedIssue[]>;
  /** Issues readers may see: completely sent, or with at least one message accepted. */
  published(): Promise<ArchivedIssue[]>;
  get(id: string): Promise<ArchivedIssue | null>;
  /**
   * The issue of a row without its frozen JSON (listIssueIds): from the parsed ones when it is
   * there, so a page listing many issues reads each one's JSON once per process, not per request.
   */
  fromRow(row: { id: string; createdAt: string; sentAt: string | null }): Promise<ArchivedIssue | null>;
  /**
   * Theme labels of the newest `issues` published issues, newest issue first, in issue
   * order, each once (case-insensitively), the catch-all theme last.
   */
  recentLabels(issues?: number): Promise<string[]>;
}

/** Opens the archive over app.store(). */
export function createIssueArchive(app: App): IssueArchive {
  const parsed = new Map<string, ArchivedIssue>();
  const toArchived = (row: { id: string; frozen: string; createdAt: string; sentAt: string | null }): ArchivedIssue => {
    const key = `${row.id}\0${row.createdAt}`;
    let hit = parsed.get(key);
    if (!hit) {
      hit = { id: row.id, compiled: JSON.parse(row.frozen) as CompiledIssue, createdAt: row.createdAt, sentAt: row.sentAt };
      parsed.set(key, hit);
    }
    // sentAt is set once the last delivery is in; the rest never changes.
    return hit.sentAt === row.sentAt ? hit : { ...hit, sentAt: row.sentAt };
  };
  const isPublished = async (issue: ArchivedIssue) => issue.sentAt !== null || (await app.store().countDeliveries(issue.id)).sent > 0;

  const archive: IssueArchive = {
    async all() {
      return (await app.store().listIssues()).map(toArchived);
    },
    async published() {
      const out: ArchivedIssue[] = [];
      for (const issue of await archive.all()) if (await isPublished(issue)) out.push(issue);
      return out;
    },
    async get(id) {
      const row = await app.store().getIssue(id);
      return row ? toArchived(row) : null;
    },
    async fromRow(row) {
      const hit = parsed.get(`${row.id}\0${row.createdAt}`);
      if (!hit) return archive.get(row.id);
      return hit.sentAt === row.sentAt ? hit : { ...hit, sentAt: row.sentAt };
    },
    async recentLabels(issues = 5) {
      const seen = new Set<string>();
      const named: string[] = [];
      const other: string[] = [];
      for (const issue of (await archive.published()).slice(0, issues)) {
        for (const s of issue.compiled.sections) {
          const key = s.label.trim().toLowerCase();
          if (seen.has(key)) continue;
          seen.add(key);
          (s.other ? other : named).push(s.label);
        }
      }
      return [...named, ...other];
    },
  };
  return archive;
}
