/**
 * Handlebars specs kept per source (render/compile-cached.ts): a template compiled in two
 * environments renders with each one's own helpers and partials; a source differing by one
 * character or compiled with other options is its own template; a parse error still surfaces
 * on first render, not before; and a kept source is not compiled again.
 */
import Handlebars from 'handlebars';
import { describe, expect, it, vi } from 'vitest';
import { compileCached } from '../../src/render/compile-cached.js';

const env = (shout: string, partial: string) => {
  const hb = Handlebars.create();
  hb.registerHelper('shout', (s: string) => `${s}${shout}`);
  hb.registerPartial('tail', partial);
  return hb;
};

describe('compileCached', () => {
  it('shares a spec between environments, each with its own helpers and partials', () => {
    const source = 'Hi {{shout name}} {{> tail}} <{{html}}>';
    const a = compileCached(env('!', 'A'), source, { strict: true });
    const b = compileCached(env('?', 'B'), source, { strict: true });
    expect(a({ name: 'Ada', html: '&' })).toBe('Hi Ada! A <&amp;>');
    expect(b({ name: 'Bo', html: '&' })).toBe('Hi Bo? B <&amp;>');
    expect(compileCached(env('!', 'A'), source, { strict: true, noEscape: true })({ name: 'Ada', html: '&' })).toBe('Hi Ada! A <&>');
    expect(compileCached(env('!', 'A'), source.replace('Hi', 'Yo'), { strict: true })({ name: 'Ada', html: '' })).toBe('Yo Ada! A <>');
    // strict is kept: a missing field is an error.
    expect(() => compileCached(env('!', 'A'), 'Hi {{who}}', { strict: true })({})).toThrow(/"who" not defined/);
    expect(compileCached(env('!', 'A'), 'Hi {{who}}', {})({})).toBe('Hi ');
  });

  it('compiles a source once, and reports a parse error when first rendered', () => {
    const precompile = vi.spyOn(Handlebars, 'precompile');
    try {
      const source = `Once {{x}} ${Math.random()}`;
      for (let i = 0; i < 3; i++) expect(compileCached(Handlebars.create(), source, {})({ x: i })).toMatch(new RegExp(`^Once ${i} `));
      expect(precompile).toHaveBeenCalledTimes(1);
      const broken = compileCached(Handlebars.create(), 'Broken {{#if x}}', {});
      expect(() => broken({ x: 1 })).toThrow(/Parse error on line 1/);
    } finally {
      precompile.mockRestore();
    }
  });
});
