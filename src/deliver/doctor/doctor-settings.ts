/**
 * The doctor's settings from the configuration, shared by `paperpost doctor` and the
 * scheduler's daily run: MAIL_FROM, SMTP_URL, BOUNCE_DOMAIN, PUBLIC_URL, and the DKIM key read
 * from DKIM_PRIVATE_KEY_PATH (a ConfigError, exit 2, when it cannot be read).
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../../config.js';
import { ConfigError } from '../../errors.js';
import type { DoctorSettings } from './run-doctor.js';

/** The settings runDoctor takes, from `c`. */
export function doctorSettingsOf(c: Config): DoctorSettings {
  let dkim: DoctorSettings['dkim'];
  if (c.dkim) {
    let privateKey: string;
    try {
      privateKey = readFileSync(c.dkim.privateKeyPath, 'utf8');
    } catch (e) {
      throw new ConfigError([`DKIM_PRIVATE_KEY_PATH cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
    }
    dkim = { domain: c.dkim.domainName, selector: c.dkim.keySelector, privateKey };
  }
  return { mailFrom: c.mailFrom, smtpUrl: c.smtpUrl, bounceDomain: c.bounces.domain, dkim, publicUrl: c.publicUrl };
}
