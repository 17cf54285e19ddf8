// Importing 100,000 subscribers from CSV through the real command: goal under 5 seconds (issue #5).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.env.BENCH_ROWS ?? 100_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'pp-import-'));
const themes = ['KV Cache Compression', 'LLM Agents', 'Knowledge Distillation', ''];
let csv = 'email,name,themes\n';
for (let i = 0; i < N; i++) csv += `reader${i}@Example${i % 97}.ORG,Reader ${i},"${themes[i % 4]}"\n`;
writeFileSync(path.join(dir, 'list.csv'), csv);
const env = { PATH: process.env.PATH, DATABASE_URL: 'sqlite:' + path.join(dir, 'bench.db') };
const t = performance.now();
const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'subscribers', 'import', path.join(dir, 'list.csv')], { env, encoding: 'utf8' });
const seconds = (performance.now() - t) / 1000;
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
console.log(`import of ${N.toLocaleString('en')} rows: ${seconds.toFixed(2)} s end to end, CLI start-up included (goal < 5 s): ${r.stdout.trim()}`);
process.exit(seconds < 5 ? 0 : 1);
