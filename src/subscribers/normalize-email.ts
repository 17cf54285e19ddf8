/**
 * Email address validation and normalization: one rule for the CLI, imports and web forms.
 */
import { domainToASCII } from 'node:url';
import { z } from 'zod';

const emailSchema = z.email();

/**
 * Returns the address with its domain lowercased, or throws a plain message saying why it
 * is not acceptable. The local part keeps its case (RFC 5321 says it may matter), but
 * uniqueness is checked case-insensitively by the store.
 */
export function normalizeEmail(raw: string): string {
  if (/[\r\n]/.test(raw)) throw new Error('contains a line break');
  const email = raw.trim();
  if (email === '') throw new Error('is empty');
  if (email.length > 254) throw new Error('is longer than 254 characters');
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  let domain = email.slice(at + 1).toLowerCase();
  // An internationalised domain (bücher.example) is kept in its ASCII form (xn--bcher-kva.example),
  // which every mail server takes; a non-ASCII name before the @ would need SMTPUTF8, which paperpost does not use.
  if (at > 0 && /[^\x20-\x7e]/.test(domain)) {
    const ascii = domainToASCII(domain);
    if (!ascii) throw new Error(`${JSON.stringify(email)} has a domain that is not a valid internationalised name`);
    domain = ascii;
  }
  if (at > 0 && /[^\x20-\x7e]/.test(local)) {
    throw new Error(`${JSON.stringify(email)} has non-ASCII characters before the @, which needs SMTPUTF8; paperpost sends plain SMTP, so it cannot mail this address`);
  }
  const normalized = `${local}@${domain}`;
  if (!emailSchema.safeParse(normalized).success) throw new Error(`${JSON.stringify(email)} is not a valid email address`);
  return normalized;
}
