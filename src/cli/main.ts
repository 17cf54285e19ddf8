/**
 * cli/ owns the command line: this program and its one error handler, one file per command
 * under commands/, and the few pieces they share. Nothing imports cli/ but the executable
 * (src/cli.ts).
 *
 * The paperpost command line: parses arguments, loads configuration, runs one command,
 * and turns every error into one line and an exit code (0 ok, 1 runtime failure, 2 bad
 * usage or input). DEBUG=paperpost prints stack traces too.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { PaperpostError } from '../errors.js';
import { redactSecrets } from '../redact-secrets.js';
import { COMMANDS, describeCommands } from './command-index.js';

/** Prints a line on stderr (as context.ts's err, without loading the configuration for `--version`). */
const printErr = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');

/** The package's version, read from package.json (two levels up from src/cli/ and dist/cli/) without loading the configuration. */
const PACKAGE_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * The command whose module this argv needs: the named one (`send …`, or `help send`), or
 * none, when the overall help (`--help`, no command, an unknown word for commander to
 * suggest against) is written from the index alone.
 */
function commandFor(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const named = words[0] === 'help' ? words[1] : words[0];
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? named : undefined;
}

/** The words of argv that name a command and its subcommands ("subscribers add"). */
function commandWords(program: Command, argv: string[]): string[] {
  const words: string[] = [];
  let cmd = program;
  for (const a of argv) {
    const next = cmd.commands.find((c) => c.name() === a);
    if (!next) break;
    words.push(a);
    cmd = next;
  }
  return words;
}

async function buildProgram(argv: string[]): Promise<Command> {
  const program: Command = new Command('paperpost')
    .description("Turns each day's trending ML papers into an email newsletter grouped by topic and sends it to subscribers.")
    .version(PACKAGE_VERSION)
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // One line: commander's message plus where to look, naming the command that was run.
      outputError: (s, write) => {
        const words = /unknown command/.test(s) ? [] : commandWords(program, process.argv.slice(2));
        write(`${s.trimEnd()} — see ${['paperpost', ...words, '--help'].join(' ')}\n`);
      },
    })
    .exitOverride();
  const name = commandFor(argv);
  if (name === undefined) describeCommands(program);
  else {
    // V8's heap settings first, for everything a command loads and runs (not for --version or --help alone).
    await import('./bound-heap-growth.js');
    (await COMMANDS[name]!.load())(program);
  }
  return program;
}

/** Prints an error as one line and returns the exit code. Secrets are masked in everything it prints. */
function report(e: unknown): number {
  const debug = /\bpaperpost\b/.test(process.env.DEBUG ?? '');
  const err = (s: string) => printErr(redactSecrets(s));
  if (e instanceof CommanderError) {
    // Commander has already printed its message; help and version are not errors.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof PaperpostError) {
    // A list of problems (configuration) gets its hint on a line of its own.
    if (e.message.includes('\n')) err(`error: ${e.message}${e.hint ? `\n  → ${e.hint}` : ''}`);
    else err(`error: ${e.message}${e.hint ? ` — ${e.hint}` : ''}`);
    if (debug) err(e.stack ?? '');
    return e.exitCode;
  }
  err(`error: unexpected failure: ${e instanceof Error ? e.message : String(e)} (this is a bug in paperpost; rerun with DEBUG=paperpost for details)`);
  if (debug && e instanceof Error) err(e.stack ?? '');
  return 1;
}

// `paperpost … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

try {
  await (await buildProgram(process.argv.slice(2))).parseAsync(process.argv);
} catch (e) {
  process.exitCode = report(e);
}
