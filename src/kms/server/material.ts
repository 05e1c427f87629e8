/**
 * Key material by key spec: what AWS_KMS-origin keys are generated with, and the checks imported material must pass
 * (KMS-SPEC 1.3 "plaintext format"): SYMMETRIC_DEFAULT exactly 32 bytes, HMAC within the spec's length range,
 * RSA/ECC a PKCS#8 private key of the spec's modulus size or curve.
 */
import { checkAsymmetricMaterial, generateAsymmetricMaterial, type AsymmetricKind } from '../../crypto/kms-key-material.js';
import { randomBytes } from '../../crypto/random.js';
import type { KeySpec } from '../model/enums.js';
import { keySpecs } from '../model/key-specs.js';

export function asymmetricKind(spec: KeySpec): AsymmetricKind | undefined {
  const info = keySpecs[spec];
  if (info.family === 'ecc' && info.curve) return { kind: 'ec', curve: info.curve };
  if (info.family === 'rsa' && info.rsaBits) return { kind: 'rsa', bits: info.rsaBits };
  return undefined;
}

/** Fresh material for an AWS_KMS-origin key of `spec`. */
export async function generateMaterial(spec: KeySpec): Promise<Uint8Array> {
  const info = keySpecs[spec];
  if (info.family === 'symmetric') return randomBytes(32);
  if (info.hmac) return randomBytes(info.hmac.bytes);
  const kind = asymmetricKind(spec);
  if (!kind) throw new Error(`No material generator for ${spec}.`);
  return generateAsymmetricMaterial(kind);
}

/** Why `material` cannot be `spec`'s key material, or undefined when it can. */
export function materialProblem(spec: KeySpec, material: Uint8Array): string | undefined {
  const info = keySpecs[spec];
  if (info.family === 'symmetric') {
    return material.length === 32 ? undefined : `it is ${material.length} bytes; SYMMETRIC_DEFAULT key material is exactly 32 bytes`;
  }
  if (info.hmac) {
    const { min, max } = info.hmac;
    return material.length >= min && material.length <= max
      ? undefined
      : `it is ${material.length} bytes; ${spec} key material is ${min} to ${max} bytes`;
  }
  const kind = asymmetricKind(spec);
  if (!kind) return `${spec} keys cannot be imported into this server`;
  const check = checkAsymmetricMaterial(material, kind);
  return check.ok ? undefined : check.reason;
}
