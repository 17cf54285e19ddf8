/**
 * What a subscriber's choice of topics means in terms of the topic map. A choice is stored
 * as topic ids, which survive any relabelling; people and CSV files may give ids or labels
 * ("LLM Agents", "llm-agents", "llm agents"), so both are read here, in one place.
 */

/** A topic as a choice can name it. */
export interface NamedTopic {
  id: string;
  label: string;
}

const norm = (s: string) => s.toLowerCase().replace(/&/g, ' and ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** The topic ids `values` name (each once, in the order given) and the values that name none. */
export function resolveTopicChoices(values: readonly string[], topics: readonly NamedTopic[]): { ids: string[]; unknown: string[] } {
  const byName = new Map<string, string>();
  for (const t of topics) {
    byName.set(norm(t.label), t.id);
    byName.set(norm(t.id), t.id);
  }
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const value of values) {
    const id = byName.get(norm(value));
    if (id === undefined) unknown.push(value);
    else if (!ids.includes(id)) ids.push(id);
  }
  return { ids, unknown };
}
