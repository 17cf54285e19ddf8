/**
 * Theme ids: lowercase ASCII slugs of the label ("KV Cache Compression" →
 * "kv-cache-compression"), stable as long as the label is.
 */

/** The slug of `label`; "theme" when nothing of it survives (a label in another script). */
export function slugifyLabel(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'theme' : slug;
}
