/**
 * Topic ids to the labels people read, for /admin's followers chart: from the topic map when
 * there is one (ids are what subscribers store); without one, subscribers store labels already.
 * Parsing the map's YAML took about a sixth of each /admin request's CPU, so the labels are
 * kept until the files change (their size or modification time; an edit shows on the next
 * request).
 */
import { statSync } from 'node:fs';
import type { Config } from '../../config.js';
import { loadTopicMap } from '../../topics/load-topic-map.js';

let kept: { key: string; labels: Map<string, string> } | undefined;

/** What identifies a version of `file` without reading it ('-' when it is not there). */
const versionOf = (file: string | undefined) => {
  if (!file) return '-';
  try {
    const st = statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return '-';
  }
};

/** id → label; empty without a topic map or when the map cannot be read (the ids show instead). */
export function topicLabels(config: Config): Map<string, string> {
  if (config.topicsFile === null) return new Map();
  const key = [config.topicsFile, versionOf(config.topicsFile), config.themesFile, versionOf(config.themesFile)].join('\0');
  if (kept?.key === key) return kept.labels;
  let labels: Map<string, string>;
  try {
    labels = new Map(loadTopicMap(config.topicsFile, { themesFile: config.themesFile }).topics.map((t) => [t.id, t.label]));
  } catch {
    labels = new Map();
  }
  kept = { key, labels };
  return labels;
}
