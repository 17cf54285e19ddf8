/**
 * The topics the subscribe and preferences forms offer. With a topic map, its topics, each
 * with how many papers it carried in the last issues: a choice is a topic id, which stays
 * the same whatever the label says next year. Without one (an installation still on
 * day-by-day themes), the labels of recent issues, or of the newest draft before the first
 * issue goes out.
 */
import { loadTopicMap } from '../../topics/load-topic-map.js';
import type { WebContext } from '../create-web-context.js';
import type { TopicChoice } from '../views/render-theme-choices.js';

/** How many recent issues the counts beside each topic cover. */
const RECENT_ISSUES = 7;

/** The choices to offer, in the map's order (or newest issue first, the catch-all last). */
export async function listTopicChoices(ctx: WebContext): Promise<TopicChoice[]> {
  const { config } = ctx.app;
  if (config.topicsFile !== null) {
    const map = loadTopicMap(config.topicsFile, { themesFile: config.themesFile });
    const counts = new Map<string, number>();
    for (const p of await ctx.app.store().recentIssuePapers('9999-12-31', RECENT_ISSUES)) {
      if (p.themeId) counts.set(p.themeId, (counts.get(p.themeId) ?? 0) + 1);
    }
    return map.topics.map((t) => ({ value: t.id, label: t.label, description: t.description, recent: counts.get(t.id) ?? 0 }));
  }
  let labels = await ctx.archive.recentLabels(5);
  if (labels.length === 0) {
    const draft = await ctx.drafts.newest().catch(() => null);
    labels = draft ? [...draft.labels.filter((l) => !l.other), ...draft.labels.filter((l) => l.other)].map((l) => l.label) : [];
  }
  return labels.map((label) => ({ value: label, label, description: null, recent: null }));
}
