/**
 * `paperpost themes <source>`: groups a digest's papers into named themes and prints the
 * outline (`--json` for the record the render stage gets).
 */
import type { Command } from 'commander';
import { plural } from '../../render/plural.js';
import { ingest, out, withApp, type DigestOpts } from '../context.js';
import { addDigestOptions } from '../options.js';

/** Registers `themes`. */
export function registerThemesCommand(program: Command): void {
  addDigestOptions(
    program
      .command('themes')
      .description("group a digest's papers into named themes")
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
          // The outline's first line counts named themes only; the email counts every section it
          // shows, the catch-all included ("39 papers in 10 sections"). Say it the email's way.
          const papers = themed.themes.reduce((n, t) => n + t.papers.length, 0);
          const sections = themed.themes.filter((t) => t.papers.length > 0).length;
          const header = `${themed.date ?? 'undated'} · ${plural(papers, 'paper')} in ${plural(sections, 'section')}`;
          out(formatThemesOutline(themed).replace(/^[^\n]*/, header));
        },
        { orInMemory: true },
      );
    });
}
