/**
 * The doctor's settings from the configuration, shared by `paperpost doctor` and the
 * scheduler's daily run: MAIL_FROM, SMTP_URL, BOUNCE_DOMAIN, PUBLIC_URL, and the DKIM key read
 * from DKIM_PRIVATE_KEY_PATH. The key goes through the very check `send` makes at start
 * (read-dkim-key.ts): a key send refuses (unreadable, encrypted, Ed25519, short RSA) is a
 * ConfigError here too, exit 2 with the same line, so doctor never passes a key send will not use.
 */
import type { Config } from '../../config.js';
import { readDkimKey } from '../../read-dkim-key.js';
import type { DoctorSettings } from './run-doctor.js';

/** The settings runDoctor takes, from `c`. */
export function doctorSettingsOf(c: Config): DoctorSettings {
  let dkim: DoctorSettings['dkim'];
  if (c.dkim) dkim = { domain: c.dkim.domainName, selector: c.dkim.keySelector, privateKey: readDkimKey(c.dkim.privateKeyPath) };
  return { mailFrom: c.mailFrom, smtpUrl: c.smtpUrl, bounceDomain: c.bounces.domain, dkim, publicUrl: c.publicUrl };
}
