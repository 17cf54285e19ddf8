/**
 * Why a draft does not render, as the admin pages say it: the error's message and hint in one
 * line (a configuration error lists its problems on lines of their own), secrets redacted. The
 * issue preview and the subscriber page both show it, so a draft whose templates are broken
 * reads the same everywhere, and never as if there were no draft.
 */
import { PaperpostError } from '../errors.js';
import { redactSecrets } from '../redact-secrets.js';

/** `error` in one line for an admin page (escape it where it is shown). */
export function draftErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof PaperpostError && error.hint ? ` (${error.hint})` : '';
  return redactSecrets(`${message}${hint}`.replace(/\s+/g, ' ').trim());
}
