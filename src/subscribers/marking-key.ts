/**
 * The key that marks forgotten addresses (forgotten-address.ts), or none. Only a real
 * SECRET_KEY may: the development key is printed in paperpost's own source, so a mark made with
 * it could be computed by anyone holding the database (it would name the address), and it would
 * not be recognised once the real key is set, letting an import bring the address back. Without
 * a real key the stores get no marker, so forgetting refuses (exit 2, "needs SECRET_KEY") and no
 * lookup computes development-key marks.
 */
import type { Config } from '../config.js';

/** SECRET_KEY when it is set, undefined when paperpost runs on the development key. */
export function markingKey(config: Pick<Config, 'secretKey' | 'secretKeyIsDefault'>): string | undefined {
  return config.secretKeyIsDefault ? undefined : config.secretKey;
}
