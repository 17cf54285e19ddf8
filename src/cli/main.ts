/**
 * cli/ owns the command line: this program and its one error handler, one file per command
 * under commands/, and the few pieces they share. Nothing imports cli/ but the executable
 * (src/cli.ts).
 *
 * The paperpost command line: parses arguments, loads configuration, runs one command,
 * and turns every error into one line and an exit code (0 ok, 1 runtime failure, 2 bad
 * usage or input). DEBUG=paperpost prints stack traces too.
 */
import { PACKAGE_VERSION } from '../config.js';
import { Command, CommanderError } from 'commander';
import { PaperpostError } from '../errors.js';
import { redactSecrets } from '../redact-secrets.js';
import { err as printErr } from './context.js';
import { registerDigestCommand } from './commands/digest.js';
import { registerThemesCommand } from './commands/themes.js';
import { registerRenderCommand } from './commands/render.js';
import { registerSendCommand } from './commands/send.js';
import { registerRunCommand } from './commands/run.js';
import { registerScheduleCommand } from './commands/schedule.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSubscribersCommand } from './commands/subscribers.js';
import { registerSuppressCommand } from './commands/suppress.js';
import { registerTopicsCommand } from './commands/topics.js';
import { registerBouncesCommand } from './commands/bounces.js';
import { registerDbCommand } from './commands/db.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerFeedbackCommand } from './commands/feedback.js';

/** Every command, in the order `--help` lists them. Adding a command is one file and one line here. */
const COMMANDS = [
  registerDigestCommand,
  registerThemesCommand,
  registerTopicsCommand,
  registerRenderCommand,
  registerSendCommand,
  registerRunCommand,
  registerScheduleCommand,
  registerServeCommand,
  registerSubscribersCommand,
  registerFeedbackCommand,
  registerSuppressCommand,
  registerBouncesCommand,
  registerDbCommand,
  registerDoctorCommand,
];

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

function buildProgram(): Command {
  const program: Command = new Command('paperpost')
    .description("Turns each day's trending ML papers into a themed email newsletter and sends it to subscribers.")
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
  for (const register of COMMANDS) register(program);
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
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  process.exitCode = report(e);
}
