/**
 * Message-IDs. A delivery's Message-ID is stable per (issue, subscriber), so a message resent
 * after an interrupted attempt carries the same one and the receiving side can drop the copy.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';
import { parseAddress } from './build-message.js';

const domains = new Map<string, string>();

/** The domain part of MAIL_FROM, which Message-IDs end with (worked out once per address: it is asked once per message). */
export const mailDomain = (config: Pick<Config, 'mailFrom'>) => {
  let domain = domains.get(config.mailFrom);
  if (domain === undefined) {
    domain = parseAddress(config.mailFrom).email.split('@')[1] ?? 'localhost';
    if (domains.size < 16) domains.set(config.mailFrom, domain);
  }
  return domain;
};

/** The Message-ID for (issue, subscriber): stable across attempts and reruns, not guessable. */
export function messageIdFor(config: Pick<Config, 'mailFrom' | 'secretKey'>, issueId: string, subscriberId: number): string {
  const h = createHmac('sha256', config.secretKey).update(`message:${issueId}:${subscriberId}`).digest('hex').slice(0, 20);
  return `<${issueId}.${h}@${mailDomain(config)}>`;
}
