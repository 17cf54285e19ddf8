import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recipientFor, type Recipient } from '../../../src/subscribers/recipient.js';
import type { ThemedDigest } from '../../../src/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The repository's templates directory. */
export const TEMPLATES_DIR = path.join(root, 'templates');

/** A themed digest from test/fixtures/render/, freshly parsed (tests may change it). */
export function loadThemedFixture(name: 'themed-2025-12-11.json' | 'themed-hf-api-2026-08-03.json'): ThemedDigest {
  return JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/render', name), 'utf8')) as ThemedDigest;
}

/** A recipient with placeholder links, as callers pass until delivery signs real tokens (and every other value recipientFor makes). */
export function makeRecipient(overrides: Partial<Recipient> = {}): Recipient {
  return {
    ...recipientFor({ publicUrl: 'https://paperpost.example.org', secretKey: 'test-secret' }, { id: 1, email: 'ada@example.org', name: 'Ada', themes: null }),
    unsubscribeUrl: 'https://paperpost.example.org/unsubscribe/tok-ada',
    preferencesUrl: 'https://paperpost.example.org/preferences/tok-ada',
    ...overrides,
  };
}
