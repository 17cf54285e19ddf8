/**
 * `paperpost digest <source>`: reads a digest and prints it normalized, as every later stage
 * sees it (`--json` for the whole record, each paper with the `tldr` its email card shows).
 */
import type { Command } from 'commander';
import { plural } from '../../plural.js';
import { ingest, out, type DigestOpts } from '../context.js';
import { addDigestOptions } from '../options.js';

/** Registers `digest`. */
export function registerDigestCommand(program: Command): void {
  addDigestOptions(
    program
      .command('digest')
      .description('read a digest and print it normalized')
      .argument('<source>', 'a file, a directory (its newest digest), an http(s) URL, - for stdin, or hf:YYYY-MM-DD / hf:latest'),
  )
    .option('--json', 'print the normalized digest as JSON')
    .action(async (source: string, opts: DigestOpts & { json?: boolean }) => {
      const digest = await ingest(source, opts);
      if (opts.json) {
        // The TL;DR exactly as the email shows it: the same call as the render stage's paper view.
        const { makeTldr } = await import('../../render/make-tldr.js');
        const papers = digest.papers.map((p) => ({ ...p, tldr: makeTldr({ summary: p.summary ?? null, abstract: p.abstract ?? '' }) }));
        out(JSON.stringify({ ...digest, papers }, null, 2));
        return;
      }
      out(`${digest.source}: ${plural(digest.papers.length, 'paper')}, dated ${digest.date ?? 'unknown'}`);
      for (const p of digest.papers) out(`  ${p.upvotes === null ? '   ' : String(p.upvotes).padStart(3)}  ${p.title}`);
    });
}
