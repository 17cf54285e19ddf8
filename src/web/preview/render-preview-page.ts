/**
 * The preview's page: the email in a frame with a width switch (375, 600 and 1024 px) and an
 * emulated dark mode, the panel beside it (render-preview-panel.ts), and a form to preview the
 * copy of any subscriber. Its script (preview-assets.ts) listens for builds over Server-Sent
 * Events and swaps the panel and the frame in place, so a save shows without reloading the page.
 */
import { renderHtml as h, type Html } from '../views/render-html.js';
import type { PreviewView } from './create-preview-session.js';
import { renderPreviewPanel } from './render-preview-panel.js';

/** The widths the switch offers, in px: a phone, the email's own width, a desktop window. */
export const PREVIEW_WIDTHS = [375, 600, 1024] as const;

/** The whole page for `v`; `as` is the address asked for, `subscribers` a few to choose from. */
export function renderPreviewPage(v: PreviewView, o: { as: string; source: string; subscribers: string[] }): Html {
  const query = o.as ? `&as=${encodeURIComponent(o.as)}` : '';
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>paperpost preview${v.issueId ? ` · ${v.issueId}` : ''}</title>
<link rel="stylesheet" href="/preview.css">
<script src="/preview.js" defer></script>
</head>
<body data-version="${v.version}">
<header class="top">
<h1>paperpost preview${v.issueId ? h` <span class="muted">issue ${v.issueId}</span>` : ''}</h1>
<p class="muted">${o.source}: reloads when a template or the topic map is saved.</p>
<form method="get" action="/" class="as">
<label for="as">Preview as</label>
<input id="as" name="as" type="email" list="subscribers" value="${o.as}" placeholder="a subscriber's address; empty: a reader of every topic" autocomplete="off">
<datalist id="subscribers">${o.subscribers.map((s) => h`<option value="${s}"></option>`)}</datalist>
<button type="submit">Show their copy</button>
</form>
</header>
<main class="split">
<section class="email" aria-label="The HTML part">
<div class="toolbar">
<fieldset class="widths"><legend>Width</legend>
${PREVIEW_WIDTHS.map((w) => h`<label><input type="radio" name="width" value="${w}"${w === 600 ? h` checked` : ''}> ${w} px</label>`)}
</fieldset>
<label class="dark"><input type="checkbox" id="dark"> Dark mode</label>
</div>
<div class="stage"><iframe id="email" title="The email" src="/frame?v=${v.version}${query}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe></div>
</section>
<aside id="panel" aria-live="polite">${renderPreviewPanel(v)}</aside>
</main>
</body>
</html>`;
}
