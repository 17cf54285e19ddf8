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
  /** Adds entries to the suppression list; entries already there keep their first reason. */
  addSuppressions(entries: { pattern: string; reason: string }[]): Promise<{ added: number; existing: number }>;
  removeSuppression(pattern: string): Promise<boolean>;
  listSuppressions(): AsyncIterable<Suppression>;
  /** The suppression entry that covers this address (the address itself or its @domain), or null. */
  findSuppression(email: string): Promise<Suppression | null>;
}
