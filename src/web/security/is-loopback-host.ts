/**
 * Whether a host name or address stays on this machine. The admin pages are open without
 * ADMIN_TOKEN only when the server is bound to such an address; the decision is made on the
 * bind address, never on anything a client sends (X-Forwarded-For, Host).
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * True for 127.0.0.0/8, ::1 (with or without brackets), an IPv4-mapped 127.x address, and
 * `localhost` (and `*.localhost`, which resolvers must keep on the loopback interface).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.split('.')[0] === '127';
  if (isIPv6(h)) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^(?:::|(?:0{1,4}:){5})ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && isIPv4(mapped[1]!) && mapped[1]!.split('.')[0] === '127';
  }
  return false;
}
