import type { Paper, ThemedDigest } from '../../../src/types.js';

/** Strings an attacker (or a sloppy source) could put in any paper field. */
export const HOSTILE = {
  script: '<script>alert(1)</script> Attention Is All You Need',
  imgBreakout: '"><img src=x onerror=alert(1)> Breaking Out',
  headerInjection: 'Line one\r\nBcc: victim@example.org\nSubject: hacked',
  longWord: 'A'.repeat(5000),
  longWords: 'word '.repeat(1000).trim(),
  emoji: '🤖 Robots 👩🏽‍🔬 learn to 🚀 fly 🇺🇳',
  rtl: 'نموذج لغوي كبير للترجمة الآلية',
  bidiSpoof: 'Invoice \u202Efdp.exe\u202C safe',
  handlebars: '{{recipient.email}} {{#each show}}x{{/each}} \\{{subject}} }}} {{{lb}}} \\',
  nul: 'Nul\u0000byte and \u0007bell',
};

const base: Paper = {
  id: 'p',
  title: 'Untitled',
  abstract: '',
  summary: null,
  authors: [],
  authorCount: null,
  publishedAt: '2025-12-11',
  upvotes: 1,
  url: 'https://example.org/paper',
  codeUrl: null,
  keywords: [],
};

/**
 * A themed digest whose every field is hostile: markup, attribute breakouts, script URLs,
 * header injection, 5,000-character titles, emoji, right-to-left and bidi-override text,
 * and Handlebars syntax that must never run in the per-subscriber pass.
 */
export function makeHostileDigest(): ThemedDigest {
  const papers: Paper[] = [
    { ...base, id: 'script', title: HOSTILE.script, url: 'javascript:alert(1)', abstract: `${HOSTILE.script} More text here.` },
    { ...base, id: 'img', title: HOSTILE.imgBreakout, url: 'JaVaScRiPt:alert(document.cookie)', codeUrl: ' javascript:alert(2)' },
    { ...base, id: 'crlf', title: HOSTILE.headerInjection, url: 'data:text/html,<script>alert(3)</script>', summary: HOSTILE.headerInjection },
    { ...base, id: 'long', title: HOSTILE.longWord, abstract: HOSTILE.longWord, url: 'https://example.org/"onmouseover="alert(4)' },
    { ...base, id: 'long-words', title: HOSTILE.longWords, summary: HOSTILE.longWords, codeUrl: 'vbscript:msgbox(5)' },
    { ...base, id: 'emoji', title: HOSTILE.emoji, summary: HOSTILE.emoji, authors: ['<b>Mallory</b>', '"Quote" O\'Brien', HOSTILE.rtl, 'Eve'] },
    { ...base, id: 'rtl', title: HOSTILE.rtl, abstract: `${HOSTILE.rtl}. ${HOSTILE.bidiSpoof}.`, url: 'http://user:pw@evil.example/' },
    { ...base, id: 'hbs', title: HOSTILE.handlebars, summary: HOSTILE.handlebars, authors: [HOSTILE.handlebars], codeUrl: 'https://github.com/x/{{recipient.email}}' },
    { ...base, id: 'script-linked', title: HOSTILE.script, summary: HOSTILE.imgBreakout, codeUrl: 'https://github.com/"><script>x</script>' },
    { ...base, id: 'img-linked', title: HOSTILE.imgBreakout, abstract: `${HOSTILE.script}. ${HOSTILE.imgBreakout}.` },
    { ...base, id: 'nul', title: HOSTILE.nul, summary: HOSTILE.bidiSpoof, publishedAt: '2025-02-30', upvotes: Number.NaN },
  ];
  return {
    date: '2025-12-11',
    source: 'hostile',
    themes: [
      { id: 'evil"><script>', label: '<script>alert("label")</script>', keywords: ['<b>'], other: false, papers: papers.slice(0, 3) },
      { id: 'long', label: HOSTILE.longWord, keywords: [], other: false, papers: papers.slice(3, 5) },
      { id: 'mixed', label: `${HOSTILE.emoji} ${HOSTILE.rtl}`, keywords: [], other: false, papers: papers.slice(5, 7) },
      { id: 'other', label: HOSTILE.handlebars, keywords: [], other: true, papers: papers.slice(7) },
    ],
  };
}
