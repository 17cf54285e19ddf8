/**
 * SuppressionList: addresses and whole domains that are never mailed, whatever the list says
 * (an operator's list, or a provider's). A caller that checks or edits it asks for this role.
 */

/** One entry of the suppression list: a lowercased address, or "@domain" for a whole domain. */
export interface Suppression {
  pattern: string;
  reason: string;
  createdAt: string;
}

export interface SuppressionList {
  /**
   * Adds entries to the suppression list; entries already there keep their first reason. An
   * entry's `createdAt` (an import of `suppress list`'s output) is kept; without it, now.
   */
  addSuppressions(entries: { pattern: string; reason: string; createdAt?: string }[]): Promise<{ added: number; existing: number }>;
  removeSuppression(pattern: string): Promise<boolean>;
  listSuppressions(): AsyncIterable<Suppression>;
  /**
   * The suppression entry that covers this address (the address itself, its @domain, or the mark
   * of an address suppressed when it was forgotten), or null. With `forgotten`, the mark of an
   * address forgotten at its owner's request counts too (its pattern starts `forgotten:`): every
   * path that mails one address asks so, but the owner's own confirmation email, which is the
   * only way back for a forgotten address.
   */
  findSuppression(email: string, options?: { forgotten?: boolean }): Promise<Suppression | null>;
}
