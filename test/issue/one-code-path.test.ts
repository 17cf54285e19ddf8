/**
 * Operators see what is sent (issue #11, item 8): `render`, the /admin draft preview,
 * `send --dry-run` and `send` build an issue through one code path, so on a day whose papers
 * an earlier issue already carried, all four agree on the subject, the sections and the
 * papers, and `render --subscriber` writes exactly the text that subscriber is sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { App } from '../../src/app.js';
import { startWebServer } from '../../src/web/start-web-server.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { addSubscribers, paper, scratch, writeDigest } from '../schedule/helpers.js';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('one code path builds the issue', () => {
  it('render, the admin preview, a dry run and the send agree on a day with repeats', async () => {
    const s = scratch();
    const app = s.app();
    apps.push(app);
    await addSubscribers(app, 2);
    const day1 = [paper('kv', 1, 10), paper('kv', 2, 8), paper('distill', 3, 6), paper('distill', 4, 5)];
    // Day 2 repeats three of day 1's papers: they go to "Still trending", not to the sections.
    const day2 = [paper('kv', 1, 25), paper('kv', 2, 20), paper('distill', 3, 9), paper('kv', 5, 9), paper('kv', 6, 7), paper('robot', 7, 4), paper('robot', 8, 3)];
    writeDigest(s, '2026-03-02', day1);
    expect((await runCliAsync(['send', path.join(s.digests, 'digest-2026-03-02.json')], { env: s.env, cwd: s.dir })).code).toBe(0);
    writeDigest(s, '2026-03-03', day2);
    const day2File = path.join(s.digests, 'digest-2026-03-03.json');

    // 1. render, for one subscriber.
    const out = path.join(s.dir, 'render');
    const rendered = await runCliAsync(['render', day2File, '--out', out, '--subscriber', 'reader0@example.org'], { env: s.env, cwd: s.dir });
    expect(rendered.stderr).toBe('');
    const renderSubject = readFileSync(path.join(out, 'subject.txt'), 'utf8').trim();
    const renderText = readFileSync(path.join(out, 'email.txt'), 'utf8');

    // 2. The admin draft preview, over real HTTP.
    const server = await startWebServer(app, { port: 0, host: '127.0.0.1' });
    let adminPage: string;
    let adminList: string;
    try {
      adminList = await (await fetch(`${server.url}/admin`)).text();
      adminPage = await (await fetch(`${server.url}/admin/issues/2026-03-03`)).text();
    } finally {
      await server.close();
    }

    // 3. A dry run.
    const dry = await runCliAsync(['send', day2File, '--dry-run'], { env: s.env, cwd: s.dir });
    expect(dry.code).toBe(0);

    // 4. The send.
    const sent = await runCliAsync(['send', day2File], { env: s.env, cwd: s.dir });
    expect(sent.code).toBe(0);
    const box = path.join(s.dir, 'outbox', '2026-03-03');
    const eml = readdirSync(box).find((f) => f.endsWith('.eml') && f.includes('reader0'))!;
    const mail = await simpleParser(readFileSync(path.join(box, eml)));

    expect(mail.subject).toBe(renderSubject);
    expect(dry.stdout).toContain(`"${renderSubject}"`);
    expect(adminPage).toContain(renderSubject.replaceAll('&', '&amp;'));
    expect(mail.text!.trimEnd()).toBe(renderText.trimEnd());
    // The sections carry only the four new papers; the three repeats are under Still trending.
    const frozen = JSON.parse((await app.store().getIssue('2026-03-03'))!.frozen) as { paperCount: number; themes: { papers: unknown[] }[] };
    const carried = frozen.themes.reduce((n, t) => n + t.papers.length, 0);
    expect(carried).toBe(4);
    expect(renderText).toMatch(/STILL TRENDING/);
    // The admin list counted the draft as it went out (before it was sent).
    const draftRow = /<tr><td><a href="\/admin\/issues\/2026-03-03">[\s\S]*?<\/tr>/.exec(adminList)![0];
    expect([...draftRow.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([frozen.themes.length, 4]);
  });
});
