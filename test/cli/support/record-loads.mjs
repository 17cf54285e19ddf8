/**
 * Preloaded with `node --import` by the lazy-loading test: records every file: URL the
 * process resolves (ESM imports, and the CommonJS packages they import) into the file named
 * by RECORD_LOADS_FILE, so a test can say which packages a command loaded without timing it.
 * CommonJS modules loaded with `require` (createRequire, which the loader hooks do not see)
 * are added at exit from require's cache.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(new URL('./record-loads-hook.mjs', import.meta.url), { data: { file: process.env.RECORD_LOADS_FILE } });

const require = createRequire(import.meta.url);
process.on('exit', () => {
  const file = process.env.RECORD_LOADS_FILE;
  if (!file) return;
  const urls = Object.keys(require.cache).map((p) => pathToFileURL(p).href);
  if (urls.length > 0) appendFileSync(file, urls.join('\n') + '\n');
});
