/**
 * Creates a directory and its missing parents, one level at a time. Node 20's
 * `mkdir(..., { recursive: true })` spins forever on some paths (for example under /proc,
 * where it gets ENOENT back for a directory it just tried to create), which would turn a
 * mistyped --out into a hung command; this version fails with the first real error.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Makes `dir` exist; throws the file system's error (with its code) when it cannot. */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    try {
      if (statSync(at).isDirectory()) break;
      throw Object.assign(new Error(`${at} exists and is not a directory`), { code: 'ENOTDIR' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
