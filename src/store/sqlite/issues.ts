/** IssueStore on SQLite: the issues table (frozen at first send) and the papers each carried. */
import type Database from 'better-sqlite3';
import type { IssuePaper, IssueStore } from '../roles/issue-store.js';
import { issuePaperText, NEWEST_ISSUE_PAPER, type IssuePaperWithFrozen } from '../shared/issue-paper-text.js';
import { keywordsJson, toIssue, toIssuePaper, toIssueSummary, type IssuePaperRow, type IssueRow } from '../shared/map-rows.js';

export function createSqliteIssues(db: Database.Database, now: () => Date): IssueStore {
  const s = {
    get: db.prepare<[string], IssueRow>('SELECT * FROM issues WHERE id = ?'),
    insert: db.prepare('INSERT OR IGNORE INTO issues (id, frozen, created_at) VALUES (?, ?, ?)'),
    sent: db.prepare('UPDATE issues SET sent_at = COALESCE(sent_at, ?) WHERE id = ?'),
    list: db.prepare<[], IssueRow>('SELECT * FROM issues ORDER BY id DESC'),
    listIds: db.prepare<[], Omit<IssueRow, 'frozen'>>('SELECT id, created_at, sent_at FROM issues ORDER BY id DESC'),
    unfinished: db.prepare<[], IssueRow>('SELECT * FROM issues WHERE sent_at IS NULL ORDER BY id'),
    insertPaper: db.prepare(
      `INSERT OR IGNORE INTO issue_papers (issue_id, paper_id, title, url, upvotes, theme_label, theme_id, keywords, abstract)
       VALUES (@issueId, @paperId, @title, @url, @upvotes, @themeLabel, @themeId, @keywords, @abstract)`,
    ),
    latestMention: db.prepare<[string, string], IssuePaperRow>('SELECT * FROM issue_papers WHERE paper_id = ? AND issue_id < ? ORDER BY issue_id DESC LIMIT 1'),
    recentPapers: db.prepare<[string, number], IssuePaperRow>(
      `SELECT p.* FROM issue_papers p
       WHERE p.issue_id IN (SELECT id FROM issues WHERE id < ? AND id NOT LIKE '%-W%' ORDER BY id DESC LIMIT ?)
       ORDER BY p.issue_id DESC, p.paper_id`,
    ),
    newestWithPaper: db.prepare<[string], IssuePaperWithFrozen>(NEWEST_ISSUE_PAPER.replace('{id}', '?')),
  };
  return {
    async getIssue(id) {
      const row = s.get.get(id);
      return row ? toIssue(row) : null;
    },
    async freezeIssue(id, frozen) {
      const created = s.insert.run(id, frozen, now().toISOString()).changes > 0;
      return { ...toIssue(s.get.get(id)!), created };
    },
    async markIssueSent(id) {
      s.sent.run(now().toISOString(), id);
    },
    async listIssueIds() {
      return s.listIds.all().map(toIssueSummary);
    },
    async listIssues() {
      return s.list.all().map(toIssue);
    },
    async listUnfinishedIssues() {
      return s.unfinished.all().map(toIssue);
    },
    async recordIssuePapers(papers) {
      db.transaction(() => {
        for (const p of papers) {
          s.insertPaper.run({
            issueId: p.issueId,
            paperId: p.paperId,
            title: p.title,
            url: p.url,
            upvotes: p.upvotes,
            themeLabel: p.themeLabel,
            themeId: p.themeId ?? null,
            keywords: keywordsJson(p.keywords),
            abstract: p.abstract || null,
          });
        }
      })();
    },
    async findEarlierPapers(paperIds, beforeIssueId) {
      const found = new Map<string, IssuePaper>();
      for (const id of paperIds) {
        const row = s.latestMention.get(id, beforeIssueId);
        if (row) found.set(id, toIssuePaper(row));
      }
      return found;
    },
    async recentIssuePapers(beforeIssueId, count) {
      return s.recentPapers.all(beforeIssueId, count).map(toIssuePaper);
    },
    async findIssuePaper(paperId) {
      const row = s.newestWithPaper.get(paperId);
      return row ? issuePaperText(row) : null;
    },
  };
}
