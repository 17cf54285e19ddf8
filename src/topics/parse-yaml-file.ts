/**
 * The YAML files operators edit (content/topics.yml, content/themes.yml) are parsed with line
 * positions, so every problem can be reported as "file:line: what is wrong". Syntax errors
 * are all reported at once, as one ConfigError (exit 2).
 */
import { LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from '../errors.js';

/** A parsed document and how to name a node's position in messages. */
export interface YamlFile {
  doc: Document.Parsed;
  /** The line a node starts on (`fallback` when it has no position). */
  lineOf(node: Node | null | undefined, fallback?: number): number;
  /** "file:line" of a node. */
  at(node: Node | null | undefined, fallback?: number): string;
}

/** Parses `text` (named `name` in messages); throws ConfigError listing every syntax error with `hint`. */
export function parseYamlFile(text: string, name: string, hint: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: Node | null | undefined, fallback = 1) => (node?.range ? lineCounter.linePos(node.range[0]).line : fallback);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => `${name}:${lineCounter.linePos(error.pos[0]).line}: invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`),
      hint,
    );
  }
  return { doc, lineOf, at: (node, fallback = 1) => `${name}:${lineOf(node, fallback)}` };
}
