/**
 * How config and template errors name a file: relative to the working directory when it lies
 * inside it ("content/topics.yml:12: ..."), else as given, so messages stay short and clickable.
 */
import path from 'node:path';

/** `file` relative to the working directory when it lies inside it, else `file` itself. */
export function displayFileName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
