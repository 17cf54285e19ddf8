/**
 * The preview's dark mode, emulated in the email itself: its `prefers-color-scheme` media
 * queries are rewritten to hold (or not) for the chosen scheme, so the frame shows the dark
 * (or light) styles whatever the operator's own system prefers. The frame element gets the
 * matching `color-scheme` too (preview-assets.ts), as a mail client's dark mode would set it.
 */

/** A media condition that always holds, and one that never does. */
const ALWAYS = '(min-width: 0px)';
const NEVER = '(max-width: 0px)';

/** `html` with each `(prefers-color-scheme: …)` condition answered for `scheme`. */
export function emulateColorScheme(html: string, scheme: 'light' | 'dark'): string {
  return html.replace(/\(\s*prefers-color-scheme\s*:\s*(light|dark)\s*\)/gi, (_m, which: string) => (which.toLowerCase() === scheme ? ALWAYS : NEVER));
}
