/**
 * Meta: a small key-value table where one-off data migrations keep their state (done or not,
 * and what they did), so each runs once per database.
 */

export interface Meta {
  /** A value of the key-value table one-off data migrations keep their state in, or null. */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
}
