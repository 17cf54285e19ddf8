/**
 * The topics part of the subscribe and preferences forms: "all topics" or a pick. Each
 * choice's value is a topic id (or, on an installation without a topic map, a theme label,
 * matched case-insensitively as personalizeIssue matches it); the person sees its label, its
 * description and how many papers it had lately.
 */
import type { FormData } from '../routes/read-form.js';
import { plural } from '../../plural.js';
import { renderHtml as h, type Html } from './render-html.js';

/** Most topics one subscriber can pick; more is a scripted form. */
export const MAX_PICKED_THEMES = 50;

/** One choice of the form. */
export interface TopicChoice {
  /** What is stored: a topic id (or a legacy theme label). */
  value: string;
  label: string;
  description: string | null;
  /** Papers in the last issues, or null when not known. */
  recent: number | null;
}

const key = (value: string) => value.trim().toLowerCase();

/** The offered choices plus any the subscriber holds that are no longer offered, so a save keeps them. */
export function withHeldChoices(offered: TopicChoice[], held: string[] | null): TopicChoice[] {
  const known = new Set(offered.map((c) => key(c.value)));
  return [...offered, ...(held ?? []).filter((v) => !known.has(key(v))).map((v) => ({ value: v, label: v, description: null, recent: null }))];
}

/** How busy a topic is: its papers in the last seven issues (a week of daily issues). */
const lately = (n: number | null) => (n === null || n === 0 ? '' : `${plural(n, 'paper')} this week`);

/**
 * The fieldset; `selected` null (or empty) means all topics. A form re-shown with `error`
 * keeps the person's pick as they sent it: "only the topics I tick", with `selected` ticked.
 */
export function renderThemeChoices(choices: TopicChoice[], selected: string[] | null, error?: string): Html {
  if (choices.length === 0) {
    return h`<input type="hidden" name="scope" value="all"><p class="muted">You will get every topic. Once issues have gone out, you can pick topics on your preferences page.</p>`;
  }
  const picked = new Set((selected ?? []).map(key));
  const all = error === undefined && (selected === null || selected.length === 0);
  return h`<fieldset${error ? h` aria-describedby="themes-error"` : ''}>
<legend>Topics</legend>
${error ? h`<p class="problem" id="themes-error">${error}</p>` : ''}
<label class="choice"><input type="radio" name="scope" value="all"${all ? h` checked` : ''}> <span>All topics, including new ones</span></label>
<label class="choice"><input type="radio" name="scope" value="some"${all ? '' : h` checked`}> <span>Only the topics I tick below</span></label>
<details${all ? '' : h` open`}><summary>The ${choices.length} topics</summary>
<ul class="themes">
${choices.map((c, i) => {
  const note = lately(c.recent);
  // The label is the topic's name alone; what it covers and how busy it is describe it.
  const described = note ? h` aria-describedby="theme-${i}-note"` : '';
  return h`<li><label class="choice" for="theme-${i}"${c.description ? h` title="${c.description}"` : ''}><input type="checkbox" id="theme-${i}" name="theme" value="${c.value}"${picked.has(key(c.value)) ? h` checked` : ''}${described}> <span>${c.label}</span></label>${note ? h` <span class="hint" id="theme-${i}-note">${note}</span>` : ''}</li>`;
})}
</ul>
</details>
<p class="muted">An issue with none of your topics is not sent to you.</p>
</fieldset>`;
}

/**
 * Reads the choice: null for all topics, the picked values (as offered, each once), or an
 * error message with the values that were ticked (to show the form again as it was sent).
 * "All" wins over ticks; with neither option chosen, ticked topics count as a pick, since
 * ticking one says what the person wants. Values that were not offered are ignored.
 */
export function parseThemeChoices(form: FormData, offered: TopicChoice[]): { themes: string[] | null } | { error: string; picked: string[] } {
  const byKey = new Map(offered.map((c) => [key(c.value), c.value]));
  const picked: string[] = [];
  for (const value of form.all('theme').slice(0, MAX_PICKED_THEMES * 2)) {
    const known = byKey.get(key(value));
    if (known !== undefined && !picked.includes(known)) picked.push(known);
  }
  const scope = form.get('scope');
  if (scope === 'all') return { themes: null };
  if (picked.length === 0) {
    return scope === 'some' ? { error: 'Tick at least one topic, or choose all topics.', picked } : { themes: null };
  }
  // More than the cap is not cut short silently: the person says which to keep.
  if (picked.length > MAX_PICKED_THEMES) return { error: `Tick at most ${MAX_PICKED_THEMES} topics, or choose all topics.`, picked };
  return { themes: picked };
}
