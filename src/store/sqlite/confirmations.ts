/**
 * Confirmations on SQLite: the subscribe form's requests. Confirming one activates the
 * subscriber and closes their other open links, in one transaction; it also lifts the mark of
 * an address that was forgotten (the owner's own confirmation is what brings it back).
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { Confirmations } from '../roles/confirmations.js';
import type { Marker } from '../shared/import-plan.js';
import { themesJson, toConfirmation, type ConfirmationRow } from '../shared/map-rows.js';

export function createSqliteConfirmations(db: Database.Database, now: () => Date, marker: Marker = null): Confirmations {
  const s = {
    insert: db.prepare(
      'INSERT INTO confirmations (nonce, subscriber_id, name, themes, cadence, requested_at, expires_at) VALUES (@nonce, @subscriberId, @name, @themes, @cadence, @now, @expires)',
    ),
    get: db.prepare<[string, number], ConfirmationRow>('SELECT * FROM confirmations WHERE nonce = ? AND subscriber_id = ?'),
    use: db.prepare('UPDATE confirmations SET used_at = ? WHERE nonce = ? AND used_at IS NULL'),
    // Open links die when the person confirms through another link: only a link requested after that counts.
    closeOthers: db.prepare('UPDATE confirmations SET expires_at = ? WHERE subscriber_id = ? AND used_at IS NULL AND expires_at > ?'),
    activate: db.prepare(
      `UPDATE subscribers SET status = 'active', name = COALESCE(@name, name), themes = @themes, cadence = COALESCE(@cadence, cadence), confirmed_at = @now, unsubscribed_at = NULL WHERE id = @id`,
    ),
    keyOf: db.prepare<[number], { email_key: string }>('SELECT email_key FROM subscribers WHERE id = ?'),
    unmark: db.prepare('DELETE FROM suppressions WHERE pattern = ?'),
  };
  return {
    async createConfirmation(subscriberId, request, ttlMs) {
      const nonce = randomBytes(12).toString('base64url');
      const t = now();
      s.insert.run({
        nonce,
        subscriberId,
        name: request.name,
        themes: themesJson(request.themes),
        cadence: request.cadence ?? null,
        now: t.toISOString(),
        expires: new Date(t.getTime() + ttlMs).toISOString(),
      });
      return toConfirmation(s.get.get(nonce, subscriberId)!);
    },
    async getConfirmation(subscriberId, nonce) {
      const row = s.get.get(nonce, subscriberId);
      return row ? toConfirmation(row) : null;
    },
    async confirmSubscription(subscriberId, nonce) {
      return db.transaction(() => {
        const row = s.get.get(nonce, subscriberId);
        if (!row) return 'unknown' as const;
        if (row.used_at) return 'already-confirmed' as const;
        const t = now().toISOString();
        if (row.expires_at <= t) return 'expired' as const;
        s.use.run(t, nonce);
        s.closeOthers.run(t, subscriberId, t);
        s.activate.run({ id: subscriberId, name: row.name, themes: row.themes, cadence: row.cadence, now: t });
        const key = s.keyOf.get(subscriberId)?.email_key;
        if (marker && key) s.unmark.run(marker(key).forgotten);
        return 'confirmed' as const;
      })();
    },
  };
}
