import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestDigest } from '../../src/ingest/ingest-digest.js';
import { MAX_DIGEST_BYTES } from '../../src/ingest/parse-context.js';
import { resolveSource } from '../../src/ingest/resolve-source.js';
import { expectDigestError, fixture, REAL_API, REAL_PAGE } from './fixtures.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'paperpost-ingest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dir = (name: string) => {
  const d = path.join(scratch, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const put = (d: string, name: string, content: string | Buffer, mtime?: Date) => {
  const file = path.join(d, name);
  writeFileSync(file, content);
  if (mtime) utimesSync(file, mtime, mtime);
  return file;
};

describe('resolveSource: files', () => {
  it('reads a file under the name it was given', async () => {
    const r = await resolveSource(REAL_PAGE);
    expect(r.name).toBe(REAL_PAGE);
    expect(r.data.equals(fixture(REAL_PAGE))).toBe(true);
  });

  it('reads a file:// URL', async () => {
    const file = put(dir('url'), 'd-2025-01-02.json', fixture(REAL_API));
    const r = await ingestDigest(pathToFileURL(file).href);
    expect(r.digest.papers).toHaveLength(3);
  });

  it('names a missing file (exit 2)', async () => {
    await expectDigestError(() => resolveSource('no/such/file.txt'), 'no/such/file.txt: no such file or directory');
    await expectDigestError(() => ingestDigest(`${REAL_PAGE}/deeper`), `${REAL_PAGE}/deeper: a part of the path is not a directory`);
  });

  it('refuses a file over 50 MB before reading it', async () => {
    const big = path.join(dir('big'), 'huge-2025-01-01.txt');
    writeFileSync(big, '');
    truncateSync(big, MAX_DIGEST_BYTES + 1); // sparse: no 50 MB written to disk
    await expectDigestError(() => ingestDigest(big), `${big}: the digest is larger than 50 MB`);
  });

  it('refuses an empty file', async () => {
    await expectDigestError(() => ingestDigest(put(dir('empty'), 'e.txt', '')), `${path.join(scratch, 'empty', 'e.txt')}: the digest is empty`);
  });

  it('refuses unsupported URL schemes and bad hf: dates', async () => {
    await expectDigestError(() => resolveSource('ftp://example.org/d.json'), '"ftp://example.org/d.json": unsupported URL scheme');
    await expectDigestError(() => resolveSource('hf:2025-13-01'), '"hf:2025-13-01": expected hf:YYYY-MM-DD (a real date) or hf:latest');
    await expectDigestError(() => resolveSource('hf:yesterday'), /expected hf:YYYY-MM-DD/);
  });
});

describe('resolveSource: directories', () => {
  it('picks the latest date in the file names, whatever the modification times', async () => {
    const d = dir('dated');
    const old = new Date('2020-01-01T00:00:00Z');
    put(d, 'hf-papers-2025-12-10.txt', fixture(REAL_PAGE), new Date());
    put(d, 'hf-papers-2025-12-11.txt', fixture(REAL_PAGE), old);
    put(d, 'hf-api-2025-12-09.json', fixture(REAL_API), new Date());
    // Ignored: hidden, other extensions, editor leftovers, directories.
    put(d, '.hf-papers-2099-01-01.txt', 'hidden');
    put(d, 'notes-2099-01-01.md', 'notes');
    put(d, 'hf-papers-2099-01-01.txt~', 'backup');
    put(d, '#hf-papers-2099-01-02.txt#', 'autosave');
    mkdirSync(path.join(d, 'archive-2099-01-01.json'));
    const r = await resolveSource(d);
    expect(r.name).toBe(path.join(d, 'hf-papers-2025-12-11.txt'));
    const digest = await ingestDigest(d);
    expect(digest.digest.date).toBe('2025-12-11');
    expect(digest.digest.source).toBe(path.join(d, 'hf-papers-2025-12-11.txt'));
  });

  it('without dates in the names, picks the most recently modified digest; follows symlinks', async () => {
    const d = dir('undated');
    put(d, 'a.json', fixture(REAL_API), new Date('2025-01-03T00:00:00Z'));
    put(d, 'b.txt', fixture(REAL_PAGE), new Date('2025-01-01T00:00:00Z'));
    put(d, 'c.xml', fixture('arxiv-api-2025-01-06.atom.xml'), new Date('2025-01-02T00:00:00Z'));
    expect((await resolveSource(d)).name).toBe(path.join(d, 'a.json'));
    const target = put(dir('elsewhere'), 'latest.txt', fixture(REAL_PAGE), new Date('2025-02-01T00:00:00Z'));
    symlinkSync(target, path.join(d, 'latest.txt'));
    expect((await resolveSource(d)).name).toBe(path.join(d, 'latest.txt'));
  });

  it('refuses a directory with no digests in it', async () => {
    const d = dir('nothing');
    put(d, '.hidden.json', '{}');
    put(d, 'readme.md', '# hi');
    await expectDigestError(() => resolveSource(d), `${d}: no digest files in the directory (looked for .txt, .json, .xml, .atom, .rss; hidden files are ignored)`);
  });

  it('reads content/digests, the default source', async () => {
    const r = await ingestDigest('content/digests');
    expect(r.digest.papers).toHaveLength(39);
  });
});

describe('resolveSource: stdin', () => {
  it('reads "-" from the given stream, named stdin', async () => {
    const r = await ingestDigest('-', { stdin: Readable.from([fixture(REAL_API).subarray(0, 100), fixture(REAL_API).subarray(100)]) });
    expect(r.digest.source).toBe('stdin');
    expect(r.digest.papers).toHaveLength(3);
    expect(r.digest.date).toBe('2026-08-03');
  });

  it('refuses an empty stdin and a terminal', async () => {
    await expectDigestError(() => ingestDigest('-', { stdin: Readable.from([]) }), 'stdin: the digest is empty');
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    await expectDigestError(() => ingestDigest('-', { stdin: tty }), 'stdin: is a terminal, not a digest');
  });

  it('stops reading stdin past 50 MB', async () => {
    let pulled = 0;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled++;
          yield chunk;
        }
      })(),
    );
    await expectDigestError(() => ingestDigest('-', { stdin: endless }), 'stdin: the digest is larger than 50 MB');
    expect(pulled).toBeLessThan(60);
  });
});
