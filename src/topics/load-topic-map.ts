/**
 * Reads the topic map (content/topics.yml): the stable list of topics every issue, every
 * subscription and every per-topic feed refers to by id.
 *
 *     topics:
 *       - id: efficient-inference          # kebab-case slug, never changes once shipped
 *         label: Efficient Inference       # at most 4 words
 *         description: One line for forms and `paperpost topics`.
 *         phrases: [kv cache, quantization, speculative decoding]
 *         domain: true                     # optional: an application domain (see Topic.domain)
 *
 * The operator's older content/themes.yml keeps working: with `themesFile`, each operator
 * theme becomes one more topic (id = slug of its label, phrases = its keywords and phrases);
 * one whose slug is already a map id adds its terms to that topic instead.
 *
 * Anything malformed is a ConfigError listing every problem as "file:line: what is wrong"
 * (exit 2), so the operator fixes them in one pass.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { ConfigError } from '../errors.js';
import { displayFileName } from './display-file-name.js';
import { parseYamlFile } from './parse-yaml-file.js';
import { CATCH_ALL_ID, CATCH_ALL_LABEL } from './group-papers.js';
import { loadOperatorThemes } from './load-operator-themes.js';
import { slugifyLabel } from './slugify-label.js';
import { tokenizeText } from './tokenize-text.js';

/** One topic of the map. */
export interface Topic {
  /** Stable kebab-case slug: subscriptions, feeds and day counts are keyed by it. */
  id: string;
  /** What readers see, at most 4 words. */
  label: string;
  /** One line for the subscribe form and `paperpost topics`. */
  description: string;
  /** Terms that define the topic, as written in the file (matched by stems, any case). */
  phrases: string[];
  /**
   * An application domain (medicine, remote sensing, robotics, …) rather than a method or a
   * modality: a paper that fits one about as well as a method topic is filed under the domain,
   * as an editor would file "a vision-language model for radiology" under medicine.
   */
  domain?: boolean;
  /** Where it came from: the topic map, or an operator theme of themes.yml. */
  origin: 'map' | 'themes';
  /** "file:line" of the entry, for messages and `paperpost topics`. */
  position: string;
}

/** The topics in file order (operator themes after the map's). */
export interface TopicMap {
  topics: Topic[];
}

/** Most words in a label ("&" is no word): what a section heading and a form can hold. */
export const MAX_TOPIC_LABEL_WORDS = 4;
/** Prefix of emerging sections' ids; no map id may start with it. */
export const EMERGING_ID_PREFIX = 'emerging-';

const HINT = 'fix the topic map; the comment at the top of content/topics.yml describes the format';
const TOPIC_KEYS = ['id', 'label', 'description', 'phrases', 'domain'];
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words of a label, punctuation-only parts ("&", "·") not counted. */
export function labelWords(label: string): number {
  return label.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/**
 * Maps already made, by the exact text of their files: parsing the YAML is the slow part
 * (tens of milliseconds), and a command reads the map more than once, the subscribe form
 * every second. A changed file is a new key, so an edit shows at once.
 */
const made = new Map<string, TopicMap>();
const MAX_MADE = 4;

/** The text of an optional file, or null when it cannot be read (loadOperatorThemes says why). */
const textOrNull = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** The topic map in `file`, with the operator themes of `options.themesFile` (when it exists) appended. */
export function loadTopicMap(file: string, options: { themesFile?: string } = {}): TopicMap {
  // 1. Read; the map made from these very texts before, if any (each caller gets its own copy).
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([`${displayFileName(file)}: cannot read the topic map (${code ?? String(error)})`], HINT);
  }
  const key = JSON.stringify([file, text, options.themesFile ?? null, options.themesFile === undefined ? null : textOrNull(options.themesFile)]);
  let map = made.get(key);
  if (!map) {
    map = makeTopicMap(file, text, options);
    made.set(key, map);
    if (made.size > MAX_MADE) made.delete(made.keys().next().value!);
  }
  return { topics: map.topics.map((t) => ({ ...t, phrases: [...t.phrases] })) };
}

/** Parses and checks the topic map's text (steps 1 to 4 of the file comment's format). */
function makeTopicMap(file: string, text: string, options: { themesFile?: string }): TopicMap {
  const name = displayFileName(file);
  // Parse, with line positions.
  const { doc, lineOf, at } = parseYamlFile(text, name, HINT);
  const problems: string[] = [];

  // 2. The top level: one key, "topics", holding a non-empty list.
  const root = doc.contents;
  if (!isMap(root)) throw new ConfigError([`${at(root as Node)}: expected "topics:" followed by a list of topics`], HINT);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    if (key !== 'topics') problems.push(`${at(pair.key as Node)}: unknown key "${key}" (the file holds one key, "topics")`);
  }
  const list = root.get('topics', true);
  if (!isSeq(list) || list.items.length === 0) {
    throw new ConfigError([...problems, `${at((list ?? root) as Node)}: "topics" must be a non-empty list of topics, each starting with "- id:"`], HINT);
  }

  // 3. Each topic, every problem recorded.
  const topics: Topic[] = [];
  const ids = new Map<string, number>();
  const labels = new Map<string, number>();
  for (const item of list.items) {
    const where = at(item as Node);
    if (!isMap(item)) {
      problems.push(`${where}: a topic must be a mapping with id, label, description and phrases`);
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (!TOPIC_KEYS.includes(key)) problems.push(`${at(pair.key as Node)}: unknown key "${key}" (expected id, label, description or phrases)`);
    }
    const text = (key: string): { value: string; node: Node } | undefined => {
      const node = item.get(key, true) as Node | undefined;
      if (node === undefined || (isScalar(node) && node.value === null)) {
        problems.push(`${where}: topic has no ${key}`);
        return undefined;
      }
      if (!isScalar(node) || typeof node.value !== 'string') {
        problems.push(`${at(node)}: ${key} must be text (put it in quotes)`);
        return undefined;
      }
      return { value: node.value.replace(/\s+/g, ' ').trim(), node };
    };

    const id = text('id');
    if (id) {
      const line = lineOf(id.node);
      if (!SLUG.test(id.value)) problems.push(`${name}:${line}: id "${id.value}" is not a kebab-case slug (lowercase letters, digits and single hyphens, like "llm-agents")`);
      else if (id.value === CATCH_ALL_ID || id.value.startsWith(EMERGING_ID_PREFIX)) problems.push(`${name}:${line}: id "${id.value}" is reserved for the catch-all and emerging sections; choose another`);
      else if (ids.has(id.value)) problems.push(`${name}:${line}: id "${id.value}" is already used on line ${ids.get(id.value)}`);
      else ids.set(id.value, line);
    }
    const label = text('label');
    if (label) {
      const line = lineOf(label.node);
      const key = label.value.toLowerCase();
      if (label.value === '') problems.push(`${name}:${line}: label is empty`);
      else if (labelWords(label.value) > MAX_TOPIC_LABEL_WORDS) problems.push(`${name}:${line}: label "${label.value}" has more than ${MAX_TOPIC_LABEL_WORDS} words`);
      else if (key === CATCH_ALL_LABEL.toLowerCase()) problems.push(`${name}:${line}: "${CATCH_ALL_LABEL}" is the catch-all's label; choose another`);
      else if (labels.has(key)) problems.push(`${name}:${line}: label "${label.value}" is already used on line ${labels.get(key)}`);
      else labels.set(key, line);
    }
    const description = text('description');
    if (description && description.value === '') problems.push(`${at(description.node)}: description is empty`);
    const phrases = readPhrases(item.get('phrases', true), where, at, problems);
    const domain = item.get('domain', true) as Node | undefined;
    if (domain !== undefined && !(isScalar(domain) && typeof domain.value === 'boolean')) problems.push(`${at(domain)}: domain must be true or false`);
    topics.push({
      id: id?.value ?? '',
      label: label?.value ?? '',
      description: description?.value ?? '',
      phrases,
      ...(isScalar(domain) && domain.value === true ? { domain: true } : {}),
      origin: 'map',
      position: where,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems, HINT);

  // 4. Operator themes: extra topics, or extra phrases for the topic with their slug.
  if (options.themesFile !== undefined) {
    const themesName = displayFileName(options.themesFile);
    for (const theme of loadOperatorThemes(options.themesFile)) {
      const id = slugifyLabel(theme.label);
      const terms = [...theme.keywords, ...theme.phrases];
      const same = topics.find((t) => t.id === id);
      if (same) same.phrases = [...new Set([...same.phrases, ...terms])];
      else topics.push({ id, label: theme.label, description: `Operator theme "${theme.label}" from ${themesName}.`, phrases: terms, origin: 'themes', position: themesName });
    }
  }
  return { topics };
}

/** The phrases of one topic, recording what is wrong with them. */
function readPhrases(node: unknown, where: string, at: (node: Node | null | undefined) => string, problems: string[]): string[] {
  if (node === undefined || (isScalar(node) && node.value === null)) {
    problems.push(`${where}: topic has no phrases, so no paper could match it`);
    return [];
  }
  if (!isSeq(node)) {
    problems.push(`${at(node as Node)}: phrases must be a list, like [kv cache, quantization]`);
    return [];
  }
  if (node.items.length === 0) problems.push(`${at(node)}: phrases is an empty list, so no paper could match the topic`);
  const phrases: string[] = [];
  const seen = new Set<string>();
  for (const entry of node.items) {
    const entryAt = at(entry as Node);
    if (!isScalar(entry) || (typeof entry.value !== 'string' && typeof entry.value !== 'number')) {
      problems.push(`${entryAt}: each phrase must be a word or a few words`);
      continue;
    }
    const phrase = String(entry.value).replace(/\s+/g, ' ').trim();
    const tokens = tokenizeText(phrase);
    if (phrase === '') problems.push(`${entryAt}: empty phrase`);
    else if (tokens.length === 0) problems.push(`${entryAt}: phrase "${phrase}" has no letters or digits to match`);
    else if (tokens.length > 1) problems.push(`${entryAt}: phrase "${phrase}" holds punctuation that splits it; write it as words`);
    else if (tokens.flat().every((t) => t.stop === 'english' && !/\d/.test(t.surface))) problems.push(`${entryAt}: phrase "${phrase}" is too common a word to tell papers apart`);
    else if (seen.has(phrase.toLowerCase())) problems.push(`${entryAt}: phrase "${phrase}" is listed twice`);
    else {
      seen.add(phrase.toLowerCase());
      phrases.push(phrase);
    }
  }
  return phrases;
}
