/**
 * The statements on one subscriber row that the PostgreSQL subscriber module and the import's
 * steps (import-port.ts) both run, so an import changes a row exactly as a single call does.
 */
export const SUBSCRIBER_SQL = {
  byKey: 'SELECT * FROM subscribers WHERE email_key = $1',
  byId: 'SELECT * FROM subscribers WHERE id = $1',
  // $1 email, $2 key, $3 name, $4 status, $5 themes, $6 createdAt, $7 confirmedAt, $8 unsubscribedAt, $9 now, $10 cadence
  insertNew: `INSERT INTO subscribers (email, email_key, name, status, themes, cadence, created_at, confirmed_at, unsubscribed_at)
    VALUES ($1, $2, $3, $4::text, $5, $10, COALESCE($6::text, $9::text),
            COALESCE($7::text, CASE WHEN $4::text = 'active' THEN $9::text END),
            COALESCE($8::text, CASE WHEN $4::text IN ('unsubscribed','bounced','complained') THEN $9::text END))
    ON CONFLICT (email_key) DO NOTHING
    RETURNING *`,
  // $1 id, $2 name, $3 themes, $4 status, $5 now, $6 cadence
  update: `UPDATE subscribers SET name = $2, themes = $3, cadence = $6, status = $4::text,
      confirmed_at = CASE WHEN $4::text = 'active' AND confirmed_at IS NULL THEN $5::text ELSE confirmed_at END
    WHERE id = $1`,
  // $1 id, $2 status, $3 now
  setStatus: `UPDATE subscribers SET status = $2::text,
      confirmed_at = CASE WHEN $2::text = 'active' THEN COALESCE(confirmed_at, $3::text) ELSE confirmed_at END,
      unsubscribed_at = CASE WHEN $2::text IN ('unsubscribed','bounced','complained') THEN $3::text
                             WHEN $2::text = 'active' THEN NULL ELSE unsubscribed_at END
    WHERE id = $1`,
  // Open links die when the person leaves (or confirms through another link): only a link requested after that counts.
  closeConfirmations: 'UPDATE confirmations SET expires_at = $1 WHERE subscriber_id = $2 AND used_at IS NULL AND expires_at > $1',
};
