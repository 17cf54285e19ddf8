/**
 * Preloaded with `node --import` by the lazy-loading test: records every file: URL the
 * process resolves (ESM imports, and the CommonJS packages they import) into the file named
 * by RECORD_LOADS_FILE, so a test can say which packages a command loaded without timing it.
 */
import { register } from 'node:module';

register(new URL('./record-loads-hook.mjs', import.meta.url), { data: { file: process.env.RECORD_LOADS_FILE } });
