/**
 * The theme labels the subscribe and preferences forms offer: those of recent sent issues,
 * or, before the first issue goes out, those of the newest draft.
 */
import type { WebContext } from '../create-web-context.js';

/** Labels to offer, newest issue first, the catch-all theme last. */
export async function listThemeLabels(ctx: WebContext): Promise<string[]> {
  const labels = await ctx.archive.recentLabels(5);
  if (labels.length > 0) return labels;
  const draft = await ctx.drafts.newest().catch(() => null);
  if (!draft) return [];
  return [...draft.labels.filter((l) => !l.other), ...draft.labels.filter((l) => l.other)].map((l) => l.label);
}
