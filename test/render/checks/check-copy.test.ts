/**
 * The pre-send checks of one copy (issue #22), each on a copy made to fail it and on the
 * sample issue as `render` makes it: size against Gmail's clip line, the form of every link,
 * alt text, the unsubscribe link and headers, and template leftovers.
 */
import { describe, expect, it } from 'vitest';
import { checkCopy } from '../../../src/render/checks/check-copy.js';
import { GMAIL_CLIP_BYTES, formatProblem, type CopyUnderCheck } from '../../../src/render/checks/check-problem.js';
import { fetchableLinks, listCopyLinks } from '../../../src/render/checks/list-copy-links.js';
import { decodeEntities, scanTags } from '../../../src/render/checks/scan-html.js';
import { readMessageHeaders } from '../../../src/deliver/read-message-headers.js';
import { createMessageBuilder } from '../../../src/deliver/build-message.js';

const UNSUB = 'https://news.example.org/u/tok.en-1';

/** A copy that passes every check; tests change one thing of it. */
function goodCopy(over: Partial<CopyUnderCheck> = {}): CopyUnderCheck {
  const html = `<!doctype html><html><head><style>@media (prefers-color-scheme: dark) { a { color: #fff } }</style></head><body>
<!--[if mso]><a href="relative">outlook only</a><![endif]-->
<h2 id="agents">Agents</h2><a href="#agents">Agents</a>
<a href="https://arxiv.org/abs/2512.00001">A paper</a> <a href="https://huggingface.co/papers?q&#x3D;KV%20cache">search</a>
<img src="https://news.example.org/logo.png" alt="paperpost"><img src="https://news.example.org/rule.png" alt="">
<a href="mailto:editor@example.org">Write to us</a> <a href='${UNSUB}'>Unsubscribe</a></body></html>`;
  const text = `Read on the web: https://news.example.org/archive/2025-12-11.\nUnsubscribe: ${UNSUB}\n`;
  const headers = { 'list-unsubscribe': `<${UNSUB}>, <mailto:leave@example.org?subject=unsubscribe>`, 'list-unsubscribe-post': 'List-Unsubscribe=One-Click', to: 'ada@example.org' };
  return { subject: 'Trending papers, Dec 11', preheader: '3 papers', html, text, headers, unsubscribeUrl: UNSUB, ...over };
}

const lines = (copy: CopyUnderCheck) => checkCopy(copy).map(formatProblem);

describe('checkCopy', () => {
  it('passes a copy with absolute https links, alt text, an unsubscribe link and both headers', () => {
    expect(lines(goodCopy())).toEqual([]);
  });

  it('reads links as a browser would: entities decoded, comments and styles skipped', () => {
    expect(decodeEntities('a&amp;b&#x3D;c&#61;d&quot;&unknown;')).toBe('a&b=c=d"&unknown;');
    expect(scanTags('<a title="x>y" href=plain>z</a>')[0]!.attrs.get('href')).toBe('plain');
    const links = listCopyLinks(goodCopy());
    expect(links.map((l) => l.url)).toContain('https://huggingface.co/papers?q=KV%20cache');
    expect(links.map((l) => l.url)).not.toContain('relative');
    expect(links.filter((l) => l.where === 'text').map((l) => l.url)).toEqual(['https://news.example.org/archive/2025-12-11', UNSUB]);
    expect(fetchableLinks(goodCopy())).not.toContain('#agents');
  });

  it('refuses HTML at or over 102 KB, Gmail\'s clip line', () => {
    const under = goodCopy();
    const pad = (n: number) => under.html.replace('</body>', `<p>${'x'.repeat(n)}</p></body>`);
    const size = Buffer.byteLength(pad(0));
    expect(lines({ ...under, html: pad(GMAIL_CLIP_BYTES - 1 - size) })).toEqual([]);
    const over = lines({ ...under, html: pad(GMAIL_CLIP_BYTES - size) });
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(/^error: size: the HTML is 102\.0 KB .*Gmail's 102\.0 KB clip line/);
  });

  it('warns on http: links and links to this machine, one line per kind; refuses relative, javascript: and malformed ones', () => {
    const html = goodCopy().html.replace(
      '</body>',
      ['http://a.example.org/1', 'http://a.example.org/2', 'http://127.0.0.1:8080/archive', '/archive/2025-12-11', 'javascript:alert(1)', 'https://exa mple.org/', '#nowhere', 'mailto:nobody']
        .map((u) => `<a href="${u}">x</a>`)
        .join('') + '</body>',
    );
    const found = lines({ ...goodCopy(), html });
    expect(found).toEqual([
      'error: links: links that are not absolute https: links (2): /archive/2025-12-11, javascript:alert(1)',
      'error: links: links that are not well-formed URLs (1): https://exa mple.org/',
      'error: links: malformed mailto: links (1): mailto:nobody',
      'warning: links: links over http: (http://a.example.org), not https: (2): http://a.example.org/1, http://a.example.org/2',
      'warning: links: links to this machine (http://127.0.0.1:8080), which readers cannot open (PUBLIC_URL?) (1): http://127.0.0.1:8080/archive',
      'warning: links: in-page links with no element of that id (1): #nowhere',
    ]);
  });

  it('refuses images without alt text (alt="" is a decorative image, and fine)', () => {
    const html = goodCopy().html.replace('</body>', '<img src="https://news.example.org/chart.png"><IMG SRC="https://news.example.org/b.png" ALT></body>');
    expect(lines({ ...goodCopy(), html })).toEqual(['error: images: images without alt text (1): https://news.example.org/chart.png (add alt="..."; alt="" for a decorative one)']);
  });

  it('refuses a copy without the unsubscribe link in either part or without the List-Unsubscribe headers', () => {
    const c = goodCopy();
    const found = lines({ ...c, html: c.html.replace(`href='${UNSUB}'`, "href='https://news.example.org/manage'"), text: 'no link here', headers: { 'list-unsubscribe-post': 'List-Unsubscribe=Yes' } });
    expect(found).toEqual([
      `error: unsubscribe: the HTML part has no link to the reader's unsubscribe URL (${UNSUB}); keep \\{{recipient.unsubscribeUrl}} in the footer`,
      `error: unsubscribe: the plain-text part has no unsubscribe URL (${UNSUB}); keep \\{{recipient.unsubscribeUrl}} in issue.txt.hbs`,
      'error: unsubscribe: the List-Unsubscribe header is missing',
      'error: unsubscribe: the List-Unsubscribe-Post header is "List-Unsubscribe=Yes", not "List-Unsubscribe=One-Click"',
    ]);
  });

  it('finds "{{", undefined, NaN and [object Object] left in any part, unless the papers themselves say it', () => {
    const c = goodCopy({ subject: 'Papers {{date}}', text: `${goodCopy().text}Score: NaN\n`, headers: { ...goodCopy().headers, 'x-topic': '[object Object]' } });
    const html = c.html.replace('A paper', 'undefined');
    expect(lines({ ...c, html })).toEqual([
      'error: leftovers: the subject has "{{" left over from a template: "Papers {{date}}"',
      expect.stringMatching(/^error: leftovers: the HTML part has "undefined" left over from a template: ".*2512\.00001\\">undefined<\/a>/),
      'error: leftovers: the plain-text part has "NaN" left over from a template: "…example.org/u/tok.en-1 Score: NaN "',
      'error: leftovers: the x-topic header has "[object Object]" left over from a template: "[object Object]"',
    ]);
    // A paper about undefined behaviour (or NaN gradients) is not a template bug.
    const fromPapers = lines({ ...c, html, sourceText: JSON.stringify([{ title: 'Undefined behaviour: when undefined is NaN' }]) });
    expect(fromPapers.join('\n')).not.toMatch(/"undefined"|"NaN"/);
    expect(fromPapers.join('\n')).toMatch(/"\{\{"/);
    // Words that only contain the markers are not leftovers.
    expect(lines(goodCopy({ text: `${goodCopy().text}NaNs and undefinedness\n` }))).toEqual([]);
  });

  it('reads the headers back from a built message, folded lines included', () => {
    const raw = createMessageBuilder({ issueId: '2025-12-11', from: 'paperpost <news@example.org>', listId: 'paperpost.example.org', unsubscribeMailto: 'leave@example.org' })({
      to: 'ada@example.org', toName: 'Ada', subject: 'A subject long enough that the builder folds its header line over more than one line of text', html: '<p>x</p>', text: 'x', messageId: '<m@example.org>', unsubscribeUrl: UNSUB, date: new Date(0),
    });
    const headers = readMessageHeaders(raw);
    expect(headers['list-unsubscribe']).toBe(`<${UNSUB}>, <mailto:leave@example.org?subject=unsubscribe>`);
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(headers.subject).toMatch(/more than one line of text$/);
  });
});
