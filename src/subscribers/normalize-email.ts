/**
 * Email address validation and normalization: one rule for the CLI, imports and web forms.
 */
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
  if (!emailSchema.safeParse(email).success) throw new Error(`${JSON.stringify(email)} is not a valid email address`);
  const at = email.lastIndexOf('@');
  return email.slice(0, at) + '@' + email.slice(at + 1).toLowerCase();
}
