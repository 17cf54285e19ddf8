/**
 * The mail transports of the configuration: the SMTP pool over SMTP_URL's relays, and the DKIM
 * signer of DKIM_* that every transport signs with. Apart from app.ts so that `paperpost send`
 * can build the SMTP transport, and open its first connection, right after reading the
 * configuration (issue #23: the connection then opens while the application loads and the
 * issue is prepared), without loading the stores, the outbox or the templates first. The
 * transport built here is handed to createApp, which owns and closes it.
 */
import { createRequire } from 'node:module';
import type DKIM from 'nodemailer/lib/dkim';
import type { Config } from './config.js';
import { readDkimKey } from './read-dkim-key.js';
import { WireSmtpConnection } from './deliver/wire-smtp-connection.js';
import { createSmtpPoolTransport } from './deliver/create-smtp-pool-transport.js';
import type { Transport } from './deliver/transport.js';

/** Loads nodemailer's DKIM signer (CommonJS) only when DKIM is configured. */
const load = createRequire(import.meta.url);

/** The DKIM signer of DKIM_* (one for every transport, so the outbox signs as SMTP does), or none. */
export function loadDkimSigner(config: Config): DKIM | undefined {
  if (!config.dkim) return undefined;
  // A key nodemailer cannot sign with would send every message unsigned: refused here (read-dkim-key.ts).
  const privateKey = readDkimKey(config.dkim.privateKeyPath);
  const Signer = load('nodemailer/lib/dkim') as typeof DKIM;
  return new Signer({ domainName: config.dkim.domainName, keySelector: config.dkim.keySelector, privateKey });
}

/** The SMTP pool over SMTP_URL's relays (SMTP_URL must be set). */
export function createSmtpTransport(config: Config): Transport {
  const dkim = loadDkimSigner(config);
  // One relay per URL of SMTP_URL, each connection picking one by weight (deliver/pick-relay.ts).
  const relays = config.smtpRelays.map((relay) => {
    const url = new URL(relay.url);
    const secure = url.protocol === 'smtps:';
    return {
      name: relay.name,
      weight: relay.weight,
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      createConnection: () =>
        new WireSmtpConnection({
          host: url.hostname,
          port: url.port ? Number(url.port) : secure ? 465 : 587,
          secure,
          // STARTTLS is used whenever the server offers it; a self-signed certificate is accepted
          // only when the operator says so in the URL.
          tls: url.searchParams.get('tls_reject_unauthorized') === 'false' ? { rejectUnauthorized: false } : undefined,
          connectionTimeout: 30_000,
          greetingTimeout: 30_000,
          socketTimeout: 120_000,
        }),
    };
  });
  return createSmtpPoolTransport({ name: relays.map((r) => r.name).join(', '), size: config.smtpPoolSize, dkim, relays });
}
