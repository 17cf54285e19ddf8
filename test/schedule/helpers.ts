/**
 * Test scaffolding for scheduled runs: a scratch directory with a digest folder, an App
 * wired to a real SQLite file, and digests written day by day in paperpost's own JSON.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Paper } from '../../src/types.js';
import { ROOT } from '../helpers/run-cli.js';

export interface Scratch {
  dir: string;
  digests: string;
  env: Record<string, string>;
  app(extra?: Record<string, string>): App;
}

/** A scratch directory and the environment that points paperpost at it. */
export function scratch(env: Record<string, string> = {}): Scratch {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-sched-'));
  const digests = path.join(dir, 'digests');
  mkdirSync(digests);
  const base = {
    DATABASE_URL: 'sqlite:' + path.join(dir, 'paperpost.db'),
    DIGEST_SOURCE: digests,
    TEMPLATES_DIR: path.join(ROOT, 'templates'),
    OUTBOX_DIR: path.join(dir, 'outbox'),
    THEMES_FILE: path.join(dir, 'no-themes.yml'),
    // These runs group by day-by-day clusters, as they did when a directory without
    // content/topics.yml meant no topic map (the shipped map is now used from anywhere).
    TOPICS_FILE: 'off',
    SECRET_KEY: 'schedule-test-secret-0123456789',
    MAIL_FROM: 'paperpost <news@example.org>',
    TZ: 'UTC',
    ...env,
  };
  return { dir, digests, env: base, app: (extra = {}) => createApp(loadConfig({ ...base, ...extra }, dir)) };
}

/** Topics with the words their papers share, so grouping has something to find. */
const TOPICS: Record<string, string[]> = {
  kv: ['KV cache compression for long-context inference', 'Compressing the KV cache of large language models', 'KV cache eviction and compression under memory budgets'],
  distill: ['Knowledge distillation from large teachers', 'Knowledge distillation with sequence-level objectives', 'On-policy knowledge distillation for students'],
  robot: ['Robot manipulation with diffusion policies', 'Dexterous robot manipulation from demonstrations', 'Robot manipulation policies that generalize'],
};

/** A paper of one topic; `n` picks a title and makes the id. */
export function paper(topic: keyof typeof TOPICS, n: number, upvotes: number): Paper {
  const titles = TOPICS[topic]!;
  const title = `${titles[n % titles.length]} (${topic} study ${n})`;
  return {
    id: `2512.${topic}${String(n).padStart(3, '0')}`,
    title,
    abstract: `We study ${titles[n % titles.length]!.toLowerCase()}. Our approach improves on prior work in ${topic} settings and we release code.`,
    summary: null,
    authors: ['A. Author', 'B. Author'],
    authorCount: 2,
    publishedAt: null,
    upvotes,
    url: `https://huggingface.co/papers/2512.${topic}${n}`,
    codeUrl: null,
    keywords: [],
  };
}

/** Writes the digest for `date` into the digest folder. */
export function writeDigest(s: Scratch, date: string, papers: Paper[]): void {
  writeFileSync(path.join(s.digests, `digest-${date}.json`), JSON.stringify({ date, source: 'test', papers }, null, 2));
}

/** Adds active subscribers n1..nk. */
export async function addSubscribers(app: App, count: number): Promise<void> {
  await app.store().importSubscribers(Array.from({ length: count }, (_, i) => ({ line: i + 2, input: { email: `reader${i}@example.org`, name: `Reader ${i}` } })));
}

/** A logger that keeps lines for assertions. */
export function memoryLog() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_o: object, msg: string) => void lines.push({ level, msg });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
