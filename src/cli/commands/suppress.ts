/**
 * `paperpost suppress import|add|remove|list`: the suppression list, addresses and @domains
 * that are never mailed, whatever their status: no issue, no test copy, no confirmation
 * email. Every send counts the active subscribers it left out for this. `suppress import`
 * reads `suppress list`'s output back (reasons, dates and forgotten marks kept), so the list
 * moves to another installation.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { clipInput } from '../../echo-input.js';
import { isForgottenMark, parseSuppressionList, toSuppressionPattern } from '../../subscribers/parse-suppression-list.js';
import { err, out, withApp } from '../context.js';

const pattern = (raw: string) => {
  try {
    return toSuppressionPattern(raw);
  } catch (e) {
    throw new InputError(`${(e as Error).message}`, 'give an address (ada@example.org) or a domain (@example.org)');
  }
};

/** Registers `suppress` and its subcommands. */
export function registerSuppressCommand(program: Command): void {
  const cmd = program.command('suppress').description('the suppression list: addresses and @domains that are never mailed');

  cmd
    .command('import')
    .description('add every address or @domain in a file (one a line, a CSV with an email column, or the output of suppress list)')
    .argument('<file>')
    .option('--reason <text>', 'why they are suppressed (shown by suppress list)', 'imported')
    .action(async (file: string, opts: { reason: string }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`${file}: cannot read the file: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`, 'check the path');
      }
      if (text.includes('\0')) throw new InputError(`${file}: binary data, not a list of addresses`, 'give a text file with one address or @domain a line');
      const parsed = parseSuppressionList(text);
      for (const r of parsed.rejected) err(`rejected ${file}:${r.line}: ${r.reason}`);
      if (parsed.rejected.length > 0) throw new InputError(`${file}: ${parsed.rejected.length} line(s) rejected; nothing was added`, 'fix those lines (an address, or @domain) and import again');
      await withApp(
        async (app) => {
          // A line of `suppress list` keeps its own reason and date.
          const r = await app.store().addSuppressions(
            parsed.entries.map((e) => ({ pattern: e.pattern, reason: e.reason ?? opts.reason.slice(0, 200), ...(e.createdAt ? { createdAt: e.createdAt } : {}) })),
          );
          const active = await app.store().countSubscribers({ status: 'active', suppressed: true });
          out(`suppressed ${file}: ${r.added} added, ${r.existing} already on the list; ${active} active subscriber(s) are now never mailed`);
          const marks = parsed.entries.filter((e) => isForgottenMark(e.pattern)).length;
          if (marks) err(`note: ${marks} mark(s) of forgotten addresses carried as they are: they are keyed hashes, recognised only with the same SECRET_KEY as the installation they came from`);
        },
        { create: true },
      );
    });

  cmd
    .command('add')
    .description('add addresses or @domains')
    .argument('<entries...>')
    .option('--reason <text>', 'why they are suppressed', 'added by hand')
    .action(async (entries: string[], opts: { reason: string }) => {
      const patterns = entries.map(pattern);
      await withApp(
        async (app) => {
          const r = await app.store().addSuppressions(patterns.map((p) => ({ pattern: p, reason: opts.reason.slice(0, 200) })));
          out(`suppressed: ${r.added} added, ${r.existing} already on the list`);
        },
        { create: true },
      );
    });

  cmd
    .command('remove')
    .description('take an address or @domain off the list (they still get mail only if they are active)')
    .argument('<entry>')
    .action(async (entry: string) => {
      const p = pattern(entry);
      await withApp(async (app) => {
        if (!(await app.store().removeSuppression(p))) throw new InputError(`${clipInput(p)} is not on the suppression list`, 'see paperpost suppress list');
        out(`removed ${p} from the suppression list`);
      });
    });

  cmd
    .command('list')
    .description('print the suppression list (tab-separated: entry, reason, date)')
    .action(async () => {
      await withApp(async (app) => {
        let n = 0;
        for await (const s of app.store().listSuppressions()) {
          out(`${s.pattern}\t${s.reason}\t${s.createdAt}`);
          n++;
        }
        err(`${n} suppressed`);
      });
    });
}
