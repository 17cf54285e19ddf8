/**
 * The page shell shared by every web page: lang, viewport, one small inline stylesheet (its
 * hash is in the Content-Security-Policy, so no 'unsafe-inline' is needed), a skip link, a
 * header and one <main> whose first heading is the page's <h1>. No scripts, no external assets.
 */
import { createHash } from 'node:crypto';
import { raw, renderHtml as h, type Html } from './render-html.js';

/**
 * The stylesheet. Colours meet WCAG AA on white (text 14.6:1, muted 6.4:1, links 6.7:1);
 * focus is always visible; widths are fluid down to a 320 px phone.
 */
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#fff}
a{color:#0b57d0}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #b3261e;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem}
header.site,footer.site{border-bottom:1px solid #d0d7de;padding:.75rem 1rem}
footer.site{border:0;border-top:1px solid #d0d7de;margin-top:3rem;color:#57606a;font-size:.9rem}
.bar{max-width:40rem;margin:0 auto;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline}
.brand{font-weight:700;color:#1f2328;text-decoration:none;margin-right:auto}
main{display:block;max-width:40rem;margin:0 auto;padding:1rem 1rem 0}
.wide .bar,.wide main{max-width:76rem}
h1{font-size:1.75rem;line-height:1.25;margin:1rem 0}
h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.1rem;margin:1.5rem 0 .5rem}
p,ul,ol,dl{margin:0 0 1rem}
.muted{color:#57606a}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.hint{display:block;font-weight:400;color:#57606a;font-size:.9rem}
input[type=email],input[type=text],input[type=password]{width:100%;max-width:28rem;font:inherit;padding:.5rem .6rem;border:1px solid #6e7781;border-radius:6px;background:#fff;color:inherit}
fieldset{border:1px solid #d0d7de;border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.choice{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;margin:.5rem 0}
.choice input{margin-top:.35rem;flex:none;width:1.1rem;height:1.1rem}
.themes{margin:.25rem 0 0 1.6rem;padding:0;list-style:none;columns:2 15rem;column-gap:1.5rem}.themes li{break-inside:avoid}.themes .choice input{margin:.35rem 0 0}.themes li .hint{margin:-.3rem 0 .35rem 1.6rem}.themes .choice{margin:.35rem 0}
button{font:inherit;font-weight:600;padding:.55rem 1.1rem;border-radius:6px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;margin-top:1rem}
button:hover{background:#0842a0}
button.secondary{background:#fff;color:#0b57d0}
button.danger{background:#b3261e;border-color:#b3261e}
form{margin:0 0 1.5rem}
form.inline{display:inline;margin:0}
form.inline button{margin:0;padding:.3rem .8rem}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.row input{flex:1 1 16rem}
.row button{margin:0}
caption{text-align:left;padding:.25rem 0}
.notice{border-left:4px solid #1a7f37;background:#f0f7f1;padding:.75rem 1rem;margin:1rem 0}
.problem{border-left:4px solid #b3261e;background:#fdf1f0;padding:.75rem 1rem;margin:1rem 0}
.tag{display:inline-block;font-size:.8rem;font-weight:600;padding:0 .5rem;border-radius:1rem;border:1px solid currentColor}
.tag.draft{color:#8a4600}.tag.sent{color:#1a7f37}.tag.deferred{color:#b3261e}
table{border-collapse:collapse;width:100%;margin:0 0 1rem}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{font-weight:600}
.scroll{overflow-x:auto}
.chart{margin:0 0 1.5rem;max-width:48rem}.chart svg{display:block;height:auto}.chart figcaption{font-size:.9rem;color:#57606a}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:0 2rem}
@media (max-width:40rem){table.stack thead{position:absolute;left:-9999px}table.stack tr{display:block;border-bottom:1px solid #d0d7de;padding:.4rem 0}table.stack td{display:block;border:0;padding:.1rem 0}table.stack td::before{font-weight:600}table.stack td:nth-child(1)::before{content:"Date: "}table.stack td:nth-child(2)::before{content:"Status: "}table.stack td:nth-child(3)::before{content:"Subject: "}table.stack td:nth-child(4)::before{content:"Topics: "}table.stack td:nth-child(5)::before{content:"Papers: "}table.stack td:nth-child(6)::before{content:"Deliveries: "}table.stack td:nth-child(7)::before{content:"Reports: "}}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
meter{width:12rem;max-width:100%;vertical-align:middle}
.frames{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.frames figure{margin:0}
.frames figcaption{font-weight:600;margin-bottom:.25rem}
iframe{border:1px solid #6e7781;background:#fff;height:56rem;max-width:calc(100vw - 2rem)}
iframe.desktop{width:600px}iframe.phone{width:375px}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:1rem;font-size:.85rem;max-height:40rem;overflow:auto}
.papers li{margin:.5rem 0}
.h1-date{display:block;font-size:1.05rem;font-weight:400;color:#57606a;margin-top:.35rem}
.cta{border:1px solid #d0d7de;border-radius:8px;background:#f6f8fa;padding:1rem 1.25rem;margin:1.5rem 0}
.cta h2{font-size:1.15rem;margin:0 0 .5rem}
.cta p{margin:0 0 .75rem}.cta p:last-child{margin:0}
a.button{display:inline-block;font-weight:600;padding:.55rem 1.1rem;border-radius:6px;background:#0b57d0;color:#fff;text-decoration:none}
a.button:hover{background:#0842a0;text-decoration:underline}
.toc ul,.more ul{padding-left:1.25rem}
.toc li,.more li{margin:.25rem 0}
.paper-list{list-style:none;margin:0;padding:0}
.paper{border-top:1px solid #d0d7de;padding:1rem 0}
.paper h3{font-size:1.1rem;line-height:1.35;margin:0 0 .4rem;overflow-wrap:anywhere}
.paper h3 a{text-decoration:none}.paper h3 a:hover{text-decoration:underline}
.paper p{margin:0 0 .4rem;overflow-wrap:anywhere}
.paper .meta{font-size:.9rem}
.paper .links{font-size:.9rem;margin:0}
.paper .links a{display:inline-block;padding:.25rem 0}
`.replace(/\n/g, '');

/** The CSP source for the stylesheet above. */
export const STYLESHEET_HASH = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

/** What a page puts in the shell. */
export interface LayoutOptions {
  title: string;
  body: Html;
  /** Wider main column (admin tables and preview frames). */
  wide?: boolean;
  /** Links in the header; the admin pages have their own. */
  nav?: Html;
  /** Extra elements for <head> (feed links). */
  head?: Html;
}

/** Renders a complete HTML document. */
export function renderLayout(options: LayoutOptions): Html {
  const nav = options.nav ?? h`<a href="/">Subscribe</a><a href="/archive">Archive</a>`;
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · paperpost</title>
<style>${raw(STYLESHEET)}</style>
${options.head ?? ''}
</head>
<body${options.wide ? raw(' class="wide"') : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><nav class="bar" aria-label="Site"><a class="brand" href="/">paperpost</a>${nav}</nav></header>
<main id="main" tabindex="-1">
${options.body}
</main>
<footer class="site"><div class="bar"><span>paperpost: trending machine-learning papers, grouped by topic, by email.</span></div></footer>
</body>
</html>
`;
}
