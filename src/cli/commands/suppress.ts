/**
 * `paperpost suppress import|add|remove|list`: the suppression list, addresses and @domains
 * that are never mailed, whatever their status: no issue, no test copy, no confirmation
 * email. Every send counts the active subscribers it left out for this.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { clipInput } from '../../echo-input.js';
import { parseSuppressionList, toSuppressionPattern } from '../../subscribers/parse-suppression-list.js';
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
    .description('add every address or @domain in a file (one a line, or a CSV with an email column)')
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
          const r = await app.store().addSuppressions(parsed.entries.map((e) => ({ pattern: e.pattern, reason: opts.reason.slice(0, 200) })));
          const active = await app.store().countSubscribers({ status: 'active', suppressed: true });
          out(`suppressed ${file}: ${r.added} added, ${r.existing} already on the list; ${active} active subscriber(s) are now never mailed`);
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
