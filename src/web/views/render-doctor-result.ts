/**
 * The last `paperpost doctor` result on /admin (stored by the command and by the scheduler's
 * daily run, deliver/doctor/doctor-record.ts): when it ran, and each check that was not ok,
 * with the record to publish. Status words, not colour alone, say how each check came out.
 */
import { loadDoctorResult, type DoctorRecord } from '../../deliver/doctor/doctor-record.js';
import type { Meta } from '../../store/store.js';
import { renderHtml as h, type Html } from './render-html.js';

/** The stored record (null when the doctor never ran). */
export const readDoctorResult = (meta: Meta): Promise<DoctorRecord | null> => loadDoctorResult(meta);

/** The section; a prompt to run the doctor when it never ran. */
export function renderDoctorResult(record: DoctorRecord | null): Html {
  if (!record) return h`<p class="muted">Sending setup: not checked yet. Run <code>paperpost doctor</code> (the scheduler runs it daily).</p>`;
  const failed = record.results.filter((r) => r.status === 'failure');
  const warned = record.results.filter((r) => r.status === 'warning');
  const summary = failed.length > 0 ? `${failed.length} failed, ${warned.length} warnings` : warned.length > 0 ? `passed with ${warned.length} warnings` : 'every check passed';
  return h`<details class="${failed.length > 0 ? 'problem' : 'notice'}" id="doctor"${failed.length > 0 ? h` open` : ''}><summary>Sending setup (doctor, ${record.at.slice(0, 16).replace('T', ' ')} UTC, by ${record.by}): ${summary}</summary>
<ul>${record.results.map((r) => h`<li><strong>${r.status}</strong> ${r.name}: ${r.message}${r.publish ? h`<br>publish: <code>${r.publish}</code>` : ''}</li>`)}</ul>
</details>`;
}
