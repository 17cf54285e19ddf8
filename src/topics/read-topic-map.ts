/**
 * The topic map for a command that runs (every command checks it, `send` reads it twice),
 * without parsing YAML when the same files were read before: parsing and checking the map
 * (load-topic-map.ts, with the YAML parser and the tokenizer it loads) cost a fifth of a
 * second of every start-up. The checked map is kept on disk by the content of its files and
 * the topics stage's code (content-cache.ts); anything else, an error included, goes through
 * loadTopicMap exactly as before, loaded only then.
 */
import { readFileSync } from 'node:fs';
import { codeStamp, hashKey, readCachedJson, writeCached } from '../content-cache.js';
import type { TopicMap } from './load-topic-map.js';

const KIND = 'topic-map';

/** The text of a file, or null when it cannot be read. */
const textOrNull = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** Like loadTopicMap(file, options), read from the cache when these very files were checked before. */
export async function readTopicMap(file: string, options: { themesFile?: string } = {}): Promise<TopicMap> {
  // 1. The key: the files' texts (an unreadable one is left to loadTopicMap to report) and the code.
  const text = textOrNull(file);
  const themes = options.themesFile === undefined ? null : textOrNull(options.themesFile);
  const key =
    text === null ? null : hashKey(KIND, codeStamp(['topics']), file, text, options.themesFile === undefined ? '\0' : options.themesFile, themes ?? '\0');
  const kept = key === null ? null : readCachedJson<TopicMap>(KIND, key);
  if (kept && Array.isArray(kept.topics)) return kept;
  // 2. Parsed and checked as always; only a good map is kept.
  const { loadTopicMap } = await import('./load-topic-map.js');
  const map = loadTopicMap(file, options);
  // Kept under the key of the text it was made from (unless the file changed meanwhile).
  if (key !== null && textOrNull(file) === text) writeCached(KIND, key, JSON.stringify(map));
  return map;
}
