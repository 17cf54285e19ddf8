/**
 * Secrets never print. Passwords in URLs (SMTP_URL, DATABASE_URL, BOUNCE_IMAP_URL, any URL
 * in a message), SECRET_KEY, ADMIN_TOKEN and the DKIM key stay out of every error, log line
 * and page: whatever reaches a person goes through redactSecrets first.
 */

/** Variables whose values are secrets in full. */
const SECRET_VARIABLES = ['SECRET_KEY', 'ADMIN_TOKEN', 'DKIM_PRIVATE_KEY', 'POSTMARK_WEBHOOK_PASSWORD', 'POSTMARK_WEBHOOK_TOKEN', 'MAILGUN_WEBHOOK_SIGNING_KEY'];
/** Variables holding URLs whose password part is a secret. */
const URL_VARIABLES = ['SMTP_URL', 'DATABASE_URL', 'BOUNCE_IMAP_URL'];

/** A password that no message would hold as a word: 16 characters or more, or 8 or more that are not all letters. */
const looksSecret = (password: string) => password.length >= 16 || (password.length >= 8 && !/^[a-z]+$/i.test(password));

/** The secret strings a process knows from its environment: secrets in full, and URL passwords (as written and decoded). */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  const found: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const v = env[name]?.trim();
    if (v) found.push(v);
  }
  for (const name of URL_VARIABLES) {
    // SMTP_URL may list several relays, each with its own password. A password runs from the
    // first ":" of the user part to the last "@" before the host, whatever it holds: written
    // with "#", "/", "?" or a space (not percent-encoded) it makes the URL invalid, and the
    // error that quotes the value must still mask it.
    const value = env[name]?.trim() ?? '';
    for (const item of name === 'SMTP_URL' ? value.split(',') : [value]) {
      const userinfo = /^\s*[a-z][a-z0-9+.-]*:\/\/(.*)@[^@]*$/is.exec(item)?.[1];
      const colon = userinfo?.indexOf(':') ?? -1;
      if (userinfo === undefined || colon < 0 || colon === userinfo.length - 1) continue;
      const password = userinfo.slice(colon + 1);
      const forms = [password];
      try {
        forms.push(decodeURIComponent(password));
      } catch {
        // A malformed escape: the raw form is masked already.
      }
      // Inside a URL a password is always masked (redactSecrets' pattern). Alone in a text it is
      // masked only when it cannot be an ordinary word: masking every "paperpost" of a message
      // because that is a test database's password garbles the message and shows the password.
      // One the pattern cannot see (it holds "#", "/", "?", a space or a quote) is masked alone always.
      found.push(...forms.filter((f) => looksSecret(f) || /[/?#\s"'<>]/.test(f)));
    }
  }
  // Short values would mask ordinary words; paperpost's own secrets are at least 16 characters.
  return [...new Set(found.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
}

/** `text` with the password of every URL in it masked, and every one of `secrets` replaced by ***. */
export function redactSecrets(text: string, secrets: readonly string[] = secretsIn(process.env)): string {
  // PASSWORD itself is the placeholder of paperpost's own help ("smtp://USER:PASSWORD@HOST:PORT"), not a secret.
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^:/?#@\s"'<>]*):([^@/?#\s"'<>]*)@/gi, (m, scheme: string, user: string, pass: string) =>
    pass === 'PASSWORD' ? m : `${scheme}${user}:***@`,
  );
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
