/**
 * Results that are a pure function of their inputs, kept on disk between processes (issue #23,
 * item 5): a `send` of an issue not frozen yet would otherwise parse the topic map, group the
 * day's papers and compile the templates again in every process, most of its start-up, although
 * the same inputs give the same result every time.
 *
 * 1. The key is a hash of everything the result depends on: the inputs' full text (digest,
 *    topic map, templates, options) and the code that computes it (codeStamp: the size and
 *    modification time of every file of the named source folders, so a rebuilt or edited stage
 *    never reads an older stage's results).
 * 2. An entry is written whole or not at all (a temporary file renamed), and only for a result
 *    that was computed without error: an error is found again on the next run, and said again.
 * 3. A missing, unreadable or unparsable entry is a miss: the result is computed as if there
 *    were no cache. A cache that cannot be written costs speed, never the command.
 * 4. Each kind keeps its newest entries (MAX_ENTRIES, or fewer for large ones); older ones are
 *    removed when a new one is written, so a long life of daily issues does not fill the disk.
 *
 * Where: PAPERPOST_CACHE_DIR, else the user's cache directory (XDG_CACHE_HOME or ~/.cache)
 * under paperpost/, one folder per kind (mjml/, topic-map/, groups/, issues/, handlebars/).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Entries kept per kind unless the writer says otherwise. */
export const MAX_ENTRIES = 200;

/** The folder of one kind of cached result. */
export function contentCacheDir(kind: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAPERPOST_CACHE_DIR) return path.join(env.PAPERPOST_CACHE_DIR, kind);
  return path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'paperpost', kind);
}

/** A hex SHA-256 of the parts, each told apart from the next. */
export function hashKey(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p.length)).update(':').update(p);
  return h.digest('hex');
}

// This file sits at the root of the code (src/ under tests, dist/ when built).
const CODE_ROOT = path.dirname(fileURLToPath(import.meta.url));
const stamps = new Map<string, string>();

/** Every code file under `dir` (recursively): name, size and modification time. */
function listCode(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) listCode(file, out);
    else if (/\.(?:[cm]?js|ts)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
      const s = statSync(file);
      out.push(`${path.relative(CODE_ROOT, file)}\0${s.size}\0${s.mtimeMs}`);
    }
  }
}

/**
 * What identifies the code of `folders` (relative to the code root, e.g. 'topics') and of the
 * files at the root (errors, types, plural…): each file's path, size and modification time.
 * Conservative: a rebuild that rewrites a file makes new keys. Computed once per process.
 */
export function codeStamp(folders: readonly string[]): string {
  const id = folders.join(',');
  let stamp = stamps.get(id);
  if (stamp === undefined) {
    const lines: string[] = [];
    for (const e of readdirSync(CODE_ROOT, { withFileTypes: true })) {
      if (e.isFile() && /\.(?:js|ts)$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        const s = statSync(path.join(CODE_ROOT, e.name));
        lines.push(`${e.name}\0${s.size}\0${s.mtimeMs}`);
      }
    }
    for (const f of folders) listCode(path.join(CODE_ROOT, f), lines);
    stamp = hashKey(...lines.sort());
    stamps.set(id, stamp);
  }
  return stamp;
}

/** The kept text of `key` in `kind` (null: none, or unreadable). */
export function readCached(kind: string, key: string, ext = 'json'): string | null {
  return readCachedIn(contentCacheDir(kind), key, ext);
}

/** Keeps `text` under `key` in `kind` (see the file comment, steps 2 to 4): as `key.ext`, with the `keep` newest entries of the kind. */
export function writeCached(kind: string, key: string, text: string, options: { ext?: string; keep?: number } = {}): void {
  writeCachedIn(contentCacheDir(kind), key, text, options);
}

/** readCached in a folder of the caller's choosing (the compiled-MJML cache takes one as an option). */
export function readCachedIn(dir: string, key: string, ext = 'json'): string | null {
  try {
    return readFileSync(path.join(dir, `${key}.${ext}`), 'utf8');
  } catch {
    return null;
  }
}

/** writeCached in a folder of the caller's choosing. */
export function writeCachedIn(dir: string, key: string, text: string, options: { ext?: string; keep?: number } = {}): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, path.join(dir, `${key}.${options.ext ?? 'json'}`));
    prune(dir, options.keep ?? MAX_ENTRIES);
  } catch {
    // A read-only or full disk costs speed, never the command.
  }
}

/** Removes the oldest entries of `dir` beyond `keep`. */
function prune(dir: string, keep: number): void {
  const names = readdirSync(dir).filter((n) => !n.endsWith('.tmp'));
  if (names.length <= keep) return;
  const aged = names.map((n) => {
    try {
      return { n, t: statSync(path.join(dir, n)).mtimeMs };
    } catch {
      return { n, t: 0 };
    }
  });
  aged.sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, aged.length - keep)) {
    try {
      unlinkSync(path.join(dir, n));
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/** The kept JSON value of `key`, or null (see readCached). */
export function readCachedJson<T>(kind: string, key: string): T | null {
  const text = readCached(kind, key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
