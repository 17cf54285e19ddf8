/**
 * The DKIM key check: the key published at `<selector>._domainkey.<domain>` must be the
 * public half of DKIM_PRIVATE_KEY_PATH's key, and long enough (1024 bits at least, 2048
 * advised). Rather than compare base64 by hand, it does what a receiver does: it signs a
 * probe message with the configured key (mailauth) and verifies it against DNS (mailauth),
 * so "ok" means a receiving server would accept paperpost's signatures.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { dkimSign, dkimVerify } from 'mailauth';
import type { CheckResult, Resolver } from './doctor-check.js';

export interface DkimSettings {
  domain: string;
  selector: string;
  /** The private key, PEM. Read by the caller; never printed. */
  privateKey: string;
}

/** The configured key's public half as a DNS record value, and its length in bits (0 for Ed25519). */
export function publicRecord(privateKey: string): { value: string; bits: number; type: string } {
  const priv = createPrivateKey(privateKey);
  const pub = createPublicKey(priv);
  const type = pub.asymmetricKeyType ?? 'rsa';
  const der = pub.export({ type: 'spki', format: 'der' });
  // Ed25519 keys are published as the bare 32 bytes (RFC 8463), RSA keys as the SPKI structure.
  const p = type === 'ed25519' ? der.subarray(der.length - 32).toString('base64') : der.toString('base64');
  return { value: `v=DKIM1; k=${type}; p=${p}`, bits: pub.asymmetricKeyDetails?.modulusLength ?? 0, type };
}

/** A short message with the headers paperpost signs, From at `fromDomain`. */
function probe(fromDomain: string): string {
  return [
    `From: paperpost doctor <postmaster@${fromDomain}>`,
    `To: postmaster@${fromDomain}`,
    'Subject: paperpost doctor DKIM probe',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <doctor.${Date.now()}@${fromDomain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'A probe signed with the configured key, verified against the published one.',
    '',
  ].join('\r\n');
}

/**
 * 1. The configured key: readable, RSA of 1024 bits or more (doctor-settings.ts has already
 *    refused, as `send` does, any key nodemailer cannot sign with, Ed25519 included).
 * 2. Sign the probe with it, verify against the resolver at 1024 bits minimum.
 * 3. One line: pass (2048 advised), no key, another key, a short key, or a DNS failure;
 *    the record to publish whenever DNS must change. `aligned` says whether the signature's
 *    domain can align DMARC for the From domain (decided by the DMARC check).
 */
export async function checkDkimKey(dkim: DkimSettings, fromDomain: string, resolver: Resolver): Promise<CheckResult & { passed: boolean }> {
  const at = `${dkim.selector}._domainkey.${dkim.domain}`;
  const name = 'DKIM';
  // 1.
  let key: ReturnType<typeof publicRecord>;
  try {
    key = publicRecord(dkim.privateKey);
  } catch {
    return { name, status: 'failure', passed: false, message: 'DKIM_PRIVATE_KEY_PATH does not hold a private key (PEM)' };
  }
  const publish = `${at} TXT "${key.value}"`;
  if (key.type === 'rsa' && key.bits < 1024) {
    return { name, status: 'failure', passed: false, message: `the configured key has ${key.bits} bits: receivers refuse keys under 1024 (generate a 2048-bit key: openssl genrsa 2048)` };
  }
  // 2.
  const message = probe(fromDomain);
  // mailauth 4.13 reads the keys from signatureData (its typings also list them at the top level).
  const signer = { signingDomain: dkim.domain, selector: dkim.selector, privateKey: dkim.privateKey };
  const signed = await dkimSign(message, { ...signer, canonicalization: 'relaxed/relaxed', signatureData: [signer] });
  if (signed.errors?.length) return { name, status: 'failure', passed: false, message: `cannot sign with the configured key: ${signed.errors[0]!.message}` };
  const verified = await dkimVerify(signed.signatures + message, { resolver: resolver as never, minBitLength: 1024 });
  const r = verified.results[0];
  const result = r?.status.result ?? 'none';
  const comment = r?.status.comment ?? '';
  // 3.
  if (result === 'pass') {
    const bits = (r as { modulusLength?: number }).modulusLength ?? key.bits;
    if (key.type === 'rsa' && bits < 2048) return { name, status: 'warning', passed: true, message: `${at} holds the configured key, ${bits} bits (2048 advised)` };
    return { name, status: 'ok', passed: true, message: `${at} holds the configured key${key.type === 'rsa' ? `, ${bits} bits` : ' (Ed25519)'}` };
  }
  if (result === 'policy') return { name, status: 'failure', passed: false, message: `${at} publishes a key shorter than 1024 bits, which receivers refuse`, publish };
  if (result === 'fail') return { name, status: 'failure', passed: false, message: `${at} publishes another key than the configured one (DKIM_PRIVATE_KEY_PATH)`, publish };
  if (comment === 'no key') return { name, status: 'failure', passed: false, message: `no DKIM key published at ${at}`, publish };
  if (result === 'temperror') return { name, status: 'failure', passed: false, message: `cannot look up ${at}: ${comment}` };
  return { name, status: 'failure', passed: false, message: `${at}: ${comment || result}`, publish };
}
