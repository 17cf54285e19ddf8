/**
 * Whose fault a permanent (5xx) SMTP refusal is: the reader's address, or ours (the sender,
 * the session, the message). Only a refusal of the address may bounce a reader for good: a
 * relay that wants AUTH ("530 authentication required" at MAIL FROM) or refuses the content
 * ("554 5.7.1 content policy" at the end of DATA) would refuse every reader alike, and
 * bouncing them would unsubscribe the whole list for a fault of the operator's.
 *
 * 1. A 5xx to MAIL FROM is the sender's, whatever it says; so is 530/535/538 (authentication)
 *    at any step.
 * 2. With an enhanced status code (RFC 3463), its subject decides: X.1.x (address) but X.1.7
 *    and X.1.8 (the sender's address), X.2.x (mailbox) and X.4.4 (unable to route) are the
 *    reader's; X.0.0 (undefined) says nothing more than a bare code, so step 3 decides; every
 *    other subject (X.3 system and X.3.4 size, X.4 routing, X.5 protocol, X.6 content, X.7
 *    policy, auth, relaying denied, DMARC) is the sender's or the message's.
 * 3. Without one: a refusal at RCPT TO is the reader's; anywhere else (DATA, the end of the
 *    data) it is about the message.
 */

/** `recipient`: the reader's address was refused; `sender`: the sender, the session or the message was. */
export type RefusalOwner = 'recipient' | 'sender';

/** Enhanced status code at the start of the reply text, after the basic code: "550 5.1.1 …" → [5, 1, 1]. */
const ENHANCED = /^\d{3}[ -]([245])\.(\d{1,3})\.(\d{1,3})(?!\S)/;

/** Whose a 5xx refusal is; `command` is the SMTP command it answered ("MAIL FROM", "RCPT TO", "DATA"). */
export function whoseRefusal(reply: string, command: string | undefined): RefusalOwner {
  // 1.
  if (command === 'MAIL FROM') return 'sender';
  const basic = Number(reply.slice(0, 3));
  if (basic === 530 || basic === 535 || basic === 538) return 'sender';
  // 2.
  const m = ENHANCED.exec(reply.trimStart());
  if (m && !(m[2] === '0' && m[3] === '0')) {
    const subject = Number(m[2]);
    const detail = Number(m[3]);
    if (subject === 1) return detail === 7 || detail === 8 ? 'sender' : 'recipient';
    if (subject === 2) return 'recipient';
    if (subject === 4 && detail === 4) return 'recipient';
    return 'sender';
  }
  // 3.
  return command === 'RCPT TO' ? 'recipient' : 'sender';
}
