/**
 * JSON.parse with a useful error: the line and column of the first syntax problem and what
 * it is, on one line ("digest.json:14:3: invalid JSON: unexpected end of input"). V8's own
 * messages sometimes quote the whole input and sometimes give no position, so the problem
 * is located with a small scanner, run only after JSON.parse has failed.
 */
import { countLines } from './decode-text.js';
import { contentError } from './parse-context.js';

/** Parses `text` as JSON or throws DigestError naming `name`, line and column. */
export function parseJsonText(text: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const found = locateJsonError(text);
    const offset = found?.offset ?? Number(/position (\d+)/.exec(String(error))?.[1] ?? text.length);
    const problem = found?.problem ?? 'not valid JSON';
    const line = countLines(text, offset);
    const column = offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1;
    throw contentError(`${name}:${line}:${column}`, `invalid JSON: ${problem}`, 'fix the JSON (a truncated download? run it through a JSON validator)');
  }
}

type State = 'value' | 'firstValueOrEnd' | 'key' | 'firstKeyOrEnd' | 'afterValue';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Offset and description of the first JSON syntax error in `text`, or null if it is valid. */
function locateJsonError(text: string): { offset: number; problem: string } | null {
  const n = text.length;
  const stack: string[] = [];
  let i = 0;
  let state: State = 'value';
  const at = (problem: string) => ({
    offset: i,
    problem: i >= n ? 'unexpected end of input (is the file truncated?)' : problem,
  });
  const shown = () => (i >= n ? 'the end' : JSON.stringify(text[i]));
  const scanString = (): { offset: number; problem: string } | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return at('invalid \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          i++;
          return at(`invalid escape \\${e ?? ''} in a string`);
        }
        continue;
      }
      if (c < 0x20) return at('a control character (a raw line break?) inside a string');
      i++;
    }
    return at('');
  };
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (state === 'afterValue') {
      if (stack.length === 0) return i < n ? at(`unexpected ${shown()} after the end of the JSON value`) : null;
      if (i >= n) return at('');
      const close = stack[stack.length - 1] === '[' ? ']' : '}';
      if (text[i] === ',') {
        i++;
        state = close === ']' ? 'value' : 'key';
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else {
        return at(`expected ',' or '${close}', found ${shown()}`);
      }
      continue;
    }
    if (i >= n) return at('');
    const c = text[i]!;
    if (state === 'key' || state === 'firstKeyOrEnd') {
      if (state === 'firstKeyOrEnd' && c === '}') {
        i++;
        stack.pop();
        state = 'afterValue';
        continue;
      }
      if (c !== '"') return at(`expected a double-quoted property name, found ${shown()}`);
      const bad = scanString();
      if (bad) return bad;
      while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
      if (text[i] !== ':') return at(`expected ':' after a property name, found ${shown()}`);
      i++;
      state = 'value';
      continue;
    }
    if (state === 'firstValueOrEnd' && c === ']') {
      i++;
      stack.pop();
      state = 'afterValue';
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      state = c === '{' ? 'firstKeyOrEnd' : 'firstValueOrEnd';
      continue;
    }
    if (c === '"') {
      const bad = scanString();
      if (bad) return bad;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return at('invalid number');
      i += m[0].length;
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (!literal) return at(`unexpected ${shown()} where a value should be`);
      i += literal.length;
    }
    state = 'afterValue';
  }
}
