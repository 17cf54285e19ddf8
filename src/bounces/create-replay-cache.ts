/**
 * Remembers webhook tokens (Mailgun's `token`, SendGrid's signature) for as long as their
 * timestamps are accepted, so a request captured and sent again inside that window is refused.
 * In memory and bounded: the oldest entries go first when it is full. A restart forgets it,
 * which is fine because every event is idempotent in the store anyway (issue 15).
 */

/** Says whether a token was seen before, and remembers it until `expiresAtMs`. */
export interface ReplayCache {
  /** True when `token` was already seen and has not expired; otherwise records it and returns false. */
  seen(token: string, expiresAtMs: number, nowMs: number): boolean;
}

/** An in-memory ReplayCache holding at most `maxEntries` tokens. */
export function createReplayCache(maxEntries = 100_000): ReplayCache {
  const entries = new Map<string, number>();
  return {
    seen(token, expiresAtMs, nowMs) {
      const known = entries.get(token);
      if (known !== undefined && known > nowMs) return true;
      entries.delete(token);
      // Map keeps insertion order: the first entries are the oldest.
      for (const [k, exp] of entries) {
        if (exp > nowMs && entries.size < maxEntries) break;
        entries.delete(k);
      }
      entries.set(token, expiresAtMs);
      return false;
    },
  };
}
