/**
 * Errors a user can act on. Each carries a code, a one-line message (what went wrong and
 * where) and a hint (what to do). The CLI prints `error: <message> (<hint>)` and exits with
 * `exitCode`; anything that is not a PaperpostError is a bug and is reported as such.
 */
export class PaperpostError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly exitCode: number;

  constructor(code: string, message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint ?? '';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad command-line usage: unknown option, missing argument. Exit 2. */
export class UsageError extends PaperpostError {
  constructor(message: string, hint = 'run with --help to see the usage') {
    super('USAGE', message, { hint, exitCode: 2 });
  }
}

/**
 * Bad configuration: environment variables or operator files (themes.yml). Collects every
 * problem so the operator fixes them in one go. Exit 2.
 */
export class ConfigError extends PaperpostError {
  readonly problems: string[];

  constructor(problems: string[], hint = 'fix the values in .env or the environment; .env.example documents each one') {
    const message =
      problems.length === 1 ? problems[0]! : `${problems.length} configuration problems:\n  ${problems.join('\n  ')}`;
    super('CONFIG', message, { hint, exitCode: 2 });
    this.problems = problems;
  }
}

/** A digest that cannot be read: missing, empty, malformed, too big, unreachable. Exit 2. */
export class DigestError extends PaperpostError {
  constructor(message: string, hint = 'check the digest source', options: { cause?: unknown; exitCode?: number } = {}) {
    super('DIGEST', message, { hint, exitCode: options.exitCode ?? 2, cause: options.cause });
  }
}

/**
 * A digest that was read fine but lists no papers (a weekend, a feed with no entries). Bad
 * input for `digest`; for the scheduler an empty day, on which nothing is sent.
 */
export class EmptyDigestError extends DigestError {}

/**
 * A template that does not compile or render. Exit 2. The message names the file as TEMPLATES_DIR
 * gives it (render/load-templates.ts), and the line, so the hint need not.
 */
export class TemplateError extends PaperpostError {
  constructor(message: string, hint = 'fix that template and run again', cause?: unknown) {
    super('TEMPLATE', message, { hint, exitCode: 2, cause });
  }
}

/** Bad input data given on the command line or in a file (CSV rows, addresses). Exit 2. */
export class InputError extends PaperpostError {
  constructor(message: string, hint = 'fix the input and run again') {
    super('INPUT', message, { hint, exitCode: 2 });
  }
}

/**
 * A reader's signal (rating, follow, mute) arrived for a subscriber who is no longer there: erased
 * by `forget` or "Delete my data" between the page's check and the write. Nothing is recorded.
 * Exit 1: nobody typed anything wrong, the reader went away meanwhile.
 */
export class ReaderGoneError extends PaperpostError {
  constructor() {
    super('GONE', 'this reader was erased meanwhile: nothing was recorded', { exitCode: 1 });
  }
}

/** SMTP trouble that stops a run: authentication, TLS, unreachable server. Exit 1. */
export class SmtpError extends PaperpostError {
  readonly smtpCode: number | undefined;

  constructor(message: string, hint = 'check SMTP_URL and the mail server', options: { cause?: unknown; smtpCode?: number } = {}) {
    super('SMTP', message, { hint, exitCode: 1, cause: options.cause });
    this.smtpCode = options.smtpCode;
  }
}

/** Another process holds the send lock for this issue. Exit 1. */
export class LockError extends PaperpostError {
  constructor(message: string, hint = 'wait for the other send to finish; a dead holder\'s lock expires by itself') {
    super('LOCKED', message, { hint, exitCode: 1 });
  }
}
