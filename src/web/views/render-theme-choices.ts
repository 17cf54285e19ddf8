/**
 * The themes part of the subscribe and preferences forms: "all themes" or a pick from the
 * labels of recent issues. Labels change from day to day, so "all" is the default and the
 * pick is matched case-insensitively, as personalizeIssue matches it.
 */
import type { FormData } from '../routes/read-form.js';
import { renderHtml as h, type Html } from './render-html.js';

/** Most themes one subscriber can pick; more is a scripted form. */
export const MAX_PICKED_THEMES = 50;

const key = (label: string) => label.trim().toLowerCase();

/**
 * The fieldset; `selected` null (or empty) means all themes. A form re-shown with `error`
 * keeps the person's pick as they sent it: "only the themes I tick", with `selected` ticked.
 */
export function renderThemeChoices(labels: string[], selected: string[] | null, error?: string): Html {
  if (labels.length === 0) {
    return h`<input type="hidden" name="scope" value="all"><p class="muted">You will get every theme. Once issues have gone out, you can pick themes on your preferences page.</p>`;
  }
  const picked = new Set((selected ?? []).map(key));
  const all = error === undefined && (selected === null || selected.length === 0);
  return h`<fieldset${error ? h` aria-describedby="themes-error"` : ''}>
<legend>Themes</legend>
${error ? h`<p class="problem" id="themes-error">${error}</p>` : ''}
<label class="choice"><input type="radio" name="scope" value="all"${all ? h` checked` : ''}> <span>All themes, including new ones</span></label>
<label class="choice"><input type="radio" name="scope" value="some"${all ? '' : h` checked`}> <span>Only the themes I tick below</span></label>
<ul class="themes">
${labels.map((label, i) => h`<li><label class="choice" for="theme-${i}"><input type="checkbox" id="theme-${i}" name="theme" value="${label}"${picked.has(key(label)) ? h` checked` : ''}> <span>${label}</span></label></li>`)}
</ul>
<p class="muted">Themes come from recent issues; an issue with none of your themes is not sent to you.</p>
</fieldset>`;
}

/**
 * Reads the choice: null for all themes, the picked labels (as offered, each once), or an
 * error message with the labels that were ticked (to show the form again as it was sent).
 * "All" wins over ticks; with neither option chosen, ticked themes count as a pick, since
 * ticking one says what the person wants. Labels that were not offered are ignored.
 */
export function parseThemeChoices(form: FormData, offered: string[]): { themes: string[] | null } | { error: string; picked: string[] } {
  const byKey = new Map(offered.map((label) => [key(label), label]));
  const picked: string[] = [];
  for (const value of form.all('theme').slice(0, MAX_PICKED_THEMES * 2)) {
    const label = byKey.get(key(value));
    if (label !== undefined && !picked.includes(label)) picked.push(label);
  }
  const scope = form.get('scope');
  if (scope === 'all') return { themes: null };
  if (picked.length === 0) {
    return scope === 'some' ? { error: 'Tick at least one theme, or choose all themes.', picked } : { themes: null };
  }
  // More than the cap is not cut short silently: the person says which to keep.
  if (picked.length > MAX_PICKED_THEMES) return { error: `Tick at most ${MAX_PICKED_THEMES} themes, or choose all themes.`, picked };
  return { themes: picked };
}
