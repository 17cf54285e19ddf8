/**
 * The recipient of one reader's copy of a compiled issue: recipientFor() (the one place a
 * copy's values come from) given the papers this copy shows, as the reader's copy plan lays
 * them out (lay-out-copy.ts), so the values that repeat per paper (the feedback links) are
 * made for exactly those papers. Every path that makes a copy calls this: deliveries, test
 * copies, `render` and the /admin preview. It names the issue and each paper's card in it, so
 * the feedback links carry compact tokens (subscribers/feedback-token.ts), signed at once.
 */
import type { Config } from '../config.js';
import { READER_VALUES } from '../subscribers/reader-values.js';
import { recipientFor, type Reader, type Recipient } from '../subscribers/recipient.js';
import type { CompiledIssue } from './compile-issue.js';
import { cardsOf, layOutCopy } from './lay-out-copy.js';

/** The recipient of `reader`'s copy of `compiled` (their plan is reader.plan), links made at `now`. */
export function copyRecipient(config: Pick<Config, 'publicUrl' | 'secretKey'>, compiled: CompiledIssue, reader: Reader, now: Date = new Date()): Recipient {
  const layout = layOutCopy(compiled, { themes: reader.themes, plan: reader.plan });
  const refs = layout ? cardsOf(layout) : [];
  const issue = compiled.cards ? { id: compiled.id, cards: refs.map((r) => r.card) } : undefined;
  return recipientFor(config, reader, READER_VALUES, { papers: refs.map((r) => r.paperId), now, issue });
}
