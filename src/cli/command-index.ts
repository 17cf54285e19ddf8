/**
 * The index of paperpost's commands: for each, how to load its module, and the line
 * `paperpost --help` shows for it. A command module pulls in what its command needs (the
 * configuration schema, CSV, YAML, the topic stages: a second of start-up on a slow
 * machine), so the overall help is written from this index without importing any of them;
 * `paperpost <command> …` loads that command's module alone. test/cli/lazy-loading.test.ts
 * checks that the lines here are the ones the modules themselves would show.
 */
import { Help, type Command } from 'commander';

/** Registers one command (and its subcommands) on the program. */
export type Register = (program: Command) => void;

/** One command: its module's loader, and its line in the overall help. */
interface CommandEntry {
  load: () => Promise<Register>;
  /** What the help shows after the name: `[options]` and the arguments. */
  term: string;
  /** The command's description, as its module gives it. */
  description: string;
}

/**
 * Every command, in the order `--help` lists them. Adding a command is one file and one
 * entry here.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  digest: {
    load: async () => (await import('./commands/digest.js')).registerDigestCommand,
    term: '[options] <source>',
    description: 'read a digest and print it normalized',
  },
  themes: {
    load: async () => (await import('./commands/themes.js')).registerThemesCommand,
    term: '[options] <source>',
    description: "place a digest's papers in topics (with stories inside), as the issue will show them",
  },
  topics: {
    load: async () => (await import('./commands/topics.js')).registerTopicsCommand,
    term: '[options]',
    description: 'list the topic map: ids (what subscriptions and feeds use), labels, papers lately',
  },
  render: {
    load: async () => (await import('./commands/render.js')).registerRenderCommand,
    term: '[options] [source]',
    description: 'render the issue for a digest to files: email.html, email.txt, subject.txt, email.eml',
  },
  preview: {
    load: async () => (await import('./commands/preview.js')).registerPreviewCommand,
    term: '[options] [source]',
    description: 'a local preview of the issue that reloads as you edit templates/ or the topic map, with the pre-send checks',
  },
  send: {
    load: async () => (await import('./commands/send.js')).registerSendCommand,
    term: '[options] [source]',
    description: 'deliver the issue for a digest to every active subscriber, exactly once',
  },
  run: {
    load: async () => (await import('./commands/run.js')).registerRunCommand,
    term: '',
    description: 'the daily job once: finish earlier issues, then take the newest digest in DIGEST_SOURCE, group, render and deliver it',
  },
  schedule: {
    load: async () => (await import('./commands/schedule.js')).registerScheduleCommand,
    term: '[options]',
    description: 'run the daily job at CRON_SCHEDULE in TZ until stopped (SIGTERM/SIGINT stop it cleanly)',
  },
  serve: {
    load: async () => (await import('./commands/serve.js')).registerServeCommand,
    term: '[options]',
    description: 'the web pages: subscribe, confirm, preferences, unsubscribe, archive, feeds, and the /admin preview',
  },
  subscribers: {
    load: async () => (await import('./commands/subscribers.js')).registerSubscribersCommand,
    term: '',
    description: 'manage the subscriber list',
  },
  feedback: {
    load: async () => (await import('./commands/feedback.js')).registerFeedbackCommand,
    term: '<email> <paper-id> <choice>',
    description: 'record a reader\'s "More like this" or "Less like this" on a paper of a sent issue, as the feedback page does',
  },
  suppress: {
    load: async () => (await import('./commands/suppress.js')).registerSuppressCommand,
    term: '',
    description: 'the suppression list: addresses and @domains that are never mailed',
  },
  bounces: {
    load: async () => (await import('./commands/bounces.js')).registerBouncesCommand,
    term: '',
    description: 'bounces and complaints that arrive after the send (VERP, DSNs, complaint reports, webhooks)',
  },
  db: {
    load: async () => (await import('./commands/db.js')).registerDbCommand,
    term: '',
    description: 'the database: apply migrations, or copy an installation to another database',
  },
  doctor: {
    load: async () => (await import('./commands/doctor.js')).registerDoctorCommand,
    term: '',
    description: "check the sending setup: SPF, DKIM key, DMARC, BOUNCE_DOMAIN's MX, the relay's TLS and AUTH, PUBLIC_URL",
  },
};

/**
 * Adds every command to `program` by its help line only, for the overall help, `help`'s
 * list and commander's "did you mean" on an unknown word. These stand-ins have no action:
 * main.ts loads a command's real module whenever argv names it.
 */
export function describeCommands(program: Command): void {
  for (const [name, entry] of Object.entries(COMMANDS)) program.command(name).description(entry.description);
  const standard = new Help();
  program.configureHelp({
    subcommandTerm: (cmd) => {
      const entry = Object.hasOwn(COMMANDS, cmd.name()) ? COMMANDS[cmd.name()] : undefined;
      return entry ? [cmd.name(), entry.term].filter(Boolean).join(' ') : standard.subcommandTerm(cmd);
    },
  });
}
