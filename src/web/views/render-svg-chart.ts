/**
 * The frame every /admin chart shares, drawn on the server as inline SVG so it reads without
 * JavaScript: role="img" with a <title> and a <desc> that says the numbers in words (what a
 * screen reader announces), a viewBox so it scales to a 375 px phone, and text labels on the
 * marks themselves, so no series is told apart by colour alone (dash patterns and hatching too).
 * Text goes through renderHtml, so labels from the data (topic names) are escaped.
 */
import { raw, renderHtml as h, type Html } from './render-html.js';

/**
 * Chart width in viewBox units. Text is 20 units, so on a 375 px phone (a chart about 340 px
 * wide) it shows at about 12 px, and at 600 px at about 20 px.
 */
export const CHART_WIDTH = 560;

/**
 * About how wide `text` is at the charts' font size, erring wide (DejaVu Sans, the widest
 * fallback of system-ui, draws digits 12.7 units wide at 20). Margins are made from it, so a
 * long axis number or line-end label is never cut off at the chart's edge.
 */
export const textWidth = (text: string) => Math.ceil(text.length * 12.5);

/** Patterns the charts fill with, besides colour (defined once per chart: ids are per SVG). */
const DEFS = raw(
  '<defs><pattern id="hatch-ID" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a4600" stroke-width="3"/></pattern></defs>',
);

/** A chart: `id` names its title and desc for aria-labelledby; `body` is the marks. */
export function renderSvgChart(options: { id: string; title: string; desc: string; height: number; body: Html }): Html {
  const { id, title, desc, height, body } = options;
  const defs = raw(String(DEFS).replaceAll('ID', id));
  return h`<figure class="chart">
<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" font-family="system-ui,sans-serif" font-size="20">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${desc}</desc>
${defs}
${body}
</svg>
<figcaption>${title}. ${desc}</figcaption>
</figure>`;
}

/** The id of the hatch pattern of chart `id`, for fill="url(#…)". */
export const hatch = (id: string) => `url(#hatch-${id})`;

const NUMBER = new Intl.NumberFormat('en-US');
/** A number with thousands separators (one formatter: making one per call was a tenth of /admin's CPU). */
export const fmt = (n: number) => NUMBER.format(n);

/** `n` rounded to two decimals (for coordinates). */
export const r2 = (n: number) => Math.round(n * 100) / 100;
