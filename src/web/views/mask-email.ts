/**
 * How a page names the subscriber a link belongs to: enough for its owner to recognise
 * (first letter, domain), not enough to hand a forwarded email's reader the full address.
 */

/** "alice@example.org" → "a•••@example.org". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${Array.from(email.slice(0, at))[0]}•••${email.slice(at)}`;
}
