/**
 * Confirmations on PostgreSQL: the subscribe form's requests. Confirming one activates the
 * subscriber and closes their other open links, in one transaction that locks the
 * subscriber's row first; it also lifts the mark of an address that was forgotten (the owner's
 * own confirmation is what brings it back).
 */
import { randomBytes } from 'node:crypto';
import type { Confirmations } from '../roles/confirmations.js';
import type { Marker } from '../shared/import-plan.js';
import { themesJson, toConfirmation, type ConfirmationRow } from '../shared/map-rows.js';
import type { SqlRunner } from './sql-runner.js';
import { SUBSCRIBER_SQL } from './subscriber-sql.js';

const GET = 'SELECT * FROM confirmations WHERE nonce = $1 AND subscriber_id = $2';

export function createPostgresConfirmations({ first, one, exec, tx, now }: SqlRunner, marker: Marker = null): Confirmations {
  return {
    async createConfirmation(subscriberId, request, ttlMs) {
      const nonce = randomBytes(12).toString('base64url');
      const t = now();
      const row = await first<ConfirmationRow>(
        `INSERT INTO confirmations (nonce, subscriber_id, name, themes, requested_at, expires_at, cadence) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [nonce, subscriberId, request.name, themesJson(request.themes), t.toISOString(), new Date(t.getTime() + ttlMs).toISOString(), request.cadence ?? null],
      );
      return toConfirmation(row!);
    },
    async getConfirmation(subscriberId, nonce) {
      const row = await first<ConfirmationRow>(GET, [nonce, subscriberId]);
      return row ? toConfirmation(row) : null;
    },
    async confirmSubscription(subscriberId, nonce) {
      return tx(async (c) => {
        // 1. The subscriber's row first: two links of one person confirmed at once take turns
        //    (and every transaction that touches confirmations locks in this order: no deadlock).
        const subscriber = await one<{ email_key: string }>(c, 'SELECT email_key FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]);
        // 2. Then the request, as the SQLite store decides.
        const row = await one<ConfirmationRow>(c, GET, [nonce, subscriberId]);
        if (!row) return 'unknown' as const;
        if (row.used_at) return 'already-confirmed' as const;
        const t = now().toISOString();
        if (row.expires_at <= t) return 'expired' as const;
        await exec(c, 'UPDATE confirmations SET used_at = $1 WHERE nonce = $2 AND used_at IS NULL', [t, nonce]);
        await exec(c, SUBSCRIBER_SQL.closeConfirmations, [t, subscriberId]);
        await exec(
          c,
          `UPDATE subscribers SET status = 'active', name = COALESCE($2, name), themes = $3, cadence = COALESCE($5, cadence), confirmed_at = $4, unsubscribed_at = NULL WHERE id = $1`,
          [subscriberId, row.name, row.themes, t, row.cadence],
        );
        if (marker && subscriber) await exec(c, 'DELETE FROM suppressions WHERE pattern = $1', [marker(subscriber.email_key).forgotten]);
        return 'confirmed' as const;
      });
    },
  };
}
