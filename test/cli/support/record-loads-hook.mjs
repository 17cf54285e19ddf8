/**
 * The module hook behind record-loads.mjs (it runs on the loader thread): appends each
 * resolved file: URL, one a line, to the file it was given.
 */
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data?.file;
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (file && result.url.startsWith('file:')) appendFileSync(file, result.url + '\n');
  return result;
}
