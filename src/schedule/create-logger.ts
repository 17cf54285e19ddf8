/**
 * The scheduler's log: JSON lines (pino) when stdout is not a terminal, so journald or a
 * log shipper can parse them; short readable lines on a terminal. Every line passes through
 * redactSecrets on its way out, so no password or key reaches a log.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { redactSecrets, secretsIn } from '../redact-secrets.js';

/** A stream that masks secrets in each line before handing it on. */
function redacting(next: { write(chunk: string): unknown }): pino.DestinationStream {
  const secrets = secretsIn(process.env);
  return { write: (chunk: string) => void next.write(redactSecrets(chunk, secrets)) };
}

/** Creates the logger for `paperpost schedule`. */
export function createLogger(options: { tty?: boolean; level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const tty = options.tty ?? process.stdout.isTTY === true;
  const level = options.level ?? 'info';
  if (tty) {
    return pino({ level }, redacting(pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', destination: options.destination ?? 1 })));
  }
  return pino({ level, base: { app: 'paperpost' } }, redacting((options.destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: true })));
}
