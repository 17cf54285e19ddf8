/**
 * Reads the operator's themes file (content/themes.yml by default):
 *
 *     themes:
 *       - label: KV Cache Compression
 *         keywords: [KIVI, quantization]
 *         phrases: [kv cache, key-value cache]
 *
 * A missing file means no operator themes. Anything malformed is a ConfigError listing every
 * problem as "file:line: what is wrong", so the operator can fix them in one pass.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { ConfigError } from '../errors.js';
import { displayFileName } from './display-file-name.js';
import { CATCH_ALL_LABEL } from './group-papers.js';
import { parseYamlFile } from './parse-yaml-file.js';
import type { OperatorTheme } from './match-operator-themes.js';
import { tokenizeText } from './tokenize-text.js';

// Callers load and group with one import each.
export type { OperatorTheme } from './match-operator-themes.js';

/** Longest label accepted: it has to fit an email heading and a preferences page. */
export const MAX_LABEL_LENGTH = 60;

const HINT = 'fix the themes file; content/themes.example.yml shows the format';
const THEME_KEYS = ['label', 'keywords', 'phrases'];

/** `file` relative to the working directory when it lies inside it, for shorter messages. */

/** Operator themes from `file`, in file order; [] when the file does not exist. Throws ConfigError when malformed. */
export function loadOperatorThemes(file: string): OperatorTheme[] {
  const name = displayFileName(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new ConfigError([`${name}: cannot read the themes file (${code ?? String(error)})`], HINT);
  }

  const { doc, at, lineOf } = parseYamlFile(text, name, HINT);
  const problems: string[] = [];

  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return [];
  if (!isMap(root)) throw new ConfigError([`${at(root)}: expected "themes:" followed by a list of themes`], HINT);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    if (key !== 'themes') problems.push(`${at(pair.key as Node)}: unknown key "${key}" (the file holds one key, "themes")`);
  }
  const list = root.get('themes', true);
  if (list === undefined || (isScalar(list) && list.value === null)) {
    if (problems.length > 0) throw new ConfigError(problems, HINT);
    return [];
  }
  if (!isSeq(list)) throw new ConfigError([...problems, `${at(list as Node)}: "themes" must be a list of themes, each starting with "- label:"`], HINT);

  const themes: OperatorTheme[] = [];
  const seen = new Map<string, number>();
  for (const item of list.items) {
    const where = at(item as Node);
    if (!isMap(item)) {
      problems.push(`${where}: a theme must be a mapping with label, keywords and phrases`);
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (!THEME_KEYS.includes(key)) problems.push(`${at(pair.key as Node)}: unknown key "${key}" (expected label, keywords or phrases)`);
    }
    const labelNode = item.get('label', true);
    let label = '';
    if (labelNode === undefined) problems.push(`${where}: theme has no label`);
    else if (!isScalar(labelNode) || typeof labelNode.value !== 'string') {
      problems.push(`${at(labelNode as Node)}: label must be text (put it in quotes)`);
    } else {
      label = labelNode.value.replace(/\s+/g, ' ').trim();
      const labelAt = at(labelNode);
      if (label === '') problems.push(`${labelAt}: label is empty`);
      else if (label.length > MAX_LABEL_LENGTH) problems.push(`${labelAt}: label is longer than ${MAX_LABEL_LENGTH} characters`);
      else if (label.toLowerCase() === CATCH_ALL_LABEL.toLowerCase()) problems.push(`${labelAt}: "${CATCH_ALL_LABEL}" is the catch-all's label; choose another`);
      else if (seen.has(label.toLowerCase())) problems.push(`${labelAt}: label "${label}" is already used on line ${seen.get(label.toLowerCase())}`);
      else seen.set(label.toLowerCase(), lineOf(labelNode));
    }
    const keywords = readTerms(item.get('keywords', true), 'keywords', at, problems, true);
    const phrases = readTerms(item.get('phrases', true), 'phrases', at, problems, false);
    if (keywords.length === 0 && phrases.length === 0 && item.get('keywords', true) === undefined && item.get('phrases', true) === undefined) {
      problems.push(`${where}: theme "${label}" has neither keywords nor phrases, so no paper could match it`);
    }
    themes.push({ label, keywords, phrases });
  }
  if (problems.length > 0) throw new ConfigError(problems, HINT);
  return themes;
}

/** The strings of a keywords/phrases list, recording what is wrong with it. */
function readTerms(
  node: unknown,
  field: 'keywords' | 'phrases',
  at: (node: Node | null | undefined) => string,
  problems: string[],
  singleWords: boolean,
): string[] {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problems.push(`${at(node as Node)}: ${field} must be a list, like [kv cache, quantization]`);
    return [];
  }
  if (node.items.length === 0) problems.push(`${at(node)}: ${field} is an empty list; remove it or add entries`);
  const terms: string[] = [];
  for (const entry of node.items) {
    const where = at(entry as Node);
    if (!isScalar(entry) || (typeof entry.value !== 'string' && typeof entry.value !== 'number')) {
      problems.push(`${where}: each of ${field} must be a word or phrase`);
      continue;
    }
    const term = String(entry.value).replace(/\s+/g, ' ').trim();
    if (term === '') problems.push(`${where}: empty entry in ${field}`);
    else if (tokenizeText(term).length === 0) problems.push(`${where}: "${term}" in ${field} has no letters or digits to match`);
    else if (tokenizeText(term).flat().every((t) => t.stop === 'english' && !/\d/.test(t.surface))) {
      problems.push(`${where}: "${term}" in ${field} is too common a word to tell papers apart`);
    }
    else if (singleWords && term.includes(' ')) problems.push(`${where}: keyword "${term}" has several words; list it under phrases`);
    else terms.push(term);
  }
  return terms;
}
