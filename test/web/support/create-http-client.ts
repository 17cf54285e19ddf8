/**
 * A tiny browser stand-in for HTTP tests: fetch with a cookie jar, no automatic redirects,
 * and helpers to read a form's CSRF field and post forms.
 */
export interface HttpClient {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, fields: Record<string, string | string[]> | string, headers?: Record<string, string>): Promise<Response>;
  cookies: Map<string, string>;
}

export function createHttpClient(base: string): HttpClient {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  };
  const cookieHeader = (): Record<string, string> =>
    cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  return {
    cookies,
    async get(path, headers = {}) {
      return remember(await fetch(base + path, { redirect: 'manual', headers: { ...cookieHeader(), ...headers } }));
    },
    async post(path, fields, headers = {}) {
      let body: string;
      if (typeof fields === 'string') {
        body = fields;
      } else {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
        body = params.toString();
      }
      return remember(
        await fetch(base + path, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...cookieHeader(), ...headers },
          body,
        }),
      );
    },
  };
}

/** The value of the hidden csrf field in a page (the first form's, or the one posting to `action`). */
export function csrfIn(html: string, action?: string): string {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = action ? forms.find((f) => f[1] === action) : forms.find((f) => /name="csrf"/.test(f[2]!));
  const m = form ? /name="csrf" value="([^"]+)"/.exec(form[2]!) : null;
  if (!m) throw new Error(`no csrf field${action ? ` in the form posting to ${action}` : ''}`);
  return m[1]!;
}
