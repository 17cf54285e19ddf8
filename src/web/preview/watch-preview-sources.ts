/**
 * What the preview watches: the templates directory (partials included) and the topic map.
 * Editors save in different ways (write in place, or write a temporary file and rename it
 * over the old one), so each file's directory is watched, not the file, and a burst of events
 * from one save becomes one change after a short quiet time.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** What changed: the templates, or the topic map (which changes how papers are grouped too). */
export type PreviewChange = 'templates' | 'topics';

/** Watches `templatesDir` and `topicsFile`; `onChange` gets each save once. Returns a function that stops watching. */
export function watchPreviewSources(
  sources: { templatesDir: string; topicsFile: string | null },
  onChange: (what: PreviewChange) => void,
  quietMs = 25,
): () => void {
  const watchers: FSWatcher[] = [];
  const pending = new Set<PreviewChange>();
  let timer: NodeJS.Timeout | null = null;
  const fire = (what: PreviewChange) => {
    pending.add(what);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      // A topic map change regroups the papers, which re-renders the templates as well.
      onChange(pending.has('topics') ? 'topics' : 'templates');
      pending.clear();
    }, quietMs);
  };
  watchers.push(watch(sources.templatesDir, { recursive: true }, (_event, name) => {
    // Editors' swap and backup files are not templates.
    if (name && /(?:^|[\\/])(?:\.[^\\/]*\.swp|[^\\/]*~|\.#[^\\/]*|4913)$/.test(name)) return;
    fire('templates');
  }));
  if (sources.topicsFile) {
    const file = path.basename(sources.topicsFile);
    watchers.push(watch(path.dirname(sources.topicsFile), (_event, name) => {
      if (name === file) fire('topics');
    }));
  }
  for (const w of watchers) w.on('error', () => undefined);
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
