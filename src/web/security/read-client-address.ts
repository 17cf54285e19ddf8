/**
 * The client address of a request: the one place the rate limits, the login limit and the
 * admin pages' loopback check get it from.
 *
 * Without TRUST_PROXY it is the socket's peer, and X-Forwarded-For and Forwarded are ignored
 * entirely, so a client cannot choose its address. With TRUST_PROXY, proxy-addr walks
 * X-Forwarded-For from the socket's peer back through the trusted proxies (a hop count, or
 * addresses and ranges) to the first address that is not one of them. The RFC 7239
 * Forwarded header (its for= nodes) is walked the same way. A proxy manages one of the two
 * headers and passes the other on from the client untouched, so neither may decide alone:
 * when a request carries both and they name different clients, the client is "unknown" (one
 * shared rate-limit key, and never this machine).
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../../config.js';

/** The address of a request that came through no socket (the app's fetch called in-process). */
export const IN_PROCESS = 'in-process';

/** A function from request to client address, for the proxies `trustProxy` trusts (none when undefined). */
export function createClientAddressReader(trustProxy: TrustProxy | undefined): (c: Context) => string {
  const socketAddress = (c: Context) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? IN_PROCESS;
  if (trustProxy === undefined) return socketAddress;
  const trust = typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : proxyaddr.compile(trustProxy);

  return (c) => {
    const socket = socketAddress(c);
    if (socket === IN_PROCESS) return socket;
    // proxy-addr reads a request's X-Forwarded-For; each header's list is handed to it as one.
    const walk = (list: string) => proxyaddr({ headers: { 'x-forwarded-for': list }, socket: { remoteAddress: socket } } as unknown as IncomingMessage, trust);
    const xff = c.req.header('x-forwarded-for');
    const forwarded = c.req.header('forwarded');
    const fromXff = xff === undefined ? null : walk(xff);
    let fromForwarded: string | null = null;
    if (forwarded !== undefined) {
      // Elements are comma-separated, their pairs ;-separated; values may be quoted strings.
      // A node is an IPv4 address, a bracketed IPv6 one, either with a port, or an
      // obfuscated name ("unknown", "_hidden"), which is kept as it is.
      const nodes = (forwarded.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []).map((element) => {
        const value = /(?:^|;)\s*for\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/i.exec(element.trim())?.[1] ?? 'unknown';
        const node = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
        const address = /^\[([^\]]*)\]/.exec(node)?.[1] ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(node)?.[1] ?? node;
        return address.includes(',') ? 'unknown' : address;
      });
      fromForwarded = walk(nodes.join(','));
    }
    if (fromXff !== null && fromForwarded !== null && fromXff.toLowerCase() !== fromForwarded.toLowerCase()) return 'unknown';
    return fromXff ?? fromForwarded ?? socket;
  };
}
