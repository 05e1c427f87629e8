/**
 * Yubico OTP (PROTOCOL.md 5.6): OTP AEAD keys (type 7, algorithms 37/39/40) hold a nonce id (u32, little-endian
 * on the wire) and an AES key; material = nonce id (u32 LE) ‖ key. An AEAD is nonce(6) ‖ AES-CCM(credential key(16)
 * ‖ private id(6)) with an 8-byte tag under the CCM nonce nonce id (LE) ‖ nonce(6) ‖ 00 00 00 (the construction
 * python-yubihsm's device test decrypts). DecryptOtp opens the AEAD, AES-ECB-decrypts the OTP with the credential
 * key, checks the private id and the CRC-16 (residue 0xF0B8) and returns the counters; any mismatch is INVALID_OTP.
 */
import { aesEcbDecrypt } from '../../crypto/aes.js';
import { aesCcmDecrypt, aesCcmEncrypt, OTP_AEAD_TAG_LENGTH } from '../../crypto/aes-ccm.js';
import { aesKeySizes, type AlgorithmCode } from '../../protocol/algorithms.js';
import type { CapabilityName } from '../../protocol/capabilities.js';
import { createOtpAead } from '../../protocol/commands/create-otp-aead.js';
import { decryptOtp } from '../../protocol/commands/decrypt-otp.js';
import { generateOtpAeadKey } from '../../protocol/commands/generate-otp-aead-key.js';
import { putOtpAeadKey } from '../../protocol/commands/put-otp-aead-key.js';
import { randomizeOtpAead } from '../../protocol/commands/randomize-otp-aead.js';
import { rewrapOtpAead } from '../../protocol/commands/rewrap-otp-aead.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { precheckCreate, storeNew } from '../create.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth, type HandlerContext } from '../handler.js';
import { Origin, type SimObject } from '../state.js';

function material(nonceId: number, key: Uint8Array): Uint8Array {
  const m = new Uint8Array(4 + key.length);
  new DataView(m.buffer).setUint32(0, nonceId >>> 0, true);
  m.set(key, 4);
  return m;
}

function ccmNonce(otpKey: SimObject, nonce6: Uint8Array): Uint8Array {
  const n = new Uint8Array(13);
  n.set(otpKey.material.subarray(0, 4), 0);
  n.set(nonce6, 4);
  return n;
}

function seal(ctx: HandlerContext, otpKey: SimObject, credential: Uint8Array): Uint8Array {
  const nonce6 = ctx.device.random(6);
  const ct = aesCcmEncrypt(otpKey.material.subarray(4), ccmNonce(otpKey, nonce6), credential, OTP_AEAD_TAG_LENGTH);
  const out = new Uint8Array(36);
  out.set(nonce6, 0);
  out.set(ct, 6);
  return out;
}

function open(otpKey: SimObject, aead: Uint8Array, onFailure: number): Uint8Array {
  const pt = aesCcmDecrypt(otpKey.material.subarray(4), ccmNonce(otpKey, aead.subarray(0, 6)), aead.subarray(6), OTP_AEAD_TAG_LENGTH);
  if (!pt || pt.length !== 22) fail(onFailure, 'The AEAD does not open under this OTP AEAD key.');
  return pt;
}

function otpKeyFor(ctx: HandlerContext, id: number, cap: CapabilityName): SimObject {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.OTP_AEAD_KEY, id, cap);
  if (ctx.audit.target === 0xffff) ctx.audit.target = key.id;
  else ctx.audit.second = key.id;
  return key;
}

/** CRC-16 (ISO 13239, as in the Yubico OTP): over a valid token including its CRC the residue is 0xF0B8. */
function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const b of data) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

export const putOtpAeadKeyHandler = defineHandler(putOtpAeadKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.OTP_AEAD_KEY, q, 'put-otp-aead-key');
  const want = aesKeySizes[q.algorithm as AlgorithmCode] as number;
  if (q.key.length !== want) fail(E.WRONG_LENGTH, `The OTP AEAD key is ${q.key.length} bytes; algorithm ${q.algorithm} needs ${want}.`);
  return storeNew(ctx, ObjectType.OTP_AEAD_KEY, id, q, material(q.nonceId, q.key), Origin.IMPORTED).id;
});

export const generateOtpAeadKeyHandler = defineHandler(generateOtpAeadKey, (ctx, q) => {
  const id = precheckCreate(ctx, ObjectType.OTP_AEAD_KEY, q, 'generate-otp-aead-key');
  const key = ctx.device.random(aesKeySizes[q.algorithm as AlgorithmCode] as number);
  return storeNew(ctx, ObjectType.OTP_AEAD_KEY, id, q, material(q.nonceId, key), Origin.GENERATED).id;
});

export const createOtpAeadHandler = defineHandler(createOtpAead, (ctx, q) => {
  const key = otpKeyFor(ctx, q.keyId, 'create-otp-aead');
  return seal(ctx, key, new Uint8Array([...q.key, ...q.privateId]));
});

export const randomizeOtpAeadHandler = defineHandler(randomizeOtpAead, (ctx, id) => {
  const key = otpKeyFor(ctx, id, 'randomize-otp-aead');
  return seal(ctx, key, ctx.device.random(22));
});

export const rewrapOtpAeadHandler = defineHandler(rewrapOtpAead, (ctx, q) => {
  const from = otpKeyFor(ctx, q.fromKeyId, 'rewrap-from-otp-aead-key');
  const to = otpKeyFor(ctx, q.toKeyId, 'rewrap-to-otp-aead-key');
  const credential = open(from, q.aead, E.INVALID_DATA);
  try {
    return seal(ctx, to, credential);
  } finally {
    credential.fill(0);
  }
});

export const decryptOtpHandler = defineHandler(decryptOtp, (ctx, q) => {
  const key = otpKeyFor(ctx, q.keyId, 'decrypt-otp');
  const credential = open(key, q.aead, E.INVALID_OTP);
  const token = aesEcbDecrypt(credential.subarray(0, 16), q.otp);
  const idOk = Buffer.from(token.subarray(0, 6)).equals(Buffer.from(credential.subarray(16, 22)));
  credential.fill(0);
  if (!idOk || crc16(token) !== 0xf0b8) fail(E.INVALID_OTP, 'The OTP does not decrypt to a valid token for this credential.');
  return {
    useCounter: token[6] | (token[7] << 8),
    timestampLow: token[8] | (token[9] << 8),
    timestampHigh: token[10],
    sessionCounter: token[11],
  };
});
