/**
 * The preview page's stylesheet and script, served as files so the page's
 * Content-Security-Policy allows only this origin's (no inline code). The script:
 *
 * 1. listens for builds on /events (Server-Sent Events): on 'reload' it fetches the panel and
 *    points the frame at the new build; on 'panel' (link results) it fetches the panel only;
 *    the first event after connecting names the current build, so a save made while the page
 *    loaded is not missed;
 * 2. the width switch sets the frame's width (375, 600, 1024 px);
 * 3. the dark mode toggle sets the frame's color-scheme and asks for the email with its
 *    prefers-color-scheme queries answered for dark (emulate-color-scheme.ts).
 */

export const PREVIEW_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
header.top{padding:.5rem 1rem;background:#fff;border-bottom:1px solid #d0d7de}
h1{font-size:1.2rem;margin:.25rem 0}
h2{font-size:1rem;margin:1rem 0 .5rem}
.muted{color:#57606a}
form.as{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
form.as input{min-width:22rem;font:inherit;padding:.3rem .5rem}
main.split{display:grid;grid-template-columns:minmax(0,auto) minmax(20rem,1fr);gap:1rem;padding:1rem}
.toolbar{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-bottom:.5rem}
fieldset.widths{border:0;margin:0;padding:0;display:flex;gap:.75rem}
fieldset.widths legend{float:left;margin-right:.5rem;font-weight:600}
.stage{overflow:auto}
#email{box-sizing:content-box;width:600px;height:calc(100vh - 9rem);min-height:30rem;border:1px solid #d0d7de;background:#fff;display:block}
aside#panel{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;max-height:calc(100vh - 6rem);overflow:auto}
.badge{display:inline-block;padding:.2rem .6rem;border-radius:1rem;font-weight:600}
.badge.ok{background:#dafbe1;color:#116329}
.badge.amber{background:#fff1c2;color:#7a4d00}
.badge.over{background:#ffebe9;color:#a40e26}
#checks li.error{color:#a40e26}
#checks li.warning{color:#7a4d00}
.build-error{border:2px solid #a40e26;background:#ffebe9;padding:.5rem 1rem;border-radius:6px;white-space:pre-wrap}
.notice{background:#fff8c5;padding:.25rem .5rem}
pre#text{white-space:pre-wrap;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:.5rem;border-radius:6px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
@media (max-width:1100px){main.split{grid-template-columns:1fr}}
`;

export const PREVIEW_JS = `'use strict';
(function () {
  var frame = document.getElementById('email');
  var panel = document.getElementById('panel');
  var as = new URLSearchParams(location.search).get('as') || '';
  var version = document.body.dataset.version;
  var scheme = 'light';
  function query(extra) {
    var p = new URLSearchParams();
    if (as) p.set('as', as);
    Object.keys(extra).forEach(function (k) { p.set(k, extra[k]); });
    return '?' + p.toString();
  }
  function loadFrame() { frame.src = '/frame' + query({ v: version, scheme: scheme }); }
  function loadPanel() {
    return fetch('/panel' + query({ v: version })).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
      if (html !== null) panel.innerHTML = html;
    });
  }
  // 1.
  var events = new EventSource('/events');
  events.addEventListener('reload', function (e) {
    if (e.data === version) return;
    version = e.data;
    document.body.dataset.version = version;
    loadPanel();
    loadFrame();
  });
  events.addEventListener('panel', function () { loadPanel(); });
  // 2.
  Array.prototype.forEach.call(document.querySelectorAll('input[name=width]'), function (input) {
    input.addEventListener('change', function () { if (input.checked) frame.style.width = input.value + 'px'; });
  });
  // 3.
  document.getElementById('dark').addEventListener('change', function (e) {
    scheme = e.target.checked ? 'dark' : 'light';
    frame.style.colorScheme = scheme;
    loadFrame();
  });
})();
`;
