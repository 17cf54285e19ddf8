import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Layering: a stage imports only stages below it, so each folder can be read, tested and
 * replaced without the ones above. From the bottom up:
 *
 *   ingest, topics, picks, subscribers, render, store, bounces  (the pipeline's parts and what they keep)
 *   deliver   (sends a compiled issue)
 *   issue     (builds and freezes an issue, hands it to deliver)
 *   schedule  (runs the daily job)
 *   web       (pages and the operator preview)
 *   cli       (commands; nothing imports it but the executable, src/cli.ts)
 *
 * Within the low layer the order is strict too, in the order LOW lists them: a folder imports
 * only those before it. So two folders of one layer can never import each other, directly or
 * round a ring. store/ imports subscribers/ (the consent and address rules it applies);
 * subscribers/ never imports store/, and names the few store methods it needs as its own port.
 * subscribers/ sits below render/ so a copy can be rendered with what subscribers/ knows of its
 * reader (links, signed tokens). picks/ (a reader's signals and plan) sits above topics/ (whose
 * tokenizer it reuses) and below subscribers/ (feedback tokens name a choice), render/ (which
 * lays out the plan) and store/ (which keeps the signals). Imports among them today: render →
 * ingest, picks and subscribers; store → picks and subscribers; bounces → store.
 *
 * app.ts is the composition root, at the top: only cli/, schedule/ and web/ import it. The
 * stages below them (issue/, deliver/ and everything lower) take narrow ports, never the App.
 */
const ABOVE = {
  low: ['deliver', 'issue', 'schedule', 'web', 'cli'],
  deliver: ['issue', 'schedule', 'web', 'cli'],
  issue: ['schedule', 'web', 'cli'],
  schedule: ['web', 'cli'],
  web: ['cli', 'schedule'],
  // src/*.ts: app.ts wires the stages but is imported by cli/, schedule/ and web/, so it imports none of them.
  top: ['cli', 'schedule', 'web'],
};
/** The low layer, bottom first: each folder may import only the ones before it. */
const LOW = ['ingest', 'topics', 'picks', 'subscribers', 'render', 'store', 'bounces'];

/** Rules that refuse static and dynamic imports of `folders` (and of app.ts when `noApp`). */
function layer(files, folders, { noApp = false, ignores } = {}) {
  const targets = [`(?:.*/)?(?:${folders.join('|')})/`];
  if (noApp) targets.push('(?:\\.\\./)*app\\.js$');
  const regex = `^\\.{1,2}/(?:${targets.join('|')})`;
  const message = `layering: ${files.join(', ')} must not import ${folders.join('/, ')}/${noApp ? ' or app.ts' : ''} (see the comment at the top of eslint.config.js)`;
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex, message }] }],
      'no-restricted-syntax': ['error', { selector: `ImportExpression[source.value=/${regex.replace(/\//g, '\\/')}/]`, message }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'out/', 'data/', 'test-artifacts/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  layer(['src/*.ts'], ABOVE.top, { ignores: ['src/cli.ts'] }),
  // One rule per low folder (a later rule for the same files would replace an earlier one): the low folders after it, and every layer above.
  ...LOW.map((d, i) => layer([`src/${d}/**`], [...LOW.slice(i + 1), ...ABOVE.low], { noApp: true })),
  layer(['src/deliver/**'], ABOVE.deliver, { noApp: true }),
  layer(['src/issue/**'], ABOVE.issue, { noApp: true }),
  layer(['src/schedule/**'], ABOVE.schedule),
  layer(['src/web/**'], ABOVE.web),
);
