/**
 * The 64-bit capability set (PROTOCOL.md 4.3; https://developers.yubico.com/YubiHSM2/Concepts/Capability.html).
 * Names are yubihsm-shell's; python-yubihsm's differing names are accepted as aliases (PROTOCOL.md 10 #4).
 */
import { UsageError } from '../errors.js';
import { ObjectType } from './object-types.js';

export const capabilityBits = {
  'get-opaque': 0x00,
  'put-opaque': 0x01,
  'put-authentication-key': 0x02,
  'put-asymmetric-key': 0x03,
  'generate-asymmetric-key': 0x04,
  'sign-pkcs': 0x05,
  'sign-pss': 0x06,
  'sign-ecdsa': 0x07,
  'sign-eddsa': 0x08,
  'decrypt-pkcs': 0x09,
  'decrypt-oaep': 0x0a,
  'derive-ecdh': 0x0b,
  'export-wrapped': 0x0c,
  'import-wrapped': 0x0d,
  'put-wrap-key': 0x0e,
  'generate-wrap-key': 0x0f,
  'exportable-under-wrap': 0x10,
  'set-option': 0x11,
  'get-option': 0x12,
  'get-pseudo-random': 0x13,
  'put-mac-key': 0x14,
  'generate-hmac-key': 0x15,
  'sign-hmac': 0x16,
  'verify-hmac': 0x17,
  'get-log-entries': 0x18,
  'sign-ssh-certificate': 0x19,
  'get-template': 0x1a,
  'put-template': 0x1b,
  'reset-device': 0x1c,
  'decrypt-otp': 0x1d,
  'create-otp-aead': 0x1e,
  'randomize-otp-aead': 0x1f,
  'rewrap-from-otp-aead-key': 0x20,
  'rewrap-to-otp-aead-key': 0x21,
  'sign-attestation-certificate': 0x22,
  'put-otp-aead-key': 0x23,
  'generate-otp-aead-key': 0x24,
  'wrap-data': 0x25,
  'unwrap-data': 0x26,
  'delete-opaque': 0x27,
  'delete-authentication-key': 0x28,
  'delete-asymmetric-key': 0x29,
  'delete-wrap-key': 0x2a,
  'delete-hmac-key': 0x2b,
  'delete-template': 0x2c,
  'delete-otp-aead-key': 0x2d,
  'change-authentication-key': 0x2e,
  'put-symmetric-key': 0x2f,
  'generate-symmetric-key': 0x30,
  'delete-symmetric-key': 0x31,
  'decrypt-ecb': 0x32,
  'encrypt-ecb': 0x33,
  'decrypt-cbc': 0x34,
  'encrypt-cbc': 0x35,
  'put-public-wrap-key': 0x36,
  'delete-public-wrap-key': 0x37,
} as const;

export type CapabilityName = keyof typeof capabilityBits;

/** Other spellings seen upstream (python-yubihsm enum names, yubihsm.rs, older shell names). */
const aliases: Record<string, CapabilityName> = {
  'put-asymmetric': 'put-asymmetric-key',
  'put-hmac-key': 'put-mac-key',
  'put-option': 'set-option',
  'public-wrap-key-write': 'put-public-wrap-key',
  'public-wrap-key-delete': 'delete-public-wrap-key',
  'put-public-wrapkey': 'put-public-wrap-key',
  'delete-public-wrapkey': 'delete-public-wrap-key',
};

/** A capability set: a u64 bitmap. */
export type Capabilities = bigint;

export const NO_CAPABILITIES: Capabilities = 0n;
/** Every defined bit (bits 0x00-0x37), python's CAPABILITY.ALL. */
export const ALL_DEFINED_CAPABILITIES: Capabilities = 0x00ff_ffff_ffff_ffffn;
/** yubihsm-shell's keyword `all` sets every bit of the u64. */
export const ALL_BITS: Capabilities = 0xffff_ffff_ffff_ffffn;

/** The delete-<type> capability for each object type (DeleteObject, PROTOCOL.md 5.2). */
export const deleteCapability: Readonly<Record<number, CapabilityName>> = {
  [ObjectType.OPAQUE]: 'delete-opaque',
  [ObjectType.AUTHENTICATION_KEY]: 'delete-authentication-key',
  [ObjectType.ASYMMETRIC_KEY]: 'delete-asymmetric-key',
  [ObjectType.WRAP_KEY]: 'delete-wrap-key',
  [ObjectType.HMAC_KEY]: 'delete-hmac-key',
  [ObjectType.TEMPLATE]: 'delete-template',
  [ObjectType.OTP_AEAD_KEY]: 'delete-otp-aead-key',
  [ObjectType.SYMMETRIC_KEY]: 'delete-symmetric-key',
  [ObjectType.PUBLIC_WRAP_KEY]: 'delete-public-wrap-key',
};

export function capabilityMask(name: CapabilityName): Capabilities {
  return 1n << BigInt(capabilityBits[name]);
}

export function canonicalCapabilityName(name: string): CapabilityName | undefined {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  if (n in capabilityBits) return n as CapabilityName;
  return aliases[n];
}

/** Builds a set from names. */
export function capabilities(...names: CapabilityName[]): Capabilities {
  let v = 0n;
  for (const n of names) v |= capabilityMask(n);
  return v;
}

/**
 * Parses the shell syntax: comma/colon/space separated names, `all`, `none`, `0x...` or a decimal number.
 */
export function parseCapabilities(text: string): Capabilities {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'none' || t === '0') return 0n;
  if (/^0x[0-9a-f]{1,16}$/i.test(t)) return BigInt(t);
  if (/^[0-9]+$/.test(t)) {
    const v = BigInt(t);
    if (v > ALL_BITS) throw new UsageError('BAD_CAPABILITIES', `Capability number ${t} does not fit in 64 bits.`);
    return v;
  }
  let v = 0n;
  for (const part of t.split(/[\s,:]+/).filter(Boolean)) {
    if (part.toLowerCase() === 'all') {
      v |= ALL_BITS;
      continue;
    }
    const c = canonicalCapabilityName(part);
    if (!c) {
      throw new UsageError(
        'UNKNOWN_CAPABILITY',
        `Unknown capability "${part}"; use yubihsm-shell names such as sign-ecdsa, exportable-under-wrap, export-wrapped.`,
      );
    }
    v |= capabilityMask(c);
  }
  return v;
}

/** Names of the bits set, in bit order. Unassigned bits appear as `bit-0xNN`. */
export function capabilityNames(set: Capabilities): string[] {
  const out: string[] = [];
  const byBit = new Map<number, string>(Object.entries(capabilityBits).map(([k, b]) => [b, k]));
  for (let b = 0; b < 64; b++) {
    if ((set >> BigInt(b)) & 1n) out.push(byBit.get(b) ?? `bit-0x${b.toString(16).padStart(2, '0')}`);
  }
  return out;
}

export function formatCapabilities(set: Capabilities): string {
  const names = capabilityNames(set);
  return names.length ? names.join(',') : 'none';
}

export function hasAll(set: Capabilities, required: Capabilities): boolean {
  return (set & required) === required;
}

/** Bits in `required` that `set` lacks. */
export function missing(set: Capabilities, required: Capabilities): Capabilities {
  return required & ~set;
}
