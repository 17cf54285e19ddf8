/** Longer URLs are dropped rather than emitted: no real paper or code page needs one. */
const MAX_URL_LENGTH = 2048;

/**
 * Returns the URL in canonical form when it is an absolute http(s) URL without credentials,
 * else null. Canonical form percent-encodes spaces, quotes and angle brackets, so the result is
 * also safe inside an attribute once HTML-escaped. Everything else (javascript:, data:,
 * relative paths, user:pass@host tricks) is refused.
 */
export function toSafeUrl(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_URL_LENGTH) return null;
  if (!/^https?:\/\//i.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') return null;
  if (url.hostname === '') return null;
  return url.href;
}
