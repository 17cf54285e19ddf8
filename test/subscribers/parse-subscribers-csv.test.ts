import { describe, expect, it } from 'vitest';
import { parseSubscribersCsv, parseThemeList } from '../../src/subscribers/parse-subscribers-csv.js';
import { InputError } from '../../src/errors.js';

describe('parseSubscribersCsv', () => {
  it('rejects each bad row with its line number and reason, and keeps the good ones', () => {
    const csv = [
      'email,name,themes',
      'ok@Example.ORG,Ada,"KV Cache Compression, LLM Agents"',
      'a@b,Bad,',
      '<x>@y.com,Bad,',
      '"x@y.com\r\nBcc: z@q.com",Injected,',
      '',
      'OK@example.org,Dup,',
      'fine@example.net,,',
    ].join('\n');
    const r = parseSubscribersCsv(csv, 'list.csv');
    expect(r.rows.map((x) => [x.line, x.input.email, x.input.name, x.input.themes])).toEqual([
      [2, 'ok@example.org', 'Ada', ['KV Cache Compression', 'LLM Agents']],
      [9, 'fine@example.net', null, null],
    ]);
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 7, 8]);
    expect(r.rejected.find((x) => x.line === 3)!.reason).toContain('not a valid email');
    expect(r.rejected.find((x) => x.line === 5)!.reason).toContain('line break');
    expect(r.rejected.find((x) => x.line === 7)!.reason).toBe('empty row');
    expect(r.rejected.find((x) => x.line === 8)!.reason).toContain('duplicate of line 2');
  });

  it('refuses a file without an email column as a whole', () => {
    expect(() => parseSubscribersCsv('name,themes\nAda,\n', 'x.csv')).toThrow(InputError);
    expect(() => parseSubscribersCsv('', 'x.csv')).toThrow(/empty/);
  });

  it('splits theme lists on commas and semicolons, and treats blank as all themes', () => {
    expect(parseThemeList(' A ;B,, C ')).toEqual(['A', 'B', 'C']);
    expect(parseThemeList('')).toBeNull();
    expect(parseThemeList(' , ')).toBeNull();
  });
});
