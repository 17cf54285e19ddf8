/**
 * The scheduler's log: JSON lines (pino) when stdout is not a terminal, so journald or a
 * log shipper can parse them; short readable lines on a terminal.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Creates the logger for `paperpost schedule`. */
export function createLogger(options: { tty?: boolean; level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const tty = options.tty ?? process.stdout.isTTY === true;
  const level = options.level ?? 'info';
  if (tty) {
    return pino({ level }, pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', destination: options.destination ?? 1 }));
  }
  return pino({ level, base: { app: 'paperpost' } }, (options.destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: true }));
}
