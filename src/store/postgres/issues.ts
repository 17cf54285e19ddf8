/**
 * IssueStore on PostgreSQL: the issues table (frozen at first send: of several processes, the
 * first insert wins and the others read it back) and the papers each carried.
 */
import type { IssuePaper, IssueStore } from '../roles/issue-store.js';
import { issuePaperText, NEWEST_ISSUE_PAPER, type IssuePaperWithFrozen } from '../shared/issue-paper-text.js';
import { keywordsJson, toIssue, toIssuePaper, toIssueSummary, type IssuePaperRow, type IssueRow } from '../shared/map-rows.js';
import type { SqlRunner } from './sql-runner.js';

const GET = 'SELECT * FROM issues WHERE id = $1';

export function createPostgresIssues({ q, first, iso }: SqlRunner): IssueStore {
  return {
    async getIssue(id) {
      const row = await first<IssueRow>(GET, [id]);
      return row ? toIssue(row) : null;
    },
    async freezeIssue(id, frozen) {
      // Exactly one process's content is kept: the first insert; the others read it back.
      const r = await q('INSERT INTO issues (id, frozen, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [id, frozen, iso()]);
      return { ...toIssue((await first<IssueRow>(GET, [id]))!), created: (r.rowCount ?? 0) > 0 };
    },
    async markIssueSent(id) {
      await q('UPDATE issues SET sent_at = COALESCE(sent_at, $1) WHERE id = $2', [iso(), id]);
      // The ledger counts its senders' connections kept apart (migration-issue-stats-shards.ts), folded into the
      // issue's own row now that the send is over: one statement, so a reader never sees them twice or not at all.
      await q(
        `WITH gone AS (DELETE FROM issue_stats WHERE issue_id = $1 AND shard <> 0 RETURNING queued, sent, deferred, failed)
         INSERT INTO issue_stats (issue_id, shard, queued, sent, deferred, failed)
           SELECT $1, 0, COALESCE(sum(queued), 0), COALESCE(sum(sent), 0), COALESCE(sum(deferred), 0), COALESCE(sum(failed), 0) FROM gone
         ON CONFLICT (issue_id, shard) DO UPDATE SET queued = issue_stats.queued + excluded.queued, sent = issue_stats.sent + excluded.sent,
           deferred = issue_stats.deferred + excluded.deferred, failed = issue_stats.failed + excluded.failed`,
        [id],
      );
    },
    async listIssueIds() {
      return (await q<Omit<IssueRow, 'frozen'>>('SELECT id, created_at, sent_at FROM issues ORDER BY id DESC')).rows.map(toIssueSummary);
    },
    async listIssues() {
      return (await q<IssueRow>('SELECT * FROM issues ORDER BY id DESC')).rows.map(toIssue);
    },
    async listUnfinishedIssues() {
      return (await q<IssueRow>('SELECT * FROM issues WHERE sent_at IS NULL ORDER BY id')).rows.map(toIssue);
    },
    async recordIssuePapers(papers) {
      if (papers.length === 0) return;
      await q(
        `INSERT INTO issue_papers (issue_id, paper_id, title, url, upvotes, theme_label, theme_id, keywords, abstract)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
         ON CONFLICT (issue_id, paper_id) DO NOTHING`,
        [
          papers.map((p) => p.issueId),
          papers.map((p) => p.paperId),
          papers.map((p) => p.title),
          papers.map((p) => p.url),
          papers.map((p) => p.upvotes),
          papers.map((p) => p.themeLabel),
          papers.map((p) => p.themeId ?? null),
          papers.map((p) => keywordsJson(p.keywords)),
          papers.map((p) => p.abstract || null),
        ],
      );
    },
    async findEarlierPapers(paperIds, beforeIssueId) {
      const { rows } = await q<IssuePaperRow>(
        `SELECT DISTINCT ON (paper_id) * FROM issue_papers WHERE paper_id = ANY($1::text[]) AND issue_id < $2 ORDER BY paper_id, issue_id DESC`,
        [paperIds, beforeIssueId],
      );
      const latest = new Map(rows.map((r) => [r.paper_id, r]));
      const found = new Map<string, IssuePaper>();
      for (const id of paperIds) {
        const row = latest.get(id);
        if (row) found.set(id, toIssuePaper(row));
      }
      return found;
    },
    async recentIssuePapers(beforeIssueId, count) {
      const { rows } = await q<IssuePaperRow>(
        `SELECT p.* FROM issue_papers p
         WHERE p.issue_id IN (SELECT id FROM issues WHERE id < $1 AND id NOT LIKE '%-W%' ORDER BY id DESC LIMIT $2)
         ORDER BY p.issue_id DESC, p.paper_id`,
        [beforeIssueId, count],
      );
      return rows.map(toIssuePaper);
    },
    async findIssuePaper(paperId) {
      const row = await first<IssuePaperWithFrozen>(NEWEST_ISSUE_PAPER.replace('{id}', '$1'), [paperId]);
      return row ? issuePaperText(row) : null;
    },
  };
}
