/**
 * Topic ids to the labels people read, for /admin's followers chart: from the topic map when
 * there is one (ids are what subscribers store); without one, subscribers store labels already.
 */
import type { Config } from '../../config.js';
import { loadTopicMap } from '../../topics/load-topic-map.js';

/** id → label; empty without a topic map or when the map cannot be read (the ids show instead). */
export function topicLabels(config: Config): Map<string, string> {
  if (config.topicsFile === null) return new Map();
  try {
    return new Map(loadTopicMap(config.topicsFile, { themesFile: config.themesFile }).topics.map((t) => [t.id, t.label]));
  } catch {
    return new Map();
  }
}
