/**
 * Stable ids for papers that have no arXiv id: a readable slug of the title, with a short
 * hash of the whole title when the slug had to be shortened (so long titles sharing a
 * prefix stay distinct) or when nothing readable is left (titles in non-Latin scripts).
 */
import { createHash } from 'node:crypto';
import { normalizeText } from './normalize-text.js';

const MAX_SLUG = 80;

/** `"Light Schrödinger Bridge"` → `"light-schrodinger-bridge"`. Same title, same slug. */
export function slugifyTitle(title: string): string {
  const normalized = normalizeText(title);
  const slug = normalized
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hash = () => createHash('sha256').update(normalized.toLowerCase()).digest('hex').slice(0, 8);
  if (slug === '') return `paper-${hash()}`;
  if (slug.length <= MAX_SLUG) return slug;
  const cut = slug.slice(0, MAX_SLUG);
  const lastDash = cut.lastIndexOf('-');
  return `${lastDash > 40 ? cut.slice(0, lastDash) : cut}-${hash()}`;
}
