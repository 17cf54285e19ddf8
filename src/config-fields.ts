/**
 * The kinds of value config.ts checks its variables against (zod schemas): a whole number or a
 * number in a range, a value a parser turns into its own type (or refuses in one line), a
 * boolean, an http(s) URL, an address. Apart from config.ts so that file stays one list of
 * variables and the rules between them. Each failure's message completes "NAME must be …".
 */
import { z } from 'zod';

/**
 * A whole number written plainly, digits only (around them, spaces are trimmed as for every
 * variable): "1e2", "0x5", "+5" or "5.0" are refused, not read as 100, 5, 5 and 5 (Number()
 * would take each). `message` completes "NAME must be …".
 */
export const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d{1,15}$/.test(v), message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
export const intIn = (min: number, max: number) => wholeNumber(min, max, `a whole number from ${min} to ${max}`);
export const numIn = (min: number, max: number) =>
  z.coerce.number({ error: `a number from ${min} to ${max}` }).min(min, `a number from ${min} to ${max}`).max(max, `a number from ${min} to ${max}`);
/** A string `parse` turns into its value, or refuses by throwing a one-line reason. */
export const parsedBy = <T>(parse: (v: string) => T) =>
  z.string().trim().transform((v, ctx): T => {
    try {
      return parse(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });
export const bool = z
  .string({ error: 'true or false' })
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'true or false')
  .transform((v) => ['true', '1', 'yes'].includes(v));
export const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), 'an http(s) URL such as https://news.example.org')
  .transform((v) => v.replace(/\/+$/, ''));
export const emailish = z
  .string()
  .trim()
  .refine((v) => /^(?:[^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(v), 'an address such as "paperpost <news@example.org>"');
