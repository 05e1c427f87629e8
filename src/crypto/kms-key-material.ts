/**
 * Checks that unwrapped asymmetric key material is what a KMS key spec needs (KMS-SPEC.md 1.3: an unencrypted DER
 * PKCS#8 PrivateKeyInfo of the right curve or modulus size, consistent with itself) and generates material for
 * AWS_KMS-origin keys. Strict structure and consistency come from pkcs8.ts (DER rules, embedded EC public key and
 * RSA CRT values must agree with the private key); curve and size from OpenSSL's own parse (asymmetricKeyDetails).
 * https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-get-public-key-and-token.html
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { Hsm2KmsError } from '../errors.js';
import { parsePkcs8 } from './pkcs8.js';
import { bufferView, takeBytes } from './owned-bytes.js';

export type EcCurve = 'prime256v1' | 'secp384r1' | 'secp521r1' | 'secp256k1';

export type AsymmetricKind = { kind: 'ec'; curve: EcCurve } | { kind: 'rsa'; bits: number };

export type MaterialCheck = { ok: true; spki: Uint8Array } | { ok: false; reason: string };

function describe(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return `an EC key on ${d.namedCurve ?? 'an unnamed curve'}`;
  if (key.asymmetricKeyType === 'rsa') return `an RSA ${d.modulusLength ?? '?'}-bit key`;
  return `a ${key.asymmetricKeyType ?? 'non-asymmetric'} key`;
}

function wanted(kind: AsymmetricKind): string {
  return kind.kind === 'ec' ? `an EC key on ${kind.curve}` : `an RSA ${kind.bits}-bit key`;
}

/** Checks `pkcs8` against the expected key kind; on success returns the SubjectPublicKeyInfo DER of its public key. */
export function checkAsymmetricMaterial(pkcs8: Uint8Array, expect: AsymmetricKind): MaterialCheck {
  try {
    parsePkcs8(pkcs8).material.fill(0);
  } catch (err) {
    const code = err instanceof Hsm2KmsError ? ` (${err.code})` : '';
    return { ok: false, reason: `it is not a valid, self-consistent DER PKCS#8 PrivateKeyInfo${code}` };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: bufferView(pkcs8), format: 'der', type: 'pkcs8' });
  } catch {
    return { ok: false, reason: 'OpenSSL cannot load it as a PKCS#8 private key' };
  }
  const d = key.asymmetricKeyDetails ?? {};
  const matches = expect.kind === 'ec'
    ? key.asymmetricKeyType === 'ec' && d.namedCurve === expect.curve
    : key.asymmetricKeyType === 'rsa' && d.modulusLength === expect.bits;
  if (!matches) return { ok: false, reason: `it is ${describe(key)}, but the KMS key spec needs ${wanted(expect)}` };
  return { ok: true, spki: new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' })) };
}

/** New private key material (PKCS#8 DER) for an AWS_KMS-origin asymmetric key. */
export function generateAsymmetricMaterial(kind: AsymmetricKind): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _pub: KeyObject, priv: KeyObject): void => {
      if (err) reject(err);
      else resolve(takeBytes(priv.export({ type: 'pkcs8', format: 'der' })));
    };
    if (kind.kind === 'ec') generateKeyPair('ec', { namedCurve: kind.curve }, done);
    else generateKeyPair('rsa', { modulusLength: kind.bits, publicExponent: 0x10001 }, done);
  });
}
