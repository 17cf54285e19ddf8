/**
 * A throwaway RSA key and self-signed X.509 certificate for the SNS signature tests. node:crypto
 * cannot issue certificates, so this runs the machine's `openssl` once per test file, in a
 * temporary directory that is removed again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Makes a 2048-bit RSA key and a certificate valid for two days from now, both PEM. */
export function makeTestCertificate(commonName = 'sns.test.invalid'): { keyPem: string; certPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'paperpost-sns-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', `/CN=${commonName}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'pipe' });
    return { keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'), certPem: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
