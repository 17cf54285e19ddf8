/**
 * The DKIM private key of DKIM_PRIVATE_KEY_PATH, read and parsed before anything is sent.
 * nodemailer's signer, handed something it cannot sign with (a file that is not a key, an
 * encrypted key, an Ed25519 key: it signs RSA only), sends every message unsigned without a
 * word. So every command that may send reads the key first, `send --dry-run` included, and a
 * key that will not sign stops it with one line, exit 2. The key itself is never printed.
 *
 * 1. Read the file (a missing or unreadable one is named with its error code).
 * 2. Parse it with node:crypto: a private key, not encrypted.
 * 3. RSA of 1024 bits or more (what nodemailer signs with, and what receivers accept).
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import type { Config } from './config.js';
import { ConfigError } from './errors.js';

/** Smallest RSA key receivers take a signature from (RFC 8301). */
const MIN_BITS = 1024;

/** The PEM text of the DKIM key at `keyPath`; a ConfigError when it cannot sign. */
export function readDkimKey(keyPath: string): string {
  // 1.
  let pem: string;
  try {
    pem = readFileSync(keyPath, 'utf8');
  } catch (e) {
    throw new ConfigError([`DKIM_PRIVATE_KEY_PATH cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (${keyPath})`]);
  }
  // 2.
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    const encrypted = (e as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE' || /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem);
    const why = encrypted ? 'it is encrypted; give the key without a passphrase' : 'it does not parse as a PEM private key';
    throw new ConfigError([`DKIM_PRIVATE_KEY_PATH (${keyPath}) is not a usable DKIM key: ${why}`], 'give an unencrypted RSA private key in PEM (openssl genrsa 2048); nothing was sent');
  }
  // 3.
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ConfigError([`DKIM_PRIVATE_KEY_PATH (${keyPath}) is a ${key.asymmetricKeyType ?? 'non-RSA'} key; paperpost signs with RSA only`], 'give an unencrypted RSA private key in PEM (openssl genrsa 2048); nothing was sent');
  }
  if (bits < MIN_BITS) {
    throw new ConfigError([`DKIM_PRIVATE_KEY_PATH (${keyPath}) is a ${bits}-bit RSA key; receivers ignore signatures under ${MIN_BITS} bits`], 'give an RSA key of 2048 bits (openssl genrsa 2048); nothing was sent');
  }
  return pem;
}

/** Reads DKIM_PRIVATE_KEY_PATH when DKIM is configured (see the file comment); nothing otherwise. */
export function requireDkimKey(config: Pick<Config, 'dkim'>): void {
  if (config.dkim) readDkimKey(config.dkim.privateKeyPath);
}
