/**
 * `paperpost doctor`: checks the sending setup the way receivers and readers will meet it —
 * SPF for the relay, the published DKIM key, DMARC alignment, BOUNCE_DOMAIN's MX, the relay's
 * TLS and AUTH, PUBLIC_URL over https — one line each, with the DNS record to publish where one
 * is missing. Exit 1 when any check fails, 0 otherwise (warnings included); bad configuration
 * is exit 2 before anything is looked up. No secret is ever printed.
 */
import type { Command } from 'commander';
import { config, err, out, withApp } from '../context.js';

/** Registers `doctor`. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description("check the sending setup: SPF, DKIM key, DMARC, BOUNCE_DOMAIN's MX, the relay's TLS and AUTH, PUBLIC_URL")
    .action(async () => {
      const c = config();
      // Loaded only when the command runs, so `paperpost --help` stays light (cli/main.ts).
      const [{ saveDoctorResult }, { doctorSettingsOf }, { formatCheck, runDoctor }] = await Promise.all([
        import('../../deliver/doctor/doctor-record.js'),
        import('../../deliver/doctor/doctor-settings.js'),
        import('../../deliver/doctor/run-doctor.js'),
      ]);
      const results = await runDoctor(doctorSettingsOf(c), { timeoutMs: c.http.timeoutMs });
      // /admin shows the last result; a database that does not exist yet is not created for it.
      await withApp((app) => saveDoctorResult(app.store(), { at: new Date().toISOString(), by: 'doctor', results })).catch((e: Error) => err(`note: the result is not kept for /admin: ${e.message}`));
      for (const r of results) out(formatCheck(r));
      const failed = results.filter((r) => r.status === 'failure').length;
      const warned = results.filter((r) => r.status === 'warning').length;
      out(failed ? `${failed} check(s) failed, ${warned} warning(s)` : `every check passed${warned ? `, ${warned} warning(s)` : ''}`);
      if (failed) process.exitCode = 1;
    });
}
