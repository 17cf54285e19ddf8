/**
 * The two slow steps of building an issue, kept on disk between processes (issue #23, item 5):
 * grouping the day's papers by the topic map and compiling the templates were about 1.5 s of a
 * `send`'s start-up, and each is a pure function of its inputs (content-cache.ts), so a second
 * process (a send after a `render` or a `send --dry-run`, a rerun on a fresh database, a
 * preview) reads the result back instead.
 *
 * 1. Grouping: the key is the digest, the topic map and the earlier papers its vocabulary is
 *    learned from, in full, and the topics stage's code. What is kept names each paper by its
 *    id; reading it back puts the digest's own paper objects in their places, so the result
 *    is the very ThemedDigest assignTopics makes (same objects, same field order).
 *    The digest's `source` (where it was read from, often an absolute path) is left out of
 *    both keys: grouping only copies it into the result, where the digest's own is put back,
 *    and a CompiledIssue has no source. So the same day read from another directory (a
 *    deployment moved, a scratch copy) is still the same day.
 * 2. Compiling: the key is the themed digest, the compile options, every file of the
 *    templates directory, MJML's and Handlebars's versions, and the code of every stage the
 *    compile runs (ingest/, topics/, picks/, subscribers/, render/ and the root files). The
 *    CompiledIssue is plain JSON by design (it is what a send freezes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { codeStamp, hashKey, readCachedJson, writeCached } from '../content-cache.js';
import type { CompiledIssue, CompileOptions } from '../render/compile-issue.js';
import type { TopicMap } from '../topics/load-topic-map.js';
import type { Digest, Paper, Theme, ThemedDigest } from '../types.js';

/** Compiled issues are large (every paper and the templates): only the last few are kept. */
const KEEP_ISSUES = 24;
const KEEP_GROUPS = 100;

/** A ThemedDigest as kept: papers by id. */
interface KeptGrouping {
  date: string | null;
  source: string;
  themes: (Omit<Theme, 'papers'> & { papers: string[] })[];
}

/** The key of grouping `digest` by `map` with vocabulary learned from `history` (any JSON the learning reads). */
export function groupingKey(digest: Digest, map: TopicMap, history: unknown): string {
  return hashKey('groups', codeStamp(['topics']), JSON.stringify({ ...digest, source: null }), JSON.stringify(map), JSON.stringify(history));
}

/** The grouping kept under `key`, with `digest`'s own papers in it; null when none (or its papers are not the digest's). */
export function readGrouping(key: string, digest: Digest): ThemedDigest | null {
  const kept = readCachedJson<KeptGrouping>('groups', key);
  if (!kept || !Array.isArray(kept.themes)) return null;
  const byId = new Map(digest.papers.map((p) => [p.id, p]));
  if (byId.size !== digest.papers.length) return null;
  let placed = 0;
  const themes: Theme[] = [];
  for (const t of kept.themes) {
    const papers: Paper[] = [];
    for (const id of t.papers) {
      const paper = byId.get(id);
      if (!paper) return null;
      papers.push(paper);
    }
    placed += papers.length;
    themes.push({ ...t, papers });
  }
  // Every paper of the digest is in exactly one section, as assignTopics places them.
  if (placed !== digest.papers.length) return null;
  return { date: kept.date, source: digest.source, themes };
}

/** Keeps `themed` under `key`, when its papers can be named by id (ids unique in the digest). */
export function keepGrouping(key: string, digest: Digest, themed: ThemedDigest): void {
  if (new Set(digest.papers.map((p) => p.id)).size !== digest.papers.length) return;
  const kept: KeptGrouping = { ...themed, themes: themed.themes.map((t) => ({ ...t, papers: t.papers.map((p) => p.id) })) };
  writeCached('groups', key, JSON.stringify(kept), { keep: KEEP_GROUPS });
}

const packageVersion = (name: string): string => {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

/** Every file under `dir` (recursively, sorted), with its text: what a compile may read. */
function templateTexts(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const e of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const file = path.join(at, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.isFile()) out.push(path.relative(dir, file), readFileSync(file, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** The key of compiling `themed` with `options`; null when the templates cannot be read (the compile reports why). */
export function compileKey(themed: ThemedDigest, options: CompileOptions): string | null {
  let templates: string[];
  try {
    templates = templateTexts(options.templatesDir);
  } catch {
    return null;
  }
  return hashKey(
    'issues',
    codeStamp(['ingest', 'topics', 'picks', 'subscribers', 'render']),
    packageVersion('mjml'),
    packageVersion('handlebars'),
    JSON.stringify({ ...themed, source: null }),
    JSON.stringify(options),
    ...templates,
  );
}

/** The compiled issue kept under `key`, or null. */
export function readCompiled(key: string): CompiledIssue | null {
  const kept = readCachedJson<CompiledIssue>('issues', key);
  return kept && typeof kept.htmlTemplate === 'string' && Array.isArray(kept.themes) ? kept : null;
}

/** Keeps a compiled issue under `key`. */
export function keepCompiled(key: string, compiled: CompiledIssue): void {
  writeCached('issues', key, JSON.stringify(compiled), { keep: KEEP_ISSUES });
}
