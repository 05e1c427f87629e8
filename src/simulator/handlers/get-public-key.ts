/**
 * Get Public Key 0x54 (no capability): algorithm ‖ public key of an asymmetric key (type 3, the default), or
 * (firmware 2.4, 3-byte request) of an RSA wrap key (type 4) or public wrap key (type 9): RSA n, EC X‖Y,
 * Ed25519 A. Any other type, an AES wrap key and an asymmetric authentication key are INVALID_DATA [I].
 */
import { isRsaAlgorithm } from '../../protocol/algorithms.js';
import { getPublicKey } from '../../protocol/commands/get-public-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { rawPublicOf } from '../objects.js';

const PUBLIC_KEY_TYPES: readonly number[] = [ObjectType.ASYMMETRIC_KEY, ObjectType.WRAP_KEY, ObjectType.PUBLIC_WRAP_KEY];

export const getPublicKeyHandler = defineHandler(getPublicKey, (ctx, q) => {
  const type = q.type ?? ObjectType.ASYMMETRIC_KEY;
  if (!PUBLIC_KEY_TYPES.includes(type)) fail(E.INVALID_DATA, `Objects of type 0x${type.toString(16)} have no public key to read.`);
  const o = findVisible(ctx.contents, sessionAuth(ctx), type, q.keyId);
  if (type === ObjectType.WRAP_KEY && !isRsaAlgorithm(o.algorithm)) fail(E.INVALID_DATA, 'An AES wrap key has no public key.');
  ctx.audit.target = o.id;
  return { algorithm: o.algorithm, publicKey: rawPublicOf(o) };
});
