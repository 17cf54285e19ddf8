/**
 * IssueStore: frozen issues and the papers each carried. An issue is frozen at its first send
 * so a resend uses exactly the same content, and its papers are kept so later issues know
 * what was already sent (building an issue asks for this role).
 */
import type { RatedPaper } from '../../picks/reader-signals.js';

/** A stored issue: frozen at first send so a resend uses exactly the same content. */
export interface StoredIssue {
  id: string;
  /** The compiled issue as JSON (see render/compile-issue.ts). */
  frozen: string;
  createdAt: string;
  sentAt: string | null;
}

/** A paper as an issue carried it, kept so later issues know what was already sent. */
export interface IssuePaper {
  issueId: string;
  paperId: string;
  title: string;
  url: string | null;
  upvotes: number | null;
  themeLabel: string;
  /** The section's stable id (a topic id from the topic map); null for issues sent before topics. */
  themeId?: string | null;
  /** What the topic's vocabulary learns from (source keywords and abstract); empty for older issues. */
  keywords?: string[];
  abstract?: string;
}

export interface IssueStore {
  getIssue(id: string): Promise<StoredIssue | null>;
  /**
   * Stores the frozen issue unless one with this id exists; returns the stored one either way,
   * `created` true only for the call whose insert stored it (of several processes, exactly one).
   */
  freezeIssue(id: string, frozen: string): Promise<StoredIssue & { created: boolean }>;
  markIssueSent(id: string): Promise<void>;
  listIssues(): Promise<StoredIssue[]>;
  /** Every issue's id and dates, newest first, without its frozen content. */
  listIssueIds(): Promise<Omit<StoredIssue, 'frozen'>[]>;
  /** Frozen issues whose deliveries are not all final (a run was cut short or left some deferred). */
  listUnfinishedIssues(): Promise<StoredIssue[]>;

  /** Records the papers an issue carries in full (once per issue; later calls are ignored). */
  recordIssuePapers(papers: IssuePaper[]): Promise<void>;
  /** Papers among `paperIds` carried by issues before `beforeIssueId`, the latest mention of each. */
  findEarlierPapers(paperIds: string[], beforeIssueId: string): Promise<Map<string, IssuePaper>>;
  /** Every paper of the `count` daily issues before `beforeIssueId`, newest issue first (weekly issues, `YYYY-Www`, are no day of the history). */
  recentIssuePapers(beforeIssueId: string, count: number): Promise<IssuePaper[]>;
  /**
   * A paper's text as the newest frozen issue carrying it had it (title, abstract, authors,
   * keywords, cut to the limits a rating keeps), or null when no issue carried it: what a
   * rating from the feedback page or `paperpost feedback` keeps. `url` is the paper's own link
   * as the issue showed it (the feedback page links the title with it; a rating does not keep it).
   */
  findIssuePaper(paperId: string): Promise<(RatedPaper & { url: string | null }) | null>;
}
