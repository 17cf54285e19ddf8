/**
 * The fast lane: a kept page is answered straight from the node:http request handler, before
 * the web framework turns the request into a Request, routes it and runs its middleware. On a
 * rush (every copy of an issue links to its web version) that framework work is most of a
 * request's cost, since the page itself was rendered once (create-page-cache.ts).
 *
 * Nothing here decides a header. The lane copies the framework's own 200 answer to a plain
 * GET (security headers, Cache-Control, ETag, type) and serves that copy only while the page
 * cache still keeps the very page the answer carried: a list page made again, an evicted
 * page, a page never kept (404s, /subscribe's private form, anything with a cookie) all go
 * through the framework as before.
 *
 * A route may also answer a page of its own here (`route`): /subscribe puts each visitor's
 * token into its cached shell. The lane gives it the headers of the framework's last 200
 * answer on that path, less the ones that are each visitor's own (ETag, Set-Cookie).
 *
 * 1. A GET or HEAD for a path without a query or escapes, with a copy noted for it.
 * 2. The page cache still keeps that page (fresh), or is making it again right now: then
 *    the copy is of the page before, served until the new one is noted.
 * 3. If-None-Match names its ETag: 304 with the same headers but the type, no body.
 * 4. Otherwise 200 with the headers and the bytes (HEAD: the headers only).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CachedPage, PageCache } from './create-page-cache.js';
import { matchesEtag } from './send-cached-page.js';

/** The framework's answer for a kept page, as the lane sends it again. */
interface KeptAnswer {
  page: CachedPage;
  /** Every header of the 200 but Content-Length, Date and the connection's own. */
  ok: OutgoingHttpHeaders;
  /** The same without Content-Type (what a 304 carries). */
  notModified: OutgoingHttpHeaders;
}

/**
 * A route's own answer in the lane: given the framework's headers for the path, it answers
 * and returns true, or returns false to leave the request to the framework.
 */
export type LaneRoute = (req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders) => boolean;

export interface FastLane {
  /** Answers the request from a noted copy when it can; false when the framework must. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** Notes the framework's `response` to `request`, when it is a kept page sent whole. */
  note(request: Request, response: Response): void;
  /** Lets `answer` take GET and HEAD requests for `path` once the framework has answered one. */
  route(path: string, answer: LaneRoute): void;
}

/** The headers of a framework answer, less those the server writes per response. */
function copyHeaders(response: Response, leaveOut: Set<string>): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of response.headers) if (!PER_RESPONSE.has(name) && !leaveOut.has(name)) headers[name] = value;
  return headers;
}
/** What a route's headers leave out: each visitor's own. */
const VISITOR_OWN = new Set(['etag', 'set-cookie']);
const NONE = new Set<string>();

/** Headers the server writes for each connection or response itself. */
const PER_RESPONSE = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
/** At most this many copies (the page cache's own bound applies too: a copy outlives no page). */
const MAX_ANSWERS = 1024;

/** The path of a request target the lane may answer, or null (a query, an escape, an absolute form). */
function plainPath(url: string | undefined): string | null {
  if (!url || url.charCodeAt(0) !== 47 /* / */ || url.includes('?') || url.includes('%')) return null;
  return url;
}

/** Creates the lane in front of `pages`. */
export function createFastLane(pages: PageCache): FastLane {
  const answers = new Map<string, KeptAnswer>();
  const routes = new Map<string, { answer: LaneRoute; headers: OutgoingHttpHeaders | null }>();
  return {
    serve(req, res) {
      // 1. Only plain reads of a path with a copy (or a route of its own, once it has headers).
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const path = plainPath(req.url);
      if (path === null) return false;
      const route = routes.get(path);
      if (route) return route.headers !== null && route.answer(req, res, route.headers);
      const answer = answers.get(path);
      if (!answer) return false;
      // 2. The copy stands only for the page the cache keeps now, or, while the page is
      //    being made again, for the one before it (as readers who asked a moment earlier got).
      const kept = pages.peek(path);
      if (kept !== answer.page && !(kept === undefined && pages.rendering(path))) return false;
      // 3. The reader has it.
      if (matchesEtag(req.headers['if-none-match'], answer.page.etag)) {
        res.writeHead(304, answer.notModified);
        res.end();
        return true;
      }
      // 4. The page.
      res.writeHead(200, { ...answer.ok, 'content-length': answer.page.bytes.byteLength });
      if (req.method === 'HEAD') res.end();
      else res.end(answer.page.bytes);
      return true;
    },
    note(request, response) {
      if (request.method !== 'GET' || response.status !== 200) return;
      const path = plainPath(request.url.slice(request.url.indexOf('/', request.url.indexOf('//') + 2)));
      if (path === null) return;
      const route = routes.get(path);
      if (route) {
        route.headers ??= copyHeaders(response, VISITOR_OWN);
        return;
      }
      const etag = response.headers.get('etag');
      if (!etag || response.headers.has('set-cookie') || request.headers.has('if-none-match')) return;
      const page = pages.peek(path);
      if (!page || page.etag !== etag || answers.get(path)?.page === page) return;
      const ok = copyHeaders(response, NONE);
      const { 'content-type': _type, ...notModified } = ok;
      answers.delete(path);
      answers.set(path, { page, ok, notModified });
      while (answers.size > MAX_ANSWERS) answers.delete(answers.keys().next().value!);
    },
    route(path, answer) {
      routes.set(path, { answer, headers: null });
    },
  };
}
