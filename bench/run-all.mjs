// Runs every bench/*.bench.mjs in turn (after `npm run build`) and fails if any missed its target.
// Among them topics.bench.mjs: assignTopics on 1,000 papers with stories, under 2 s (issue #12).
// And senders.bench.mjs: 1, 2 and 3 `paperpost send` processes on one PostgreSQL into one
// smtp-sink at 100,000 subscribers, each message once, peak RSS per sender (issue #16).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(here, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`\n${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
