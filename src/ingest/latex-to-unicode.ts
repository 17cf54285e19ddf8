/**
 * Paper text arrives with LaTeX in it: arXiv titles carry `$\mathcal{O}(10^9)$`, abstracts
 * `Schr\"odinger`, `Models~(LLMs)` and `90\%`. A reader of an email sees none of that rendered,
 * so every source's text is turned into readable Unicode before anything else sees it:
 * `Schrödinger`, `𝒪(10⁹)`, `Models (LLMs)`, `90%`.
 *
 * The symbol names come from `unicode2latex` (Better BibTeX's table, ~4,600 LaTeX commands
 * with their Unicode characters, plus the accent commands and their combining marks). It is the
 * one well-kept package on npm with such a table; the packages that parse LaTeX properly (MathJax,
 * unified-latex) render to HTML or an AST, not to plain Unicode text. The parsing here is ours,
 * because paper text is not a LaTeX document: `$` is also a dollar sign, `~` also means
 * "about", `_` also joins words in `snake_case` names and URLs.
 *
 * The rules:
 * 1. Text with none of `\ $ ~ ^ _` (and none of the forms of step 6) comes back unchanged,
 *    byte for byte, and so do URLs.
 * 2. Math spans lose their delimiters: `$…$`, `$$…$$`, `\(…\)`, `\[…\]`. A `$…$` pair only
 *    counts when it hugs its content (`$x$`, not `$5 and $`) and is not followed by a digit
 *    (`$5-$10`); a `$` left over is dropped unless it is a price (`$5 million`).
 * 3. Commands: symbols from the table (`\varphi` → φ), accents as combining marks composed to
 *    NFC (`\"o`, `\c{c}`, `{\'e}`), font and text commands become their content (`\textbf{x}`
 *    → x), except `\mathcal`/`\mathbb`/`\mathfrak`, which pick those Unicode letters (𝒪, ℝ, 𝔤).
 *    `\frac{a}{b}` → a/b, `\sqrt{x}` → √x. An unknown command loses its backslash
 *    (`\prjname` → prjname); grouping braces never reach the output.
 * 4. Sub- and superscripts: Unicode's when every character has one (`x_1` → x₁, `^{-1}` → ⁻¹),
 *    else readable ASCII (`D_KL`, `x^(n+1)`). Inside math always; outside math only after a
 *    lone letter, a number or `)`, so `snake_case_name` and `file_name.py` stay as they are.
 * 5. `~` between two words is a tie and becomes a space (`Fig.~2`, `Models~(LLMs)`); at the
 *    start of a word it means "about" and stays (`~10x`, `(~8)`), as does a lone ` ~ `.
 * 6. The Hugging Face papers page has already lost the backslashes of some commands. The forms
 *    that cannot be English are restored: arrows inside a word (`imageleftrightarrowtext` →
 *    image↔text), a standalone `varphi`/`varepsilon`/…, `,dots,` between commas, `infty` after
 *    `^`/`_`, a number glued to `times` (`130times` → 130×), `{times}`, and `sim` between two
 *    numbers. Words such as `alpha`, `times` or `dots` on their own are left alone.
 */
import { combining, latex2unicode } from 'unicode2latex';

type Mode = 'text' | 'math';

const TABLE = latex2unicode as unknown as Record<string, string | { text: string; math: string }>;
const ACCENTS = combining.tounicode as unknown as Record<string, string>;

/** Where the table's choice reads badly in an email, or where paper text means something else. */
const OVERRIDES: Record<string, string> = {
  '\\': ' ', // a line break
  ' ': ' ',
  ',': ' ',
  ';': ' ',
  ':': ' ',
  '>': ' ',
  '!': '',
  '/': '',
  '@': '',
  '-': '', // a hyphenation hint, not a soft hyphen
  '|': '‖',
  quad: ' ',
  qquad: ' ',
  enspace: ' ',
  thinspace: ' ',
  medspace: ' ',
  thickspace: ' ',
  space: ' ',
  par: ' ',
  newline: ' ',
  linebreak: ' ',
  emptyset: '∅',
  gets: '←',
  implies: '⟹',
  iff: '⟺',
  land: '∧',
  lor: '∨',
  lvert: '|',
  rvert: '|',
  lVert: '‖',
  rVert: '‖',
  textbackslash: '∖',
  backslash: '∖',
  LaTeX: 'LaTeX',
  TeX: 'TeX',
};

/** Commands that vanish: sizes, spacing and style switches that carry no text. */
const SILENT = new Set(
  ('left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr middle displaystyle textstyle scriptstyle ' +
    'limits nolimits nonumber notag noindent centering raggedright bf it rm sf tt sc em bfseries itshape ' +
    'mdseries upshape scshape normalfont small footnotesize scriptsize tiny large Large LARGE huge Huge ' +
    'normalsize protect relax hfill vfill smallskip medskip bigskip maketitle ignorespaces xspace').split(' '),
);

/** Commands whose argument is dropped with them: citations, labels, colours, footnotes. */
const DROPPED = new Set('cite citep citet citealp citeauthor citeyear label footnote thanks vspace hspace phantom color'.split(' '));

/** Commands that are just their (last) argument. */
const CONTENT = new Set(
  ('text textbf textit textrm textsf texttt textsc textnormal textup textmd textsl emph underline mbox hbox ' +
    'mathrm mathbf mathit mathsf mathtt mathnormal boldsymbol bm pmb operatorname operatorname* ensuremath ' +
    'textsuperscript textsubscript ref eqref url nolinkurl uline uppercase lowercase MakeUppercase').split(' '),
);

/** Commands with two arguments where only the second is text: `\href{url}{text}`. */
const SECOND_ONLY = new Set(['href', 'textcolor', 'colorbox']);

/** Math operators written as words; they get a space before them after a letter (`m\log m`). */
const OPERATOR_WORDS = new Set(
  ('log ln lg exp sin cos tan sec csc cot sinh cosh tanh arcsin arccos arctan max min sup inf lim liminf ' +
    'limsup arg argmax argmin det dim ker deg gcd hom Pr mod bmod pmod softmax diag tr rank sgn').split(' '),
);

/** Letter sets: `\mathcal{O}` uses the table's `\mathscr{O}`. */
const LETTER_FONTS: Record<string, string> = { mathcal: 'mathscr', mathscr: 'mathscr', mathbb: 'mathbb', mathfrak: 'mathfrak', Bbb: 'mathbb' };

const SUPERSCRIPTS: Record<string, string> = {
  ...pairs('0123456789+-=()', '⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾'),
  ...pairs('abcdefghijklmnoprstuvwxyz', 'ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ'),
  ...pairs('ABDEGHIJKLMNOPRTUVW', 'ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ'),
  ...pairs('αβγδφχθ', 'ᵅᵝᵞᵟᵠᵡᶿ'),
  '−': '⁻',
  '⊤': 'ᵀ',
  '′': '′',
  "'": '′',
  '*': '*',
  '∗': '*',
  '∘': '°',
};

const SUBSCRIPTS: Record<string, string> = {
  ...pairs('0123456789+-=()', '₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎'),
  ...pairs('aehijklmnoprstuvx', 'ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ'),
  ...pairs('βγρφχ', 'ᵦᵧᵨᵩᵪ'),
  '−': '₋',
};

function pairs(from: string, to: string): Record<string, string> {
  const a = Array.from(from);
  const b = Array.from(to);
  return Object.fromEntries(a.map((ch, i) => [ch, b[i] ?? ch]));
}

// Step 1: the fast path and the parts never touched. LaTeX needs one of these characters,
// or one of the forms that lost their backslash (step 6).
const LATEX_CHAR = /[\\$~^_]|arrow|var(?:phi|epsilon|theta|rho|sigma|pi|kappa)|,[lc]?dots,|\dtimes|\{(?:times|cdot|pm)\}/;
const URL = /(?:https?:\/\/|www\.)[^\s<>"]+|\b[\w.-]+\.(?:com|org|net|io|ai|edu|dev|gov|co|me|app)\/[^\s<>"]*/gi;

/** Returns `text` with its LaTeX turned into readable Unicode; text without LaTeX is returned as is. */
export function latexToUnicode(text: string): string {
  if (!LATEX_CHAR.test(text)) return text;
  let out = '';
  let last = 0;
  for (const url of text.matchAll(URL)) {
    out += convertSegment(text.slice(last, url.index));
    out += url[0];
    last = url.index + url[0].length;
  }
  out += convertSegment(text.slice(last));
  return out === text ? text : out.replace(/ {2,}/g, ' ');
}

// Step 2: math spans.
function convertSegment(segment: string): string {
  if (!LATEX_CHAR.test(segment)) return segment;
  let out = '';
  let textStart = 0;
  let i = 0;
  const flushText = (end: number) => {
    out += convert(restoreMangled(segment.slice(textStart, end)), 'text');
  };
  while (i < segment.length) {
    const ch = segment[i];
    if (ch === '\\' && (segment[i + 1] === '(' || segment[i + 1] === '[')) {
      const close = segment.indexOf(segment[i + 1] === '(' ? '\\)' : '\\]', i + 2);
      if (close !== -1) {
        flushText(i);
        out += convert(segment.slice(i + 2, close), 'math');
        i = textStart = close + 2;
        continue;
      }
    } else if (ch === '\\') {
      i += 2; // an escaped character such as \$ is never a delimiter
      continue;
    } else if (ch === '$') {
      const display = segment[i + 1] === '$';
      const close = display ? segment.indexOf('$$', i + 2) : findClosingDollar(segment, i + 1);
      if (close !== -1 && (display || isMathSpan(segment, i + 1, close))) {
        flushText(i);
        out += convert(segment.slice(i + (display ? 2 : 1), close), 'math');
        i = textStart = close + (display ? 2 : 1);
        continue;
      }
    }
    i++;
  }
  flushText(segment.length);
  return out;
}

function findClosingDollar(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '$') return j;
  }
  return -1;
}

/** `$…$` with content from `start` to `end`: math, or two dollar signs of prices? */
function isMathSpan(s: string, start: number, end: number): boolean {
  const content = s.slice(start, end);
  if (content === '' || /^\s|\s$/.test(content)) return false;
  if (/\d/.test(s[end + 1] ?? '')) return false;
  return /[\\^_{}=<>+*|()]/.test(content) || !/\s/.test(content);
}

// Step 6: the Hugging Face page's forms without backslashes (only in text, before parsing).
const MANGLED: [RegExp, (match: string) => string][] = [
  // No English word contains "leftarrow" or "rightarrow": `imageleftrightarrowtext` → image↔text.
  [/(?<!\\)(?:long)?(?:leftright|Leftright|left|right|Left|Right)arrow/g, (m) => symbol(m) ?? m],
  [/(?<![\p{L}\\])(?:varphi|varepsilon|vartheta|varrho|varsigma|varpi|varkappa)(?!\p{L})/gu, (m) => symbol(m) ?? m],
  [/,(?:l|c)?dots,/g, () => ',…,'],
  [/(?<=[\^_])infty(?!\p{L})/gu, () => '∞'],
  [/(?<=\d)times(?!\p{L})/gu, () => '×'],
  [/\{(?:times|cdot|pm)\}/g, (m) => symbol(m.slice(1, -1)) ?? m],
  [/(?<=[\d×] )sim(?= \d)/g, () => '∼'],
];

function restoreMangled(text: string): string {
  if (!/arrow|var|dots|infty|times/.test(text)) return text;
  return MANGLED.reduce((out, [pattern, replace]) => out.replace(pattern, replace), text);
}

// Step 3: commands, groups, accents; step 4: sub- and superscripts; step 5: ties.
function convert(source: string, mode: Mode): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === '\\') {
      const [text, next] = readCommand(source, i, mode, out);
      out += text;
      i = next;
    } else if (ch === '{') {
      const end = matchingBrace(source, i);
      const inner = source.slice(i + 1, end);
      // In text, braces only group LaTeX: `{\'e}`, `{\bf x}`. Plain `{a, b}` is prose.
      out += mode === 'math' || inner.includes('\\') || inner === '' ? convert(inner, mode) : `{${convert(inner, mode)}}`;
      i = end + 1;
    } else if (ch === '}') {
      // An unmatched brace: dropped in math, kept in prose.
      if (mode === 'text') out += ch;
      i++;
    } else if ((ch === '^' || ch === '_') && (mode === 'math' || looksLikeScript(source, i) > 0)) {
      // In math a bare script is one character (TeX's rule); in text it is the run that
      // looksLikeScript accepted, so that `x_ij` reads as x with subscript ij.
      const run = mode === 'text' && !/[{\\]/.test(source[i + 1] ?? '') ? looksLikeScript(source, i) : 0;
      const [arg, next] = run > 0 ? [source.slice(i + 1, i + 1 + run), i + 1 + run] : readArgument(source, i + 1);
      out += script(convert(arg, 'math'), ch);
      i = next;
    } else if (ch === '~') {
      const keep = mode === 'text' && isApproximately(source, i);
      out += keep ? '~' : ' ';
      i++;
    } else if (ch === '$' && mode === 'text') {
      // A dollar sign left over from step 2 is kept only as a price.
      if (/^ ?\d/.test(source.slice(i + 1, i + 3))) out += '$';
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Reads the command at `i` (a backslash); returns its text and where the source goes on. */
function readCommand(source: string, i: number, mode: Mode, before: string): [string, number] {
  const letters = /^[A-Za-z]+\*?/.exec(source.slice(i + 1));
  if (!letters) {
    const char = source[i + 1];
    if (char === undefined) return ['', i + 1];
    if (char in ACCENTS && !/[\s}]/.test(source[i + 2] ?? ' ')) {
      const [arg, next] = readArgument(source, i + 2);
      return [accent(arg, char, mode), next];
    }
    return [symbol(char) ?? char, i + 2];
  }
  const name = letters[0];
  let next = i + 1 + name.length;
  const bare = name.replace(/\*$/, '');
  if (SILENT.has(bare)) {
    // `\left.` and `\right.` are empty delimiters.
    if ((bare === 'left' || bare === 'right') && source[next] === '.') next++;
    return ['', next];
  }
  if (bare === 'not') {
    const [arg, after] = readArgument(source, next);
    return [(convert(arg, mode) + '\u0338').normalize('NFC'), after];
  }
  if (DROPPED.has(bare)) return ['', skipArguments(source, next, bare === 'color' ? 1 : Infinity)];
  if (CONTENT.has(name) || CONTENT.has(bare)) {
    const [arg, after] = readArgument(source, skipOptional(source, next));
    return [convert(arg, bare.startsWith('text') || bare === 'emph' || bare === 'mbox' ? 'text' : mode), after];
  }
  if (SECOND_ONLY.has(bare)) {
    const [, afterFirst] = readArgument(source, next);
    const [arg, after] = readArgument(source, afterFirst);
    return [convert(arg, mode), after];
  }
  const font = LETTER_FONTS[bare];
  if (font !== undefined) {
    const [arg, after] = readArgument(source, next);
    const letters = Array.from(convert(arg, mode), (c) => symbol(`${font}{${c}}`) ?? c).join('');
    return [letters, after];
  }
  if (bare === 'frac' || bare === 'dfrac' || bare === 'tfrac') {
    const [top, afterTop] = readArgument(source, next);
    const [bottom, after] = readArgument(source, afterTop);
    return [`${operand(convert(top, 'math'))}/${operand(convert(bottom, 'math'))}`, after];
  }
  if (bare === 'binom') {
    const [n, afterN] = readArgument(source, next);
    const [k, after] = readArgument(source, afterN);
    return [`C(${convert(n, 'math')}, ${convert(k, 'math')})`, after];
  }
  if (bare === 'sqrt') {
    const [arg, after] = readArgument(source, skipOptional(source, next));
    return [`√${operand(convert(arg, 'math'))}`, after];
  }
  if (bare in ACCENTS && (source[next] === '{' || /^\s*\\?[A-Za-z]/.test(source.slice(next)))) {
    const [arg, after] = readArgument(source, next);
    return [accent(arg, bare, mode), after];
  }
  const value = symbol(bare);
  if (value !== undefined) return [value, next];
  // An operator word or an unknown command: its name, set off from a preceding letter in math.
  const spaced = mode === 'math' && /[\p{L}\p{N}]$/u.test(before) ? ` ${bare}` : bare;
  if (OPERATOR_WORDS.has(bare)) return [spaced, next];
  // `\foo{bar}` → bar: an unknown command with an argument is read as a style of its argument.
  if (source[next] === '{') {
    const [arg, after] = readArgument(source, next);
    return [convert(arg, mode), after];
  }
  return [spaced, next];
}

/** The Unicode for a command name (no backslash), or undefined. */
function symbol(name: string): string | undefined {
  if (Object.hasOwn(OVERRIDES, name)) return OVERRIDES[name];
  const entry = TABLE[`\\${name}`];
  if (entry === undefined) return undefined;
  const value = typeof entry === 'string' ? entry : entry.math;
  if (value.includes('\\') || /\p{M}/u.test(value[0] ?? '')) return undefined;
  // The table writes Greek as math italic (𝜇); plain letters read better in an email.
  const plain = /^[A-Za-z]+$/.test(name) && /[\u{1D400}-\u{1D7FF}]/u.test(value) ? value.normalize('NFKC') : value;
  return plain.replace(/\s/g, ' ').normalize('NFC');
}

function accent(arg: string, name: string, mode: Mode): string {
  const base = arg === '\\i' ? 'i' : arg === '\\j' ? 'j' : convert(arg, mode);
  const mark = name === 'hat' || name === 'widehat' ? '\u0302' : (ACCENTS[name] ?? '');
  if (base === '') return mark.replace(/\p{M}/gu, '');
  const chars = Array.from(base);
  chars[0] = `${chars[0]}${mark}`;
  return chars.join('').normalize('NFC');
}

/** `a+b` → `(a+b)` so that `\frac` and `\sqrt` read unambiguously. */
function operand(text: string): string {
  const t = text.trim();
  return /^[\p{L}\p{N}.]+$/u.test(t) || /^\(.*\)$/.test(t) ? t : `(${t})`;
}

function script(text: string, kind: '^' | '_'): string {
  const t = text.trim();
  if (t === '') return '';
  const map = kind === '^' ? SUPERSCRIPTS : SUBSCRIPTS;
  const chars = Array.from(t.replace(/\s+/g, ''));
  if (chars.every((c) => map[c] !== undefined)) return chars.map((c) => map[c]).join('');
  if (kind === '_' && /^[\p{L}\p{N}]+$/u.test(t)) return `_${t}`;
  return Array.from(t).length === 1 || /^\(.*\)$/.test(t) ? `${kind}${t}` : `${kind}(${t})`;
}

/**
 * Outside math, `^` and `_` are scripts only after a lone letter, a number or `)`, and before
 * a short argument. Returns the argument's length, or 0 when the `^`/`_` is not a script.
 */
function looksLikeScript(s: string, i: number): number {
  const before = s.slice(Math.max(0, i - 24), i);
  const after = s.slice(i + 1);
  const base =
    s[i] === '^' ? /(?:(?<![\p{L}\p{N}_./-])\p{L}|(?<![\p{L}_./-])\p{N}+|\))$/u : /(?<![\p{L}\p{N}_./-])\p{L}$/u;
  if (!base.test(before)) return 0;
  const arg = /^(?:\{[^{}]*\}|-?\p{N}+|\\?[A-Za-z]+|∞)/u.exec(after)?.[0];
  if (arg === undefined) return 0;
  const rest = after.slice(arg.length);
  // `x_1` and `x_{ij}`, but not `a_b_c`, `a_b.py` or a word such as `x_large`.
  if (/^[\p{L}\p{N}_]/u.test(rest) || /^\.[A-Za-z]/.test(rest)) return 0;
  const short = arg.startsWith('{') || arg.startsWith('\\') || arg === '∞' || arg.replace(/^-/, '').length <= 3;
  return short ? arg.length : 0;
}

/** A tie joins two words (`Fig.~2`, `Models~(LLMs)`); `~10x`, `(~8)` and a lone ` ~ ` mean "about". */
function isApproximately(s: string, i: number): boolean {
  return /^$|[\s([]/.test(s[i - 1] ?? '') || /^$|\s/.test(s[i + 1] ?? '');
}

/** Index of the `}` that closes the `{` at `open` (or the end of the string). */
function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return j;
  }
  return s.length;
}

/**
 * The argument that starts at `i` (after spaces): a `{group}`'s content, a command with its
 * own arguments, or one character. Returns the argument's source and where the source goes on.
 */
function readArgument(s: string, i: number): [string, number] {
  let j = i;
  while (s[j] === ' ') j++;
  if (j >= s.length) return ['', j];
  if (s[j] === '{') {
    const end = matchingBrace(s, j);
    return [s.slice(j + 1, end), end + 1];
  }
  if (s[j] === '\\') {
    const name = /^\\(?:[A-Za-z]+|.)/.exec(s.slice(j))?.[0] ?? '\\';
    let end = j + name.length;
    // A command that takes arguments brings them along: `^\text{max}`, `_\mathcal{D}`.
    const bare = name.slice(1);
    const takes = CONTENT.has(bare) || bare in LETTER_FONTS || bare in ACCENTS || bare === 'sqrt' ? 1 : /^d?t?frac$|^binom$/.test(bare) ? 2 : 0;
    for (let k = 0; k < takes; k++) end = readArgument(s, end)[1];
    return [s.slice(j, end), end];
  }
  const char = String.fromCodePoint(s.codePointAt(j) ?? 0);
  return [char, j + char.length];
}

function skipOptional(s: string, i: number): number {
  if (s[i] !== '[') return i;
  const close = s.indexOf(']', i);
  return close === -1 ? i : close + 1;
}

function skipArguments(s: string, i: number, max: number): number {
  let j = skipOptional(s, i);
  for (let k = 0; k < max && s[j] === '{'; k++) j = matchingBrace(s, j) + 1;
  return j;
}
