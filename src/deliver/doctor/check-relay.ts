/**
 * The relay, in a real SMTP conversation as paperpost's sender holds it (nodemailer's
 * SMTPConnection): it must greet, answer EHLO, protect the session with STARTTLS (or implicit
 * TLS on smtps://), and, when SMTP_URL carries a user, advertise AUTH and accept the login.
 * The session ends with QUIT; no mail is sent. The password is used, never printed.
 */
import { isIP } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { CheckResult } from './doctor-check.js';

export interface RelaySettings {
  /** SMTP_URL as configured (smtp:// or smtps://, user and password optional). */
  smtpUrl: string;
  /** An address to connect to instead of the URL's host (the one the doctor resolved); TLS still names the host. */
  connectTo?: string;
  timeoutMs?: number;
  /** Extra trusted certificate authorities (tests: the local relay's own certificate). */
  ca?: string | Buffer;
}

type Conn = SMTPConnection & { secure?: boolean; _supportedAuth?: string[]; _socket?: { getProtocol?: () => string | null } };

/**
 * 1. Connect: implicit TLS for smtps://, plain then STARTTLS (nodemailer upgrades whenever the
 *    server offers it) for smtp://. The certificate is checked unless the URL says
 *    tls_reject_unauthorized=false, as the sender does.
 * 2. TLS: in use, or a failure.
 * 3. AUTH: advertised and accepted when a user is configured.
 * 4. QUIT.
 */
export async function checkRelay(settings: RelaySettings): Promise<CheckResult> {
  const url = new URL(settings.smtpUrl);
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const bare = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const where = `${url.hostname}:${port}`;
  const name = 'relay';
  const unverified = url.searchParams.get('tls_reject_unauthorized') === 'false';
  const timeout = settings.timeoutMs ?? 15_000;
  // 1.
  const conn = new SMTPConnection({
    host: settings.connectTo ?? bare,
    port,
    secure,
    // TLS names the relay, not the address connected to (an IP is no server name).
    ...(isIP(bare) ? {} : { servername: bare }),
    tls: unverified ? { rejectUnauthorized: false } : settings.ca ? { ca: settings.ca } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
  } as SMTPConnection.Options) as Conn;
  conn.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      conn.once('error', reject);
      conn.connect(() => resolve());
    });
    // 2.
    if (!conn.secure) {
      return { name, status: 'failure', message: `${where} answers EHLO but offers no STARTTLS: mail and credentials would cross in clear (use a port with STARTTLS, or smtps://)` };
    }
    const protocol = conn._socket?.getProtocol?.() ?? 'TLS';
    const tlsText = `${secure ? 'implicit TLS' : 'STARTTLS'} (${protocol}${unverified ? ', certificate not verified' : ''})`;
    // 3.
    let authText = 'no AUTH configured';
    if (url.username) {
      const methods = conn._supportedAuth ?? [];
      if (!methods.length) return { name, status: 'failure', message: `${where} answers EHLO with ${tlsText} but advertises no AUTH, and SMTP_URL has a user` };
      try {
        await new Promise<void>((resolve, reject) => {
          conn.login({ user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }, (e) => (e ? reject(e) : resolve()));
        });
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        return { name, status: 'failure', message: `${where} refuses the login of SMTP_URL's user${code ? ` (${code})` : ''}: check the user and password` };
      }
      authText = `AUTH ${methods.join('/')} accepted`;
    }
    const line = `${where} answers EHLO with ${tlsText}, ${authText}`;
    return unverified ? { name, status: 'warning', message: `${line}: remove tls_reject_unauthorized=false once the relay has a valid certificate` } : { name, status: 'ok', message: line };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const why = err.code === 'ETLS' || /certificate|self.signed|TLS|SSL/i.test(err.message ?? '') ? `TLS failed: ${err.message}` : (err.message ?? String(e));
    return { name, status: 'failure', message: `cannot talk to the relay ${where}: ${why}` };
  } finally {
    // 4.
    try {
      conn.quit();
    } catch {
      conn.close();
    }
  }
}
