/**
 * The cadence part of the subscribe and preferences forms (docs/CONTEXT.md: cadence): daily,
 * or weekly on a chosen weekday. Two radio buttons and a weekday select, without JavaScript;
 * the value is checked here against the same rule as the CLI's --cadence
 * (subscribers/cadence.ts), so a scripted form cannot store anything else.
 */
import { WEEKDAYS } from '../../iso-week.js';
import { DEFAULT_WEEKDAY, parseCadence, parseWeekday, weekdayName, weekdayOfCadence } from '../../subscribers/cadence.js';
import type { Cadence } from '../../types.js';
import type { FormData } from '../routes/read-form.js';
import { renderHtml as h, type Html } from './render-html.js';

/** What a form asked for: a cadence, or the one problem with it (and what to show again). */
export type CadenceChoice = { cadence: Cadence } | { error: string; picked: Cadence };

/**
 * What a change of cadence does (issue/weekly-owed.ts), for a reader who has one already (the
 * preferences page); README "Weekly issues" says the same.
 */
const SWITCH_NOTE =
  'Changing this: a week you had daily emails of is not sent again as a weekly email, so after a switch to weekly your first weekly email is the next full week. After a switch to daily, daily emails start with the next issue, and a weekly email not yet sent to you is not sent.';

/** The fieldset, with `selected` chosen (a form shown again after an error keeps the person's pick); `switching`: the reader has a cadence already, and is told what a change does. */
export function renderCadenceChoice(selected: Cadence, error?: string, switching = false): Html {
  const day = weekdayOfCadence(selected);
  return h`<fieldset${error ? h` aria-describedby="cadence-error"` : ''}>
<legend>How often</legend>
${error ? h`<p class="problem" id="cadence-error">${error}</p>` : ''}
<label class="choice"><input type="radio" name="cadence" value="daily"${day ? '' : h` checked`}> <span>Daily: each day's issue</span></label>
<label class="choice"><input type="radio" name="cadence" value="weekly"${day ? h` checked` : ''}> <span>Weekly: the week's best papers, once a week</span></label>
<label for="weekday">Day of the weekly email</label>
<select id="weekday" name="weekday">
${WEEKDAYS.map((d) => h`<option value="${d}"${d === (day ?? DEFAULT_WEEKDAY) ? h` selected` : ''}>${weekdayName(d)}</option>`)}
</select>
${switching ? h`<p class="hint">${SWITCH_NOTE}</p>` : ''}
</fieldset>`;
}

/**
 * Reads the fieldset with the CLI's rule (subscribers/cadence.ts), so a scripted form and
 * `--cadence` accept the same spellings ("weekly", "WEEKLY", "weekly:fri", "Weekly:Friday").
 * A form without the field (a page from before cadences) keeps `current`. A day in the cadence
 * itself wins; otherwise the weekday field ("fri", "Friday"); a weekly choice without one is
 * Monday, as for the CLI. Anything else, or a weekday that is none, is an error.
 */
export function parseCadenceChoice(form: FormData, current: Cadence): CadenceChoice {
  const kind = form.get('cadence');
  if (kind === undefined) return { cadence: current };
  let cadence: Cadence;
  try {
    cadence = parseCadence(kind);
  } catch {
    return { error: 'Choose daily or weekly.', picked: current };
  }
  if (cadence === 'daily' || /[:=]/.test(kind)) return { cadence };
  const rawDay = (form.get('weekday') ?? '').trim();
  if (rawDay === '') return { cadence };
  const day = parseWeekday(rawDay);
  if (!day) return { error: 'Choose the day of the week your weekly email should come.', picked: `weekly:${DEFAULT_WEEKDAY}` };
  return { cadence: `weekly:${day}` };
}
