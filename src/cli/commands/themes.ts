/**
 * `paperpost themes <source>`: groups a digest's papers into named themes and prints the
 * outline (`--json` for the record the render stage gets).
 */
import type { Command } from 'commander';
import { ingest, out, withApp, type DigestOpts } from '../context.js';
import { addDigestOptions } from '../options.js';

/** Registers `themes`. */
export function registerThemesCommand(program: Command): void {
  addDigestOptions(
    program
      .command('themes')
      .description("place a digest's papers in topics (with stories inside), as the issue will show them")
      .argument('<source>', 'a digest source (see paperpost digest --help)'),
  )
    .option('--json', 'print the themes as JSON')
    .action(async (source: string, opts: DigestOpts & { json?: boolean }) => {
      const [{ groupDigest }, { formatThemesOutline }] = await Promise.all([import('../../issue/prepare-issue.js'), import('../../topics/format-themes-outline.js')]);
      const digest = await ingest(source, opts);
      // The topics' learned vocabulary comes from the database when there is one.
      await withApp(
        async (app) => {
          const themed = await groupDigest(app, digest);
          if (opts.json) {
            out(JSON.stringify({ date: themed.date, themes: themed.themes }, null, 2));
            return;
          }
          out(formatThemesOutline(themed));
        },
        { orInMemory: true },
      );
    });
}
