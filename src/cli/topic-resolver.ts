/**
 * How the CLI reads topic choices (`subscribers add --topics`, an import's topics column):
 * ids or labels of the topic map, stored as ids. With the topic map off (TOPICS_FILE=off: an
 * installation still on day-by-day themes), the values are kept as written.
 */
import type { Config } from '../config.js';
import { resolveTopicChoices } from '../subscribers/resolve-topic-choices.js';
import { loadTopicMap } from '../topics/load-topic-map.js';

/** A function from the values given to the topic ids they name and the values that name none. */
export function topicResolver(config: Config): (values: string[]) => { ids: string[]; unknown: string[] } {
  if (config.topicsFile === null) return (values) => ({ ids: [...new Set(values)], unknown: [] });
  const { topics } = loadTopicMap(config.topicsFile, { themesFile: config.themesFile });
  return (values) => resolveTopicChoices(values, topics);
}
