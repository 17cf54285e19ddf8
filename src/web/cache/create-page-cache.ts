/**
 * Rendered pages kept in memory, so a rush on the archive (every copy of an issue links to
 * its web version) costs one render, not one per reader. A frozen issue never changes, so its
 * page is kept until it is evicted; pages made from the list of issues (the archive index,
 * the feeds, the subscribe form's topics) are kept for a short while and then made again.
 * Each page carries a strong ETag (a hash of its bytes), so a reader who has it gets a 304.
 *
 * The cache is bounded (least recently used goes first), and readers who ask while a page is
 * being rendered wait for that one render instead of starting their own.
 */
import { createHash } from 'node:crypto';

/** A page as it is sent: bytes, their type and their ETag. */
export interface CachedPage {
  body: string;
  /** The body encoded once (UTF-8), so a hit does not encode it again. */
  bytes: Uint8Array<ArrayBuffer>;
  type: string;
  /** A strong entity tag, quoted as HTTP writes it. */
  etag: string;
}

/** What a render returns: the page, or null for one that is not to be kept (e.g. not found). */
export type PageRender = () => Promise<{ body: string; type: string } | null>;

export interface PageCache {
  /**
   * The page under `key`: the kept copy while it is younger than `maxAgeMs` (default: kept
   * until evicted), else rendered, once however many ask at the same time.
   */
  get(key: string, render: PageRender, options?: { maxAgeMs?: number }): Promise<CachedPage | null>;
  /**
   * The kept page under `key` while it is fresh (and marked recently used), without
   * rendering anything: what the fast lane (create-fast-lane.ts) checks its copy against.
   */
  peek(key: string): CachedPage | undefined;
  /** True while a render of `key` runs. */
  rendering(key: string): boolean;
  /** How many renders ran (what the tests count). */
  readonly renders: number;
  /** How many pages are kept. */
  readonly size: number;
}

export interface PageCacheOptions {
  /** At most this many pages are kept; the least recently used goes first. */
  maxEntries?: number;
  /** Milliseconds, monotonic (tests pass their own). */
  clock?: () => number;
}

const utf8 = new TextEncoder();

/** The strong ETag of `body`. */
export const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** Creates an empty cache. */
export function createPageCache(options: PageCacheOptions = {}): PageCache {
  const maxEntries = options.maxEntries ?? 256;
  const clock = options.clock ?? (() => performance.now());
  const kept = new Map<string, { page: CachedPage; at: number; maxAgeMs: number }>();
  const inFlight = new Map<string, Promise<CachedPage | null>>();
  let renders = 0;

  const keep = (key: string, page: CachedPage, maxAgeMs: number) => {
    kept.delete(key);
    kept.set(key, { page, at: clock(), maxAgeMs });
    // A Map iterates in insertion order: the first key is the least recently used.
    while (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
  };

  return {
    async get(key, render, { maxAgeMs = Infinity } = {}) {
      // 1. A kept copy that is fresh enough: mark it recently used and serve it.
      const hit = kept.get(key);
      if (hit && clock() - hit.at < hit.maxAgeMs) {
        kept.delete(key);
        kept.set(key, hit);
        return hit.page;
      }
      // 2. A render already running for this key: wait for it.
      const running = inFlight.get(key);
      if (running) return running;
      // 3. Render, keep the result (unless the render said not to), and let waiters have it.
      const task = (async () => {
        renders++;
        const made = await render();
        if (!made) {
          kept.delete(key);
          return null;
        }
        const page = { ...made, bytes: utf8.encode(made.body), etag: etagOf(made.body) };
        keep(key, page, maxAgeMs);
        return page;
      })().finally(() => inFlight.delete(key));
      inFlight.set(key, task);
      return task;
    },
    peek(key) {
      const hit = kept.get(key);
      if (!hit || clock() - hit.at >= hit.maxAgeMs) return undefined;
      kept.delete(key);
      kept.set(key, hit);
      return hit.page;
    },
    rendering(key) {
      return inFlight.has(key);
    },
    get renders() {
      return renders;
    },
    get size() {
      return kept.size;
    },
  };
}
