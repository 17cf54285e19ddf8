/**
 * Drafts for the admin preview: the digest files in DIGEST_SOURCE, ingested and grouped,
 * newest first. Ingesting and grouping are cached per file version (path, size, mtime) and
 * themes file, so listing stays cheap; compiling a draft is cached per fingerprint of
 * everything it reads (the digest file's version, every file under TEMPLATES_DIR, the themes
 * file), recomputed on every request, so an edit to templates/ shows on the next reload and
 * the page and its two preview frames share one compile.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { planIssue, prepareIssue } from '../issue/prepare-issue.js';
import { ingestDigest } from '../ingest/ingest-digest.js';
import { DIGEST_EXTENSIONS } from '../ingest/resolve-source.js';
import { dateInName } from '../ingest/to-iso-date.js';
import type { CompiledIssue } from '../render/compile-issue.js';
import type { Digest } from '../types.js';

/** One digest file as the admin list shows it. */
export interface DraftSummary {
  file: string;
  /** The file name, for display. */
  name: string;
  /** The digest date (the issue id), or null when neither content nor name has one. */
  date: string | null;
  paperCount: number;
  themeCount: number;
  /** Theme labels in issue order (the catch-all last). */
  labels: { label: string; other: boolean }[];
  /** Why the file could not be read or grouped, else null. */
  error: string | null;
}

/** The drafts of DIGEST_SOURCE. */
export interface DraftIndex {
  /** The newest `max` digest files, newest first, and a note when DIGEST_SOURCE is not local. */
  list(): Promise<{ drafts: DraftSummary[]; note: string | null }>;
  /** The newest readable draft, or null. */
  newest(): Promise<DraftSummary | null>;
  /** The draft for an issue date (the newest file with that date), or null. */
  find(date: string): Promise<DraftSummary | null>;
  /** The draft compiled with the current templates, or null when there is no such draft. */
  compile(date: string): Promise<{ compiled: CompiledIssue; file: string } | null>;
  /** The digest of the draft file for `date` (to explain its topics), or null. */
  digest(date: string): Promise<Digest | null>;
}

interface FileEntry {
  key: string;
  summary: DraftSummary;
  digest: Digest | null;
}

const isLocal = (source: string) => !/^(hf:|https?:\/\/|-$|[a-z][a-z0-9+.-]+:\/\/)/i.test(source);

/** Reads every file under `dir` (sorted, recursively) into one hash; a missing dir hashes as empty. */
async function hashTree(dir: string, hash: ReturnType<typeof createHash>): Promise<void> {
  let names: string[];
  try {
    names = (await fs.readdir(dir, { recursive: true })).map(String).sort();
  } catch {
    hash.update('missing');
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    const data = await fs.readFile(file).catch(() => null);
    if (data) hash.update(`${name}\0${data.length}\0`).update(data);
  }
}

/** Builds the index for `app`; `now` dates year-less digests, `max` bounds how many files are read. */
export function createDraftIndex(app: App, options: { now: () => Date; max?: number }): DraftIndex {
  const max = options.max ?? 10;
  const files = new Map<string, FileEntry>();
  const compiled = new Map<string, { key: string; result: Promise<CompiledIssue> }>();

  const themesVersion = async () => {
    const data = await fs.readFile(app.config.themesFile).catch(() => null);
    return data ? createHash('sha256').update(data).digest('hex').slice(0, 16) : 'none';
  };

  const candidates = async (): Promise<{ files: { file: string; key: string }[]; note: string | null }> => {
    const source = app.config.digestSource;
    if (!isLocal(source)) {
      return { files: [], note: `DIGEST_SOURCE is ${source}, which is not a local file or directory; the preview lists no drafts (it does not fetch anything).` };
    }
    const stat = await fs.stat(source).catch(() => null);
    if (!stat) return { files: [], note: `DIGEST_SOURCE (${source}) does not exist yet.` };
    const found: { file: string; date: string | null; mtime: number; key: string }[] = [];
    const consider = async (file: string) => {
      const s = await fs.stat(file).catch(() => null);
      if (s?.isFile()) found.push({ file, date: dateInName(path.basename(file)), mtime: s.mtimeMs, key: `${file}\0${s.size}\0${s.mtimeMs}` });
    };
    if (stat.isDirectory()) {
      const names = await fs.readdir(source).catch(() => [] as string[]);
      for (const name of names) {
        if (/^[.~#]/.test(name) || name.endsWith('~')) continue;
        if (!(DIGEST_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase())) continue;
        await consider(path.join(source, name));
      }
    } else {
      await consider(source);
    }
    found.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || b.mtime - a.mtime || b.file.localeCompare(a.file));
    return { files: found.slice(0, max), note: null };
  };

  /** The issues frozen so far: the issue history a draft is planned against. */
  const historyVersion = async () => (await app.store().listIssueIds()).map((i) => `${i.id}:${i.createdAt}`).join(',');

  const load = async (file: string, fileKey: string, themes: string): Promise<FileEntry> => {
    const key = `${fileKey}\0${themes}`;
    const known = files.get(file);
    if (known?.key === key) return known;
    const summary: DraftSummary = { file, name: path.basename(file), date: dateInName(path.basename(file)), paperCount: 0, themeCount: 0, labels: [], error: null };
    let digest: Digest | null = null;
    try {
      digest = (await ingestDigest(file, { now: options.now() })).digest;
      summary.date = digest.date;
      // Counted as the issue will be sent: with the papers earlier issues carried taken out.
      const { themed, newPaperCount } = await planIssue(app, digest);
      summary.paperCount = newPaperCount;
      summary.themeCount = themed.themes.filter((t) => t.papers.length > 0).length;
      summary.labels = themed.themes.filter((t) => t.papers.length > 0).map((t) => ({ label: t.label, other: t.other }));
    } catch (error) {
      summary.error = (error as Error).message;
    }
    const entry = { key, summary, digest };
    files.set(file, entry);
    return entry;
  };

  /** Loads candidates newest first; `enough` stops early (the subscribe page needs only the newest readable one). */
  const entries = async (enough: (loaded: FileEntry[]) => boolean = () => false) => {
    const { files: found, note } = await candidates();
    // A draft's counts change with its templates' themes and with the issues frozen since.
    const themes = `${await themesVersion()}\0${await historyVersion()}`;
    const out: FileEntry[] = [];
    for (const f of found) {
      out.push(await load(f.file, f.key, themes));
      if (enough(out)) break;
    }
    // Files that left the directory must not keep their digests in memory.
    const live = new Set(found.map((f) => f.file));
    for (const file of files.keys()) if (!live.has(file)) files.delete(file);
    const dates = new Set([...files.values()].map((e) => e.summary.date));
    for (const date of compiled.keys()) if (!dates.has(date)) compiled.delete(date);
    return { entries: out, note };
  };

  const findEntry = async (date: string) => (await entries()).entries.find((e) => e.summary.date === date && e.digest !== null) ?? null;

  return {
    async list() {
      const { entries: list, note } = await entries();
      return { drafts: list.map((e) => e.summary), note };
    },
    async newest() {
      const readable = (list: FileEntry[]) => list.find((e) => e.summary.error === null);
      return readable((await entries((list) => readable(list) !== undefined)).entries)?.summary ?? null;
    },
    async find(date) {
      return (await findEntry(date))?.summary ?? null;
    },
    async digest(date) {
      return (await findEntry(date))?.digest ?? null;
    },
    async compile(date) {
      const entry = await findEntry(date);
      if (!entry) return null;
      const hash = createHash('sha256').update(entry.key).update('\0').update(app.config.publicUrl).update('\0');
      await hashTree(app.config.templatesDir, hash);
      const key = hash.digest('hex');
      let cached = compiled.get(date);
      if (cached?.key !== key) {
        cached = { key, result: prepareIssue(app, entry.digest!).then((p) => p.compiled) };
        compiled.set(date, cached);
        // A failed compile (a template error) is shown once and retried on the next request.
        cached.result.catch(() => {
          if (compiled.get(date) === cached) compiled.delete(date);
        });
      }
      return { compiled: await cached.result, file: entry.summary.file };
    },
  };
}
