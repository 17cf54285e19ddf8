/**
 * The layering check in eslint.config.js (run by `npm test` through `npm run lint`) refuses an
 * import that runs against the layers. These cases make sure it can fail, and does not fail
 * on what is allowed.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.message.startsWith('layering') || m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering check', () => {
  it.each([
    ['src/ingest/probe.ts', "import { deliverIssue } from '../deliver/deliver-issue.js';\nexport const x = deliverIssue;"],
    ['src/topics/probe.ts', "import { sendIssue } from '../issue/send-issue.js';\nexport const x = sendIssue;"],
    ['src/render/probe.ts', "import type { App } from '../app.js';\nexport type X = App;"],
    ['src/store/sqlite/probe.ts', "import { startWebServer } from '../../web/start-web-server.js';\nexport const x = startWebServer;"],
    ['src/subscribers/probe.ts', "export const x = () => import('../schedule/run-scheduler.js');"],
    ['src/deliver/probe.ts', "import { prepareIssue } from '../issue/prepare-issue.js';\nexport const x = prepareIssue;"],
    ['src/issue/probe.ts', "import { runScheduler } from '../schedule/run-scheduler.js';\nexport const x = runScheduler;"],
    ['src/web/routes/probe.ts', "import { out } from '../../cli/context.js';\nexport const x = out;"],
    ['src/app.ts', "import { out } from './cli/context.js';\nexport const x = out;"],
    ['src/app.ts', "import { createCronClock } from './schedule/create-cron-clock.js';\nexport const x = createCronClock;"],
    ['src/issue/probe.ts', "import type { App } from '../app.js';\nexport type X = App;"],
    ['src/deliver/probe.ts', "import type { App } from '../app.js';\nexport type X = App;"],
  ])('refuses %s importing a higher layer', async (file, code) => {
    const errors = await layeringErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/layering: .* must not import/);
  });

  // Within the low layer the folders are in a strict order: each of these closes a cycle
  // with an import that exists today (store → subscribers, render → ingest, bounces → store),
  // or reaches up the order.
  it.each([
    ['src/subscribers/probe.ts', "import type { Store } from '../store/store.js';\nexport type X = Store;"],
    ['src/subscribers/probe.ts', "export const x = () => import('../store/sqlite/create-sqlite-store.js');"],
    ['src/ingest/probe.ts', "import { makeTldr } from '../render/make-tldr.js';\nexport const x = makeTldr;"],
    ['src/store/shared/probe.ts', "import { applyMailReport } from '../../bounces/apply-mail-report.js';\nexport const x = applyMailReport;"],
    ['src/topics/probe.ts', "import { normalizeEmail } from '../subscribers/normalize-email.js';\nexport const x = normalizeEmail;"],
  ])('refuses %s closing a cycle within the low layer', async (file, code) => {
    const errors = await layeringErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/layering: .* must not import/);
  });

  it.each([
    ['src/issue/probe.ts', "import { deliverIssue } from '../deliver/deliver-issue.js';\nexport const x = deliverIssue;"],
    ['src/deliver/probe.ts', "import { personalizeIssue } from '../render/personalize-issue.js';\nexport const x = personalizeIssue;"],
    ['src/web/probe.ts', "import { prepareIssue } from '../issue/prepare-issue.js';\nexport const x = prepareIssue;"],
    ['src/cli.ts', "import './cli/main.js';"],
    ['src/schedule/probe.ts', "import type { App } from '../app.js';\nexport type X = App;"],
    ['src/ingest/probe.ts', "import { z } from 'zod';\nexport const x = z;"],
    ['src/store/sqlite/probe.ts', "import { decideImport } from '../../subscribers/decide-import.js';\nexport const x = decideImport;"],
    ['src/render/probe.ts', "import { latexToUnicode } from '../ingest/latex-to-unicode.js';\nexport const x = latexToUnicode;"],
    ['src/bounces/probe.ts', "import type { Store } from '../store/store.js';\nexport type X = Store;"],
  ])('allows %s importing a lower layer', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });
});
