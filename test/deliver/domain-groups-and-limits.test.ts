/**
 * Which queue a recipient joins (group-domain.ts: provider groups by name, and by MX with an
 * injected resolver), SMTP_DOMAIN_LIMITS (parse-domain-limits.ts), and one queue's rate as
 * replies come back (domain-queue.ts): halved once per cohort, back step by step.
 */
import { describe, expect, it } from 'vitest';
import { createDomainGrouper, domainOf, groupOfDomain } from '../../src/deliver/group-domain.js';
import { DEFAULT_CONCURRENCY, limitOf, parseDomainLimits } from '../../src/deliver/parse-domain-limits.js';
import { DomainQueue, MIN_RATE, RECOVER_EVERY } from '../../src/deliver/domain-queue.js';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('provider groups', () => {
  it('groups the big providers by name and leaves every other domain alone', () => {
    expect(['gmail.com', 'googlemail.com'].map(groupOfDomain)).toEqual(['gmail', 'gmail']);
    expect(['outlook.com', 'hotmail.com', 'live.com', 'msn.com'].map(groupOfDomain)).toEqual(['outlook', 'outlook', 'outlook', 'outlook']);
    expect(['yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk'].map(groupOfDomain)).toEqual(['yahoo', 'yahoo', 'yahoo', 'yahoo']);
    expect(groupOfDomain('example.org')).toBe('example.org');
    expect(domainOf('Ada@GMail.com')).toBe('gmail.com');
  });

  it('with a resolver, puts domains whose MX is Google or Microsoft in their group, once per domain', async () => {
    const asked: string[] = [];
    const mx: Record<string, string[]> = {
      'acme.example': ['aspmx.l.google.com.', 'alt1.aspmx.l.google.com'],
      'corp.example': ['corp-example.mail.protection.outlook.com'],
      'self.example': ['mx.self.example'],
    };
    const grouper = createDomainGrouper(async (d) => {
      asked.push(d);
      if (d === 'broken.example') throw new Error('SERVFAIL');
      return mx[d] ?? [];
    });
    expect(grouper.now('gmail.com')).toBe('gmail');
    expect(grouper.now('acme.example')).toBeNull();
    expect(await grouper.later('acme.example')).toBe('gmail');
    expect(grouper.now('acme.example')).toBe('gmail');
    expect(await grouper.later('corp.example')).toBe('outlook');
    expect(await grouper.later('self.example')).toBe('self.example');
    expect(await grouper.later('broken.example')).toBe('broken.example');
    expect(asked).toEqual(['acme.example', 'corp.example', 'self.example', 'broken.example']);
    // Without one, names alone.
    expect(createDomainGrouper().now('acme.example')).toBe('acme.example');
  });
});

describe('SMTP_DOMAIN_LIMITS', () => {
  it('reads rates per second, minute and hour, and an optional concurrency', () => {
    const limits = parseDomainLimits('gmail:10/s, outlook:300/min:5,example.org:3600/h,*:0/s:8');
    expect(limitOf(limits, 'gmail')).toEqual({ ratePerSec: 10, concurrency: DEFAULT_CONCURRENCY });
    expect(limitOf(limits, 'outlook')).toEqual({ ratePerSec: 5, concurrency: 5 });
    expect(limitOf(limits, 'example.org')).toEqual({ ratePerSec: 1, concurrency: DEFAULT_CONCURRENCY });
    expect(limitOf(limits, 'yahoo')).toEqual({ ratePerSec: 0, concurrency: 8 });
    expect(limitOf(parseDomainLimits(''), 'yahoo')).toEqual({ ratePerSec: 0, concurrency: DEFAULT_CONCURRENCY });
  });

  it('is read by the configuration, with the other pacing settings; a bad value is one line naming the variable', () => {
    const c = loadConfig({ SMTP_DOMAIN_LIMITS: 'gmail:10/s,outlook:5/s', SMTP_MX_GROUPS: 'true', MAX_HARD_BOUNCE_RATE: '2%', SEND_RETRY_MAX_MS: '60000' });
    expect(limitOf(c.smtpDomainLimits, 'outlook').ratePerSec).toBe(5);
    expect([c.smtpMxGroups, c.maxHardBounceRate, c.sendRetryMaxMs]).toEqual([true, 0.02, 60_000]);
    expect(loadConfig({}).maxHardBounceRate).toBe(0.05);
    let error: unknown;
    try {
      loadConfig({ SMTP_DOMAIN_LIMITS: 'gmail:10/s,outlook:lots', MAX_HARD_BOUNCE_RATE: '0%' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).problems.filter((l) => /^(SMTP_DOMAIN_LIMITS|MAX_HARD_BOUNCE_RATE) must be /.test(l));
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('"outlook:lots" is not one');
  });

  it('refuses entries that would never apply, in one line naming the entry (and the queue to use)', () => {
    const problem = (text: string) => {
      try {
        loadConfig({ SMTP_DOMAIN_LIMITS: text });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).problems).toHaveLength(1);
        return (e as ConfigError).problems[0]!;
      }
      return null;
    };
    expect(problem('gmial:1/h')).toMatch(/^SMTP_DOMAIN_LIMITS must be queues that exist; "gmial:1\/h" names "gmial", neither a queue \(gmail, outlook, yahoo, \*\) nor a domain/);
    expect(problem('gmail:10/s,foo:10/s')).toMatch(/"foo:10\/s" names "foo", neither a queue/);
    expect(problem('googlemail.com:1/h')).toMatch(/"googlemail\.com:1\/h" would never apply, as googlemail\.com is in the gmail queue: write gmail:1\/h/);
    expect(problem('hotmail.com:1/h:2')).toMatch(/as hotmail\.com is in the outlook queue: write outlook:1\/h:2/);
    expect(problem('gmail:0/s')).toMatch(/^SMTP_DOMAIN_LIMITS must be a rate above 0; "gmail:0\/s" is no rate, which every queue has already: leave it out, give a rate, or cap its concurrency \(gmail:0\/s:5\)/);
    expect(problem('*:0/min')).toMatch(/"\*:0\/min" is no rate/);
    // 0 still means something with a concurrency, or beside a `*` rate.
    expect(problem('gmail:0/s:3,*:5/s,outlook:0/s,example.org:2/s,mail.example.co.uk:1/min')).toBeNull();
    expect(limitOf(parseDomainLimits('*:5/s,outlook:0/s'), 'outlook').ratePerSec).toBe(0);
  });

  it.each(['gmail', 'gmail:10', 'gmail:10/day', 'gmail:fast/s', 'gmail:10/s:0', 'gmail:1/s,gmail:2/s', 'gmail 10/s'])('refuses %j in one line', (text) => {
    expect(() => parseDomainLimits(text)).toThrow(/^[^\n]+$/);
  });
});

describe('a queue under throttling', () => {
  it('halves once per cohort, never below MIN_RATE, pauses as asked, and recovers step by step', () => {
    const q = new DomainQueue('gmail', { ratePerSec: 40, concurrency: 10 });
    q.admit(0);
    const cohort = q.epoch;
    q.throttle(10, cohort);
    expect(q.rate).toBe(20);
    // The rest of the same cohort fails too: counted once.
    q.throttle(11, cohort);
    q.throttle(12, cohort);
    expect(q.rate).toBe(20);
    // A later cohort halves again, but not within the same second.
    q.throttle(500, q.epoch);
    expect(q.rate).toBe(20);
    q.throttle(1500, q.epoch);
    expect(q.rate).toBe(10);
    for (let t = 3000; q.rate > MIN_RATE; t += 2000) q.throttle(t, q.epoch);
    expect(q.rate).toBe(MIN_RATE);
    q.pause(20_000, 2000);
    expect(q.canGo(21_999, 0)).toBe(false);
    expect(q.canGo(22_000 + 1000 / MIN_RATE, 0)).toBe(true);
    // Back step by step: a quarter at a time, about a second's worth of successes per step.
    const rates = [q.rate];
    for (let i = 0; i < 1000 && q.rate < 40; i++) {
      q.succeeded();
      if (q.rate !== rates[rates.length - 1]) rates.push(q.rate);
    }
    expect(rates[1]).toBeCloseTo(1.25);
    for (let i = 1; i < rates.length; i++) expect(rates[i]! / rates[i - 1]!).toBeLessThanOrEqual(1.25 + 1e-9);
    expect(rates.length).toBeGreaterThan(10);
    expect(q.rate).toBe(40);
  });

  it('a queue with no rate is given the rate it went at, and gets back to no limit', () => {
    const q = new DomainQueue('example.org', { ratePerSec: 0, concurrency: 10 });
    for (let i = 0; i < 30; i++) q.admit(i * 10); // 30 in 0.3 s
    q.throttle(400, q.epoch);
    expect(q.rate).toBe(15);
    for (let i = 0; i < RECOVER_EVERY * 10; i++) q.succeeded();
    expect(q.rate).toBe(0);
  });
});
