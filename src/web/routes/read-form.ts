/**
 * Reads a form POST body (urlencoded or multipart) into plain strings. Files are ignored:
 * no form here uploads one.
 */
import type { Context } from 'hono';

/** A parsed form. */
export interface FormData {
  /** The first value of a field, or undefined. */
  get(name: string): string | undefined;
  /** Every value of a field (checkbox groups). */
  all(name: string): string[];
}

/** Parses the body of `c`; a body of another type (or none) reads as an empty form. */
export async function readForm(c: Context): Promise<FormData> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  let fields: Record<string, unknown> = {};
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
    try {
      fields = await c.req.parseBody({ all: true });
    } catch {
      fields = {};
    }
  }
  const values = (name: string): string[] => {
    const v = fields[name];
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return list.filter((x): x is string => typeof x === 'string');
  };
  return { get: (name) => values(name)[0], all: values };
}
