import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { handlebarsErrorLine } from '../../src/render/handlebars-error-line.js';

/** The error Handlebars throws compiling `source`. */
function errorOf(source: string): unknown {
  try {
    Handlebars.precompile(source);
  } catch (error) {
    return error;
  }
  throw new Error(`${source} compiled`);
}

describe('handlebarsErrorLine', () => {
  it('gives a parse error in one line: the line, the place in words, and what was expected', () => {
    expect(handlebarsErrorLine(errorOf('{{#if date}}x'))).toBe(
      `Parse error on line 1, after "{{#if date}}x", at the end: Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'`,
    );
    const mid = handlebarsErrorLine(errorOf('Papers\n{{plural paperCount "paper"} on {{topics}}'));
    expect(mid).toMatch(/^Parse error on line 2, after "\.\.\.l paperCount "paper"", at "\} on \{\{topics\}\}": Expecting .*, got 'INVALID'$/);
    expect(mid).not.toContain('\n');
  });

  it('keeps any other message, in one line', () => {
    expect(handlebarsErrorLine(errorOf('{{#if x}}y{{/each}}'))).toBe("if doesn't match each - 1:3");
    expect(handlebarsErrorLine(new Error('one\n  two'))).toBe('one two');
  });
});
