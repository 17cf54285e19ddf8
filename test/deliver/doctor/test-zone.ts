/**
 * A DNS zone for doctor tests, served by an injected resolver (the same function mailauth
 * takes): records live in a map, anything else answers ENOTFOUND, so no test touches the
 * network. Also a certificate for the local relay and web server (openssl), trusted through
 * the doctor's `ca` option.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Resolver } from '../../../src/deliver/doctor/doctor-check.js';
import { publicRecord } from '../../../src/deliver/doctor/check-dkim-key.js';

export type Zone = Map<string, unknown[]>;

const key = (name: string, type: string) => `${name.toLowerCase()} ${type.toUpperCase()}`;

/** Resolver over `zone`; every lookup is recorded in `asked`. */
export function zoneResolver(zone: Zone, asked: string[] = []): Resolver {
  return async (name, type) => {
    asked.push(key(name, type));
    const rows = zone.get(key(name, type));
    if (!rows) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return rows;
  };
}

/** An RSA private key, PEM. */
export const rsaKey = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * The correctly set-up zone: example.org sends through relay.example.org (127.0.0.1), with
 * VERP bounces at bounces.example.org, DKIM selector `pp`, DMARC quarantine.
 */
export function goodZone(privateKey: string): Zone {
  return new Map<string, unknown[]>([
    [key('relay.example.org', 'A'), ['127.0.0.1']],
    [key('example.org', 'TXT'), [['v=spf1 ip4:127.0.0.1 -all']]],
    [key('bounces.example.org', 'TXT'), [['v=spf1 ip4:127.0.0.1 -all']]],
    [key('bounces.example.org', 'MX'), [{ exchange: 'mx.example.org', priority: 10 }]],
    [key('pp._domainkey.example.org', 'TXT'), [[publicRecord(privateKey).value]]],
    [key('_dmarc.example.org', 'TXT'), [['v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org']]],
  ]);
}

/** Sets (or with no rows, deletes) one record set. */
export function setRecord(zone: Zone, name: string, type: string, rows?: unknown[]): Zone {
  if (rows) zone.set(key(name, type), rows);
  else zone.delete(key(name, type));
  return zone;
}

/** A self-signed certificate for relay.example.org and localhost. */
export function testCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'pp-doctor-cert-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=relay.example.org',
    '-addext', 'subjectAltName=DNS:relay.example.org,DNS:localhost',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
}
