/**
 * How long a receiving server asked us to wait, read from its reply. Servers say it in prose,
 * each in its own words ("try again in 2 seconds", "retry after 300", "please wait 5 min",
 * "greylisted for 5 minutes", "come back in 00:05:00"), and the big providers mostly say
 * nothing at all ("4.7.28 … temporarily rate limited", "4.7.650", Yahoo's "[TSS04] …
 * temporarily deferred"). The domain pacer (create-domain-pacer.ts) honours what is asked: no
 * retry to that domain goes sooner. A reply that names no time gives null, and the pacer's
 * own backoff applies.
 *
 * The rules, in order (the first that matches wins):
 * 1. A clock "hh:mm:ss" or "mm:ss" after try again / retry / come back / wait.
 * 2. A number with a unit (s, sec, seconds, m, min, minutes, h, hours, d, days) after one of
 *    the words servers use for it, with at most a few words between and no other number. The
 *    number may be a word (a, an, one … ten: "try again in one minute"), and a duration in
 *    parts is summed, each part a smaller unit than the one before ("2 minutes 30 seconds",
 *    "1 hour and 30 minutes", "1h30m").
 * 3. "retry after N" / "Retry-After: N" with no unit: seconds (as in HTTP).
 */

/** Words that come before the time a server asks for. */
const ASK = String.raw`(?:try(?:ing)?\s+(?:it\s+)?again|retry|come\s+back|wait|resend|re-?try|deferred|defer(?:ring)?|greylist(?:ed|ing)?|graylist(?:ed|ing)?|postponed|throttled|rate[- ]limited|blocked|back\s*off)`;
/** A count: digits, or a small number in words. */
const NUM = String.raw`(?:\d+(?:\.\d+)?|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten)\b)`;
const UNIT = String.raw`(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)(?![a-z])`;
const PART = String.raw`${NUM}\s*${UNIT}`;

const CLOCK = new RegExp(String.raw`${ASK}\b[^.;\d]{0,30}?\b(\d{1,2}):(\d{2})(?::(\d{2}))?\b`, 'i');
const WITH_UNIT = new RegExp(String.raw`${ASK}\b[^.;\d]{0,40}?\b(${PART}(?:\s*(?:,|and)?\s*${PART})*)`, 'i');
const ONE_PART = new RegExp(String.raw`(${NUM})\s*(${UNIT})`, 'gi');
const BARE = /\bretry[- ]after:?\s*(\d+)\b(?!\s*[a-z.:])/i;

const SECONDS_PER: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** The seconds of "2 minutes 30 seconds": each part summed while the units get smaller. */
function secondsOf(duration: string): number {
  let total = 0;
  let last = Infinity;
  for (const [, n, unit] of duration.matchAll(ONE_PART)) {
    const per = SECONDS_PER[unit!.toLowerCase()[0]!]!;
    if (per >= last) break;
    last = per;
    total += (WORDS[n!.toLowerCase()] ?? Number(n)) * per;
  }
  return total;
}

/** The delay a reply asks for, in ms, or null when it names none. */
export function parseRetryDelay(reply: string | null | undefined): number | null {
  if (!reply) return null;
  const text = reply.replace(/\s+/g, ' ');
  // 1.
  const clock = CLOCK.exec(text);
  if (clock) {
    const [a, b, c] = [Number(clock[1]), Number(clock[2]), clock[3] === undefined ? null : Number(clock[3])];
    return (c === null ? a * 60 + b : a * 3600 + b * 60 + c) * 1000;
  }
  // 2.
  const unit = WITH_UNIT.exec(text);
  if (unit) return Math.round(secondsOf(unit[1]!) * 1000);
  // 3.
  const bare = BARE.exec(text);
  if (bare) return Number(bare[1]) * 1000;
  return null;
}

/**
 * True when a reply says the receiving side is throttling us, what slows that domain's
 * queue: a 421 (the server closes on us), a policy status 4.7.x (Gmail's 4.7.28 and 4.7.32,
 * Outlook.com's 4.7.650, greylisting's 4.7.1), 4.2.1 (Gmail: "receiving mail at a rate…"),
 * a reply that asks for a wait, or one that speaks of rates and volume (Yahoo's [TSS04]
 * "temporarily deferred due to unexpected volume"). Any other 4xx ("451 4.3.0 queue busy")
 * is about that one message: it is retried, and the queue keeps its rate. A dropped
 * connection or a relay that cannot be reached says nothing about the domain, and is false.
 */
export function isThrottling(reply: string | null | undefined): boolean {
  if (!reply) return false;
  if (/(?:^|[\s:])421[\s-]/.test(reply) || /(?:^|\s)4\.(?:7\.\d{1,3}|2\.1)\b/.test(reply)) return true;
  if (!/(?:^|[\s:])4\d\d[\s-]/.test(reply) && !/(?:^|\s)4\.\d{1,3}\.\d{1,3}\b/.test(reply)) return false;
  return parseRetryDelay(reply) !== null || /rate[- ]?limit|too many|throttl|unusual rate|reputation|\[TSS0\d\]|unexpected volume|slow down|exceeded/i.test(reply);
}
