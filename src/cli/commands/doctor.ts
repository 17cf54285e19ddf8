/**
 * `paperpost doctor`: checks the sending setup the way receivers and readers will meet it —
 * SPF for the relay, the published DKIM key, DMARC alignment, BOUNCE_DOMAIN's MX, the relay's
 * TLS and AUTH, PUBLIC_URL over https — one line each, with the DNS record to publish where one
 * is missing. Exit 1 when any check fails, 0 otherwise (warnings included); bad configuration
 * is exit 2 before anything is looked up. No secret is ever printed.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { config, out } from '../context.js';

/** Registers `doctor`. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description("check the sending setup: SPF, DKIM key, DMARC, BOUNCE_DOMAIN's MX, the relay's TLS and AUTH, PUBLIC_URL")
    .action(async () => {
      const c = config();
      let dkim: { domain: string; selector: string; privateKey: string } | undefined;
      if (c.dkim) {
        let privateKey: string;
        try {
          privateKey = readFileSync(c.dkim.privateKeyPath, 'utf8');
        } catch (e) {
          throw new ConfigError([`DKIM_PRIVATE_KEY_PATH cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
        }
        dkim = { domain: c.dkim.domainName, selector: c.dkim.keySelector, privateKey };
      }
      const { formatCheck, runDoctor } = await import('../../deliver/doctor/run-doctor.js');
      const results = await runDoctor({ mailFrom: c.mailFrom, smtpUrl: c.smtpUrl, bounceDomain: c.bounces.domain, dkim, publicUrl: c.publicUrl }, { timeoutMs: c.http.timeoutMs });
      for (const r of results) out(formatCheck(r));
      const failed = results.filter((r) => r.status === 'failure').length;
      const warned = results.filter((r) => r.status === 'warning').length;
      out(failed ? `${failed} check(s) failed, ${warned} warning(s)` : `every check passed${warned ? `, ${warned} warning(s)` : ''}`);
      if (failed) process.exitCode = 1;
    });
}
