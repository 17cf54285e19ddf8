/**
 * The admin preview's model on its own, with no web server: which issue a date names (draft,
 * frozen, missing, broken), the copy each kind of recipient gets and what the page says about
 * them, the sizes against Gmail's clip line, what came back after the send, and the topic
 * explanations. Real SQLite and the real templates; nothing is mocked.
 */
import { appendFileSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { buildIssuePreview, GMAIL_CLIP_BYTES, previewCopy, resolveIssue, type IssuePreview, type PreviewSources } from '../../src/web/build-issue-preview.js';
import { createDraftIndex } from '../../src/web/create-draft-index.js';
import { createIssueArchive } from '../../src/web/create-issue-archive.js';
import { fixtureConfig, ROOT, SENT_DIGEST } from './support/start-web-fixture.js';

const DATE = '2025-12-10';
const now = () => new Date('2025-12-10T08:00:00Z');

/** A paperpost in a temp directory, its digest left as a draft, read as the admin pages read it. */
function sourcesIn(dir: string, templatesDir = path.join(ROOT, 'templates')): { app: App; sources: PreviewSources } {
  mkdirSync(path.join(dir, 'digests'), { recursive: true });
  copyFileSync(SENT_DIGEST, path.join(dir, 'digests', path.basename(SENT_DIGEST)));
  const app = createApp(fixtureConfig(dir, { PUBLIC_URL: 'https://news.example.org', TEMPLATES_DIR: templatesDir }));
  return { app, sources: { app, drafts: createDraftIndex(app, { now }), archive: createIssueArchive(app) } };
}

/** Narrows a result to a preview (fails the test otherwise). */
function previewOf(result: Awaited<ReturnType<typeof buildIssuePreview>>): IssuePreview {
  if (!result || 'error' in result) throw new Error(`expected a preview, got ${JSON.stringify(result)}`);
  return result;
}

describe('buildIssuePreview', () => {
  let dir: string;
  let app: App;
  let sources: PreviewSources;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pp-preview-'));
    ({ app, sources } = sourcesIn(dir));
    const store = app.store();
    await store.upsertSubscriber({ email: 'all@example.org', name: 'All Topics', themes: null, status: 'active' });
    await store.upsertSubscriber({ email: 'kv@example.org', name: null, themes: ['efficient-inference'], status: 'active' });
    await store.upsertSubscriber({ email: 'none@example.org', name: null, themes: ['no-such-topic'], status: 'active' });
    await store.upsertSubscriber({ email: 'left@example.org', name: null, themes: null, status: 'unsubscribed' });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names no issue for a date without one, or for something that is not a date', async () => {
    expect(await buildIssuePreview(sources, '2020-01-01', undefined)).toBeNull();
    expect(await buildIssuePreview(sources, '../../etc', undefined)).toBeNull();
    expect(await resolveIssue(sources, '2025-12-1')).toBeNull();
  });

  it('previews a draft for a reader of every topic, with its sizes and topic explanations', async () => {
    const p = previewOf(await buildIssuePreview(sources, DATE, undefined));
    expect(p.date).toBe(DATE);
    expect(p.frozen).toBeNull();
    expect(p.afterSend).toBeNull();
    expect(p.who).toBe('a reader of every topic (links point to /manage)');
    expect(p.notes).toEqual([]);
    expect(p.copy).not.toBeNull();
    expect(p.copy!.html).toContain('https://news.example.org/manage');
    expect(p.htmlBytes).toBe(Buffer.byteLength(p.copy!.html));
    expect(p.textBytes).toBe(Buffer.byteLength(p.copy!.text));
    expect(p.htmlBytes).toBeGreaterThan(1000);
    expect(p.overClip).toBe(p.htmlBytes > GMAIL_CLIP_BYTES);
    expect(p.overClip).toBe(false);
    // Ten papers, each explained: where it landed and its candidate topics.
    expect(p.explanations).toHaveLength(10);
    const kv = p.explanations!.find((e) => e.title === 'Paged KV Cache Serving for Long Context Inference');
    expect(kv?.placedIn).toBe('Efficient Inference');
    expect(kv?.why.candidates[0]?.label).toBe('Efficient Inference');
  });

  it('previews the copy of a chosen subscriber: only their topics, their own links', async () => {
    const kv = (await app.store().getSubscriberByEmail('kv@example.org'))!;
    const p = previewOf(await buildIssuePreview(sources, DATE, 'kv@example.org'));
    expect(p.who).toBe('kv@example.org, topics: efficient-inference');
    expect(p.notes).toEqual([]);
    expect(p.copy!.html).toContain('Paged KV Cache Serving');
    expect(p.copy!.html).not.toContain('Fast Video Diffusion');
    expect(p.copy!.html).toContain(`https://news.example.org/u/${kv.id.toString(36)}.`);
    const all = await previewCopy(sources, p.compiled, 'ALL@example.org');
    expect(all.who).toBe('all@example.org (All Topics), every topic');
  });

  it('says why a recipient gets nothing or something else', async () => {
    const none = previewOf(await buildIssuePreview(sources, DATE, 'none@example.org'));
    expect(none.copy).toBeNull();
    expect(none.htmlBytes).toBe(0);
    expect(none.notes).toEqual(["none@example.org follows none of this issue's topics (no-such-topic) and has no picks in it, so they get no email for it."]);
    const left = previewOf(await buildIssuePreview(sources, DATE, 'left@example.org'));
    expect(left.notes).toEqual(['left@example.org is unsubscribed: they get no issues now.']);
    const unknown = previewOf(await buildIssuePreview(sources, DATE, 'nobody@example.org'));
    expect(unknown.notes).toEqual(['No subscriber has the address nobody@example.org; showing the copy for a reader of every topic.']);
    expect(unknown.who).toBe('a reader of every topic (links point to /manage)');
    const garbage = previewOf(await buildIssuePreview(sources, DATE, 'not an address'));
    expect(garbage.notes[0]).toMatch(/^No subscriber has the address not an address/);
  });

  it('shows a frozen issue as stored, with what came back after the send', async () => {
    const draft = previewOf(await buildIssuePreview(sources, DATE, undefined));
    const store = app.store();
    await store.freezeIssue(DATE, JSON.stringify({ ...draft.compiled, subject: 'The frozen subject' }));
    const kv = (await store.getSubscriberByEmail('kv@example.org'))!;
    await store.beginDelivery(DATE, kv.id, '<m1@example.org>');
    await store.finishDelivery(DATE, kv.id, 'sent', null);
    await store.recordMailEvent({
      eventKey: 'k1',
      source: 'smtp',
      type: 'bounce',
      severity: 'soft',
      issueId: DATE,
      subscriberId: kv.id,
      recipient: kv.email,
      status: '4.2.2',
      diagnostic: 'mailbox full',
      occurredAt: null,
      outcome: 'soft-counted',
    });
    const p = previewOf(await buildIssuePreview(sources, DATE, undefined));
    expect(p.frozen).not.toBeNull();
    expect(p.frozen!.sentAt).toBeNull();
    expect(p.compiled.subject).toBe('The frozen subject');
    expect(p.afterSend?.health).toMatchObject({ accepted: 1, soft: 1, hard: 0, complaints: 0, overLine: false });
    expect(p.afterSend?.events.events.map((e) => e.eventKey)).toEqual(['k1']);
    expect(p.afterSend?.events.emails.get(kv.id)).toBe('kv@example.org');
  });
});

describe('buildIssuePreview with a broken template', () => {
  it('gives the reason instead of throwing, and the preview once the template is fixed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-preview-broken-'));
    const templatesDir = path.join(dir, 'templates');
    cpSync(path.join(ROOT, 'templates'), templatesDir, { recursive: true });
    const { app, sources } = sourcesIn(dir, templatesDir);
    try {
      const file = path.join(templatesDir, 'issue.mjml.hbs');
      copyFileSync(file, `${file}.orig`);
      appendFileSync(file, '\n{{#if issue}}\n');
      const broken = await buildIssuePreview(sources, DATE, undefined);
      expect(broken).not.toBeNull();
      expect(broken && 'error' in broken ? broken.error : '').toMatch(/issue\.mjml\.hbs/);
      copyFileSync(`${file}.orig`, file);
      expect(previewOf(await buildIssuePreview(sources, DATE, undefined)).copy).not.toBeNull();
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
