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
    // Line 7 is blank: no one, so neither a row nor a rejection.
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 8]);
    expect(r.rejected.find((x) => x.line === 3)!.reason).toContain('not a valid email');
    expect(r.rejected.find((x) => x.line === 5)!.reason).toContain('line break');
    expect(r.rejected.find((x) => x.line === 8)!.reason).toContain('duplicate of line 2');
  });

  it('reads an export back: status and dates, with a semicolon or comma separator', () => {
    const csv = [
      'email;name;themes;status;created_at;confirmed_at;unsubscribed_at',
      'a@example.org;A;llm-agents, efficient-inference;unsubscribed;2026-01-02T03:04:05.000Z;2026-01-02T03:05:00.000Z;2026-02-01T00:00:00.000Z',
      'b@example.org;;;complained;2026-01-03T00:00:00.000Z;;',
      'c@example.org;C;;active;;;',
      'd@example.org;D;;gone;;;',
      'e@example.org;E;;active;yesterday;;',
    ].join('\n');
    const r = parseSubscribersCsv(csv, 'export.csv');
    expect(r.rows.map((x) => x.input)).toEqual([
      { email: 'a@example.org', name: 'A', themes: ['llm-agents', 'efficient-inference'], status: 'unsubscribed', createdAt: '2026-01-02T03:04:05.000Z', confirmedAt: '2026-01-02T03:05:00.000Z', unsubscribedAt: '2026-02-01T00:00:00.000Z' },
      { email: 'b@example.org', name: null, themes: null, status: 'complained', createdAt: '2026-01-03T00:00:00.000Z', confirmedAt: undefined, unsubscribedAt: undefined },
      { email: 'c@example.org', name: 'C', themes: null, status: 'active', createdAt: undefined, confirmedAt: undefined, unsubscribedAt: undefined },
    ]);
    expect(r.rejected).toEqual([
      { line: 5, reason: expect.stringContaining('status "gone" is not one of') },
      { line: 6, reason: expect.stringContaining('created_at "yesterday" is not a date') },
    ]);
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
