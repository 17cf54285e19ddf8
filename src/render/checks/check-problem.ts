/**
 * What the pre-send checks (issue #22) report, and what they look at, so `render`, `preview`
 * and the gate before `send` and each scheduled run print the same lines for the same copy.
 * A problem is an `error` (the gate stops the send unless SEND_CHECKS=warn) or a `warning`
 * (always printed, never stops anything).
 */

/** How bad a problem is: an error stops a gated send; a warning never does. */
export type CheckLevel = 'error' | 'warning';

/** Which check found it (the word printed before the message). */
export type CheckName = 'size' | 'links' | 'images' | 'unsubscribe' | 'leftovers' | 'link-status';

/** One problem of one copy, as one line. */
export interface CheckProblem {
  level: CheckLevel;
  check: CheckName;
  message: string;
}

/** One rendered copy of an issue, as a reader's mail client would get it. */
export interface CopyUnderCheck {
  subject: string;
  preheader?: string;
  html: string;
  text: string;
  /** The message's headers by lower-case name (see deliver/read-message-headers.ts). */
  headers: Readonly<Record<string, string>>;
  /** The reader's unsubscribe link: the footer and List-Unsubscribe must both carry it. */
  unsubscribeUrl: string;
  /**
   * Text the issue was made from (the papers, as JSON): a marker such as "undefined" that the
   * papers themselves contain ("undefined behaviour") is theirs, not a template's leftover.
   */
  sourceText?: string;
}

/** Gmail clips a message whose HTML is larger than this, hiding the rest (the unsubscribe link included). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/** Where the preview's size badge turns amber: half the clip line, as Maizzle's dev server does. */
export const SIZE_AMBER_BYTES = 50 * 1024;

/** One problem as a line: `error: links: …`. */
export function formatProblem(p: CheckProblem): string {
  return `${p.level}: ${p.check}: ${p.message}`;
}

/** Errors first, then warnings; within a level, in the order the checks found them. */
export function sortProblems(problems: readonly CheckProblem[]): CheckProblem[] {
  return [...problems.filter((p) => p.level === 'error'), ...problems.filter((p) => p.level === 'warning')];
}

/**
 * The lines a gated send prints when the checks did not stop it: warnings as they are, and
 * errors that SEND_CHECKS=warn let through, saying so.
 */
export function gateLines(report: { problems: readonly CheckProblem[] }): string[] {
  return report.problems.map((p) => (p.level === 'error' ? `warning: SEND_CHECKS=warn, sending anyway: ${formatProblem(p)}` : formatProblem(p)));
}
