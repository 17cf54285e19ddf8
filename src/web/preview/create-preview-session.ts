/**
 * The state of one `paperpost preview`: the digest (read once), the issue compiled from the
 * templates and topic map as they are now, and who is told when that changes.
 *
 * 1. build: group the digest's papers (topics/, issue history applied), then compile the
 *    templates (render/); a save of a template recompiles only, a save of the topic map
 *    regroups first. Builds run one at a time; saves during a build make one more build.
 * 2. a template or topic map that does not compile is kept as the error of this build, with
 *    its file:line, and the last good issue stays on show; the server never stops for it.
 * 3. every build, good or bad, bumps the version and tells the listeners ('reload': the page
 *    fetches its panel and reloads the email frame).
 * 4. after the first build, MJML is loaded and run once on a scrap of MJML in the background:
 *    the first build usually comes from the compiled-template cache, and loading MJML is
 *    about a second of CPU, which the operator's first save would otherwise wait for.
 * 5. a copy for a chosen reader (preview-recipient.ts) is built into its message and checked
 *    (render/checks/); with --check-links its links are fetched, each distinct URL once per
 *    session, in the background, and the listeners are told when results come in ('panel').
 */
import path from 'node:path';
import type { App } from '../../app.js';
import { PaperpostError } from '../../errors.js';
import { buildCheckedCopy, type CheckedCopy } from '../../deliver/build-checked-copy.js';
import { fetchLinkStatuses, linkStatusProblems, type LinkStatus } from '../../deliver/check-link-status.js';
import { planIssue } from '../../issue/prepare-issue.js';
import type { IssueHistoryResult } from '../../issue/apply-issue-history.js';
import { redactSecrets } from '../../redact-secrets.js';
import { checkCopy } from '../../render/checks/check-copy.js';
import { sortProblems, type CheckProblem } from '../../render/checks/check-problem.js';
import { fetchableLinks } from '../../render/checks/list-copy-links.js';
import { compileIssue, type CompiledIssue } from '../../render/compile-issue.js';
import { runMjml } from '../../render/run-mjml.js';
import type { Digest } from '../../types.js';
import { previewRecipient } from './preview-recipient.js';
import type { PreviewChange } from './watch-preview-sources.js';

/** What listeners hear: a new build, or new link results for the panel. */
export type PreviewEvent = 'reload' | 'panel';

/** The copy the page shows for one reader, checked. */
export interface PreviewView {
  version: number;
  issueId: string | null;
  /** The build's error (file:line and what to do), or null. */
  error: string | null;
  /** True when `error` is set and an earlier good build is on show. */
  stale: boolean;
  who: string;
  notes: string[];
  /** Null when no build has succeeded yet, or the reader follows none of the issue's topics. */
  copy: CheckedCopy | null;
  problems: CheckProblem[];
  /** Whether links are fetched: off, some still being fetched, or all done. */
  linkCheck: 'off' | 'pending' | 'done';
  warnings: string[];
  buildMs: number;
}

/** A running preview's state. */
export interface PreviewSession {
  version(): number;
  /** The last build's error (file:line), or null when it compiled. */
  error(): string | null;
  /** Step 1: rebuild after a change (and tell the listeners). */
  rebuild(what: PreviewChange): Promise<void>;
  /** Step 4: the checked copy for `as` (an address; empty for the default reader). */
  view(as: string | undefined): Promise<PreviewView>;
  /** Listens for events; returns a function that stops listening. */
  listen(listener: (event: PreviewEvent, version: number) => void): () => void;
}

/** Options of a session. */
export interface PreviewSessionOptions {
  app: Pick<App, 'config' | 'store' | 'readerSignals' | 'topicMatcher'>;
  digest: Digest;
  /** The reader shown when the page names none (--subscriber). */
  defaultAs?: string;
  checkLinks?: boolean;
  /** Injected in tests that fake the internet. */
  fetch?: typeof fetch;
}

/** A build error as the page shows it: the message (with its file:line) and the hint, secrets masked. */
function describe(error: unknown): string {
  if (error instanceof PaperpostError) return redactSecrets(`${error.message}${error.hint ? ` (${error.hint})` : ''}`);
  return redactSecrets(`unexpected failure: ${(error as Error).message ?? String(error)}`);
}

/**
 * Step 4: MJML loaded and run a few times over a document of the elements the shipped
 * templates use (head, attributes, style, sections of text and raw HTML), so its code is warm
 * and the first save compiles about as fast as the later ones.
 */
async function warmUpMjml(filePath: string): Promise<void> {
  const section = '<mj-section><mj-column><mj-text><h2>Topic</h2><p>A paper, <a href="https://example.org">link</a>.</p></mj-text><mj-raw><p>raw</p></mj-raw></mj-column></mj-section>';
  const doc = `<mjml><mj-head><mj-title>t</mj-title><mj-preview>p</mj-preview><mj-attributes><mj-all font-family="Arial"/></mj-attributes><mj-style>.a{color:#111}</mj-style><mj-style inline="inline">.b{color:#222}</mj-style></mj-head><mj-body>${section.repeat(20)}</mj-body></mjml>`;
  try {
    for (let i = 0; i < 3; i++) {
      await runMjml(doc, { templateName: 'warm-up', filePath, cacheDir: null });
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch {
    // A failure here shows again, with its file and line, on the build that meets it.
  }
}

/** Creates the session and runs its first build. */
export async function createPreviewSession(o: PreviewSessionOptions): Promise<PreviewSession> {
  const { app, digest } = o;
  const c = app.config;
  const listeners = new Set<(event: PreviewEvent, version: number) => void>();
  let plan: IssueHistoryResult | null = null;
  let compiled: CompiledIssue | null = null;
  let error: string | null = null;
  let version = 0;
  let buildMs = 0;
  let running: Promise<void> | null = null;
  let queued: PreviewChange | null = null;
  const statuses = new Map<string, LinkStatus>();
  const fetching = new Set<string>();
  const emit = (event: PreviewEvent) => {
    for (const l of listeners) l(event, version);
  };

  // 1 to 3.
  const buildOnce = async (what: PreviewChange) => {
    const started = performance.now();
    try {
      if (what === 'topics' || !plan) plan = await planIssue(app, digest);
      compiled = await compileIssue(plan.themed, {
        templatesDir: c.templatesDir,
        publicUrl: c.publicUrl,
        maxPapers: c.maxPapers,
        stillTrending: plan.stillTrending,
        themeStatus: plan.themeStatus,
      });
      error = null;
    } catch (e) {
      if (what === 'topics') plan = null;
      error = describe(e);
    }
    buildMs = Math.round(performance.now() - started);
    version++;
    // Start on the default reader's copy while the page hears of the build and asks for it.
    void view(undefined).catch(() => undefined);
    emit('reload');
  };
  const rebuild = (what: PreviewChange): Promise<void> => {
    if (running) {
      queued = queued === 'topics' || what === 'topics' ? 'topics' : 'templates';
      return running;
    }
    running = (async () => {
      let next: PreviewChange | null = what;
      while (next) {
        await buildOnce(next);
        next = queued;
        queued = null;
      }
      running = null;
    })();
    return running;
  };

  // 5.
  const fetchLinks = (urls: string[]) => {
    const todo = urls.filter((u) => !statuses.has(u) && !fetching.has(u));
    if (todo.length === 0) return;
    for (const u of todo) fetching.add(u);
    void fetchLinkStatuses(todo, { timeoutMs: c.http.timeoutMs, fetch: o.fetch }).then((results) => {
      for (const r of results) {
        statuses.set(r.url, r);
        fetching.delete(r.url);
      }
      emit('panel');
    });
  };

  // The page asks for the panel and the frame of each build at once: one copy serves both.
  const views = new Map<string, { version: number; links: number; view: Promise<PreviewView> }>();
  const view = (as: string | undefined): Promise<PreviewView> => {
    const key = as ?? '';
    const hit = views.get(key);
    if (hit && hit.version === version && hit.links === statuses.size) return hit.view;
    if (views.size > 50) views.clear();
    const made = makeView(as);
    views.set(key, { version, links: statuses.size, view: made });
    return made;
  };
  const makeView = async (as: string | undefined): Promise<PreviewView> => {
    const head = { version, issueId: compiled?.id ?? null, error, stale: error !== null && compiled !== null, buildMs };
    if (!compiled) return { ...head, who: '', notes: [], copy: null, problems: [], linkCheck: o.checkLinks ? 'pending' : 'off', warnings: [] };
    // The reader's copy as a send makes it: their plan (picks, order) and feedback links.
    const who = await previewRecipient(app, compiled, as === undefined || as === '' ? o.defaultAs : as);
    const base = { ...head, who: who.who, notes: who.notes };
    const copy = buildCheckedCopy(c, compiled, who.recipient, who.subscriberId);
    if (!copy) {
      who.notes.push('This reader follows none of the issue\'s topics, so they get no email for it.');
      return { ...base, copy: null, problems: [], linkCheck: 'off', warnings: compiled.warnings };
    }
    let problems = checkCopy(copy.check);
    let linkCheck: PreviewView['linkCheck'] = 'off';
    if (o.checkLinks) {
      const urls = fetchableLinks(copy.check);
      fetchLinks(urls);
      const known = urls.map((u) => statuses.get(u)).filter((s): s is LinkStatus => s !== undefined);
      problems = sortProblems([...problems, ...linkStatusProblems(known)]);
      linkCheck = known.length === urls.length ? 'done' : 'pending';
    }
    return { ...base, copy, problems, linkCheck, warnings: compiled.warnings };
  };

  await rebuild('topics');
  // 4.
  // (MJML wants the path of an existing file: the layout's, as compileIssue gives it.)
  setImmediate(() => void warmUpMjml(path.join(c.templatesDir, 'issue.mjml.hbs')));
  return {
    version: () => version,
    error: () => error,
    rebuild,
    view,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
