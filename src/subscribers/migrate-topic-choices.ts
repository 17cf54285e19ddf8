/**
 * A one-off data migration: subscribers who picked themes by label before the topic map
 * (labels changed every day) get those choices as topic ids. A choice whose labels match
 * topics keeps those topics; one that matches none becomes "all topics", so nobody silently
 * stops getting the newsletter. It runs once per database and says what it did.
 */
import type { Subscriber } from '../types.js';
import { resolveTopicChoices, type NamedTopic } from './resolve-topic-choices.js';

/**
 * What the migration needs of the store. The store has these methods (SubscriberStore and
 * Meta); they are named here so that subscribers/ does not import store/, which depends on
 * subscribers/ (the consent and address rules).
 */
export interface TopicChoicesStore {
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  listSubscribers(): AsyncIterable<Subscriber>;
  setSubscriberPreferences(id: number, prefs: { themes?: string[] | null }): Promise<void>;
}

/** The meta key that records the migration (and its report). */
export const TOPIC_CHOICES_MIGRATION = 'topic-choices-v1';

/** What the migration did, or null when it had already run. */
export interface TopicChoicesReport {
  checked: number;
  /** Subscribers whose choices now name topics (some labels may have matched nothing). */
  matched: number;
  /** Subscribers none of whose labels matched a topic: now all topics. */
  toAll: number;
  /** The labels that matched no topic, each once. */
  unknownLabels: string[];
}

/** Runs the migration if this database has not had it; returns the report, or null. */
export async function migrateTopicChoices(store: TopicChoicesStore, topics: readonly NamedTopic[]): Promise<TopicChoicesReport | null> {
  if ((await store.getMeta(TOPIC_CHOICES_MIGRATION)) !== null) return null;
  const ids = new Set(topics.map((t) => t.id));
  const report: TopicChoicesReport = { checked: 0, matched: 0, toAll: 0, unknownLabels: [] };
  const changes: { id: number; themes: string[] | null }[] = [];
  for await (const s of store.listSubscribers()) {
    if (s.themes === null || s.themes.every((t) => ids.has(t))) continue;
    report.checked++;
    const r = resolveTopicChoices(s.themes, topics);
    for (const u of r.unknown) if (!report.unknownLabels.includes(u)) report.unknownLabels.push(u);
    if (r.ids.length > 0) report.matched++;
    else report.toAll++;
    changes.push({ id: s.id, themes: r.ids.length > 0 ? r.ids : null });
  }
  for (const c of changes) await store.setSubscriberPreferences(c.id, { themes: c.themes });
  await store.setMeta(TOPIC_CHOICES_MIGRATION, JSON.stringify(report));
  return report;
}

/** The report as one line for the operator. */
export function describeTopicChoicesReport(r: TopicChoicesReport): string {
  const unknown = r.unknownLabels.slice(0, 5).map((l) => JSON.stringify(l)).join(', ') + (r.unknownLabels.length > 5 ? ', …' : '');
  return (
    `moved ${r.checked} subscriber(s)' theme choices to topic ids: ${r.matched} now follow the topics their labels name, ${r.toAll} now get all topics` +
    (r.unknownLabels.length ? ` (no topic is called ${unknown})` : '')
  );
}
