/**
 * `paperpost topics`: the topic map as subscribers and feeds see it (ids, labels, how many
 * papers each had lately), and `paperpost topics explain <source> [<paper-id>]`: why each
 * paper went where it did, every candidate topic's score and the terms that matched.
 */
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { Paper } from '../../types.js';
import { ingest, out, withApp, type DigestOpts } from '../context.js';
import { addDigestOptions } from '../options.js';

/** How many recent issues "lately" covers. */
const RECENT_ISSUES = 7;

/** Registers `topics` and `topics explain`. */
export function registerTopicsCommand(program: Command): void {
  const topics = program
    .command('topics')
    .description('list the topic map: ids (what subscriptions and feeds use), labels, papers lately')
    .option('--json', 'print the map as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withApp(
        async (app) => {
          const { loadTopicContext } = await import('../../issue/prepare-issue.js');
          const context = await loadTopicContext(app, null);
          if (!context) throw new InputError('the topic map is off (TOPICS_FILE=off): papers are grouped by day-by-day clusters', 'unset TOPICS_FILE for the map paperpost ships, or set it to a topics.yml');
          const counts = new Map<string, number>();
          for (const p of await app.store().recentIssuePapers('9999-12-31', RECENT_ISSUES)) if (p.themeId) counts.set(p.themeId, (counts.get(p.themeId) ?? 0) + 1);
          if (opts.json) {
            out(JSON.stringify(context.map.topics.map((t) => ({ id: t.id, label: t.label, description: t.description, phrases: t.phrases, recentPapers: counts.get(t.id) ?? 0, origin: t.origin })), null, 2));
            return;
          }
          const width = Math.max(...context.map.topics.map((t) => t.id.length));
          for (const t of context.map.topics) out(`${t.id.padEnd(width)}  ${String(counts.get(t.id) ?? 0).padStart(3)}  ${t.label} — ${t.description}`);
          out(`${context.map.topics.length} topics in ${app.config.topicsFile}; the numbers are papers in the last ${RECENT_ISSUES} issues`);
        },
        { orInMemory: true },
      );
    });

  addDigestOptions(
    topics
      .command('explain')
      .description("show, for each paper of a digest (or one), every candidate topic's score and the terms that matched")
      .argument('<source>', 'a digest source (see paperpost digest --help)')
      .argument('[paper-id]', 'only this paper (an arXiv id, or the id paperpost digest shows)'),
  )
    .option('--json', 'print the explanations as JSON')
    .action(async (source: string, paperId: string | undefined, opts: DigestOpts & { json?: boolean }) => {
      const digest = await ingest(source, opts);
      let papers: Paper[] = digest.papers;
      if (paperId !== undefined) {
        papers = papers.filter((p) => p.id === paperId);
        if (papers.length === 0) throw new InputError(`${source}: no paper with the id ${JSON.stringify(paperId)}`, 'see the ids with paperpost digest <source> --json');
      }
      await withApp(
        async (app) => {
          const [{ loadTopicContext, groupDigest }, { explainTopics }] = await Promise.all([import('../../issue/prepare-issue.js'), import('../../topics/explain-topics.js')]);
          const context = await loadTopicContext(app, digest.date);
          if (!context) throw new InputError('the topic map is off (TOPICS_FILE=off): papers are grouped by day-by-day clusters', 'unset TOPICS_FILE for the map paperpost ships, or set it to a topics.yml');
          // Where each paper ended up in the issue (a weak single may move to its second-best topic, or to "More trending papers").
          const placed = new Map<string, string>();
          for (const t of (await groupDigest(app, digest)).themes) for (const p of t.papers) placed.set(p.id, `${t.label} (${t.kind ?? (t.other ? 'other' : 'topic')}${t.kind === 'topic' ? `: ${t.id}` : ''})`);
          const explained = papers.map((p) => ({ paper: p, why: explainTopics(p, context.map, { learned: context.learned }) }));
          if (opts.json) {
            out(JSON.stringify(explained.map(({ paper, why }) => ({ ...why, title: paper.title, placedIn: placed.get(paper.id) ?? null })), null, 2));
            return;
          }
          for (const { paper, why } of explained) {
            out(`${paper.id}  ${paper.title}`);
            out(`  in the issue: ${placed.get(paper.id) ?? '-'}; best topic: ${why.best ?? `none scores ${why.threshold} or more`}`);
            for (const c of why.candidates.slice(0, 5)) {
              const terms = c.matches
                .slice(0, 6)
                .map((m) => `${m.term}${m.learned ? '*' : ''} (${[m.title && 'title', m.keywords && 'keywords', m.body && 'abstract'].filter(Boolean).join('+')})`)
                .join(', ');
              out(`    ${c.score.toFixed(2).padStart(6)}  ${c.id}: ${terms}`);
            }
            out('');
          }
          if (!opts.json) out('* a term the topic learned from its papers in earlier issues');
        },
        { orInMemory: true },
      );
    });
}
