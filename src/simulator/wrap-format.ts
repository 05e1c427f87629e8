/**
 * Whole objects under wrap: the bodies of PROTOCOL.md 5.5 (ExportWrapped 0x4A / ImportWrapped 0x4B, and, as
 * the simulator's own record, ExportRsaWrapped 0x76 / ImportRsaWrapped 0x77), and restoring an object from one.
 *
 *   documented (yubihsm-wrap layout)        authentication key 38, AES wrap key, RSA, EC, Ed25519 (format 0),
 *                                           HMAC, opaque, template
 *   simulator's own [U: not documented]     P-256 authentication key 49: delegated(8) ‖ X ‖ Y;
 *                                           RSA wrap key: delegated(8) ‖ RSA body; public wrap key: delegated(8) ‖ n;
 *                                           OTP AEAD key: nonce id(4) ‖ key; symmetric key: the key;
 *                                           Ed25519 format 1 ("keep the seed"): s ‖ prefix ‖ A ‖ seed(32)
 *
 * An Ed25519 key restored from a format-0 body has no seed: it is stored as the 96-byte expanded key, signs
 * with it, and cannot be exported as PKCS#8 (GetRsaWrappedKey answers INVALID_DATA for it).
 */
import {
  aesWrapKeyBody, asymmetricKeyBody, authKeyBody, delegatedOf, ecMaterialFromBody, ed25519KeyBody, hmacKeyBody,
  hmacKeyFromBody, parseAesWrapKeyBody, parseAuthKeyBody, parseEd25519Body, rsaKeyBody, rsaMaterialFromBody, withDelegated,
} from '../crypto/wrap-body.js';
import { checkKeyMaterial } from '../crypto/key-material.js';
import { encodeSpki } from '../crypto/spki.js';
import { Algorithm, aesKeySizes, isEcAlgorithm, isRsaAlgorithm, rsaSizes, validKeyAlgorithmsFor, type AlgorithmCode } from '../protocol/algorithms.js';
import { concat } from '../protocol/bytes.js';
import { decodeWrappedObject, encodeWrappedObject } from '../protocol/wrapped-object.js';
import { ObjectType } from '../protocol/object-types.js';
import { checkImport, type SessionAuth } from './access.js';
import { E, fail } from './fail.js';
import type { HandlerContext } from './handler.js';
import { bodyLength, objectLength } from './objects.js';
import { Origin, type SimObject } from './state.js';
import { allocateId, checkRoom, insertObject } from './store.js';

export const ED25519_EXPANDED_LENGTH = 96;

/** Body of `o` for a wrap; `keepSeed` is ExportWrapped format 1. */
export function wrapBodyOf(o: SimObject, keepSeed = false): Uint8Array {
  switch (o.type) {
    case ObjectType.AUTHENTICATION_KEY:
      return o.algorithm === Algorithm.AES128_YUBICO_AUTHENTICATION
        ? authKeyBody(o.delegated, o.material.subarray(0, 16), o.material.subarray(16, 32))
        : withDelegated(o.delegated, o.material);
    case ObjectType.ASYMMETRIC_KEY:
      if (o.algorithm === Algorithm.EC_ED25519) {
        if (o.material.length === ED25519_EXPANDED_LENGTH) return o.material.slice();
        const body = ed25519KeyBody(o.material);
        return keepSeed ? concat(body, o.material) : body;
      }
      return asymmetricKeyBody(o.algorithm, o.material);
    case ObjectType.WRAP_KEY:
      return isRsaAlgorithm(o.algorithm) ? withDelegated(o.delegated, rsaKeyBody(o.algorithm, o.material)) : aesWrapKeyBody(o.delegated, o.material);
    case ObjectType.HMAC_KEY:
      return hmacKeyBody(o.algorithm, o.material);
    case ObjectType.PUBLIC_WRAP_KEY:
      return withDelegated(o.delegated, o.material);
    default:
      return o.material.slice();
  }
}

/** Material and delegated capabilities of an object from its wrap body; INVALID_DATA when inconsistent. */
export function objectFromWrapBody(type: number, algorithm: number, body: Uint8Array): { material: Uint8Array; delegated: bigint } {
  const needs = (n: number): void => {
    if (body.length !== n) fail(E.INVALID_DATA, `The wrapped body is ${body.length} bytes; this object needs ${n}.`);
  };
  switch (type) {
    case ObjectType.AUTHENTICATION_KEY: {
      if (algorithm === Algorithm.AES128_YUBICO_AUTHENTICATION) {
        const a = parseAuthKeyBody(body);
        return { material: concat(a.encKey, a.macKey), delegated: a.delegated };
      }
      needs(72);
      encodeSpki(Algorithm.EC_P256, body.subarray(8)); // the point must be on P-256
      return { material: body.slice(8), delegated: delegatedOf(body) };
    }
    case ObjectType.ASYMMETRIC_KEY: {
      if (isRsaAlgorithm(algorithm)) return { material: rsaMaterialFromBody(algorithm, body), delegated: 0n };
      if (isEcAlgorithm(algorithm)) return { material: ecMaterialFromBody(algorithm, body), delegated: 0n };
      if (body.length === ED25519_EXPANDED_LENGTH + 32) {
        const seed = body.slice(ED25519_EXPANDED_LENGTH);
        checkKeyMaterial(Algorithm.EC_ED25519, seed);
        if (!Buffer.from(ed25519KeyBody(seed)).equals(Buffer.from(body.subarray(0, ED25519_EXPANDED_LENGTH)))) {
          fail(E.INVALID_DATA, 'The wrapped Ed25519 seed does not match its expanded key.');
        }
        return { material: seed, delegated: 0n };
      }
      parseEd25519Body(body);
      return { material: body.slice(), delegated: 0n };
    }
    case ObjectType.WRAP_KEY: {
      if (isRsaAlgorithm(algorithm)) {
        needs(8 + 3.5 * rsaSizes[algorithm]);
        return { material: rsaMaterialFromBody(algorithm, body.subarray(8)), delegated: delegatedOf(body) };
      }
      const w = parseAesWrapKeyBody(algorithm, body);
      return { material: w.key, delegated: w.delegated };
    }
    case ObjectType.HMAC_KEY:
      return { material: hmacKeyFromBody(algorithm, body), delegated: 0n };
    case ObjectType.PUBLIC_WRAP_KEY: {
      needs(8 + rsaSizes[algorithm as 9 | 10 | 11]);
      encodeSpki(algorithm, body.subarray(8));
      return { material: body.slice(8), delegated: delegatedOf(body) };
    }
    case ObjectType.OTP_AEAD_KEY:
      needs(4 + (aesKeySizes[algorithm as AlgorithmCode] as number));
      return { material: body.slice(), delegated: 0n };
    case ObjectType.SYMMETRIC_KEY:
      needs(aesKeySizes[algorithm as AlgorithmCode] as number);
      return { material: body.slice(), delegated: 0n };
    default:
      if (body.length < 1) fail(E.INVALID_DATA, 'An opaque object or template is at least one byte.');
      return { material: body.slice(), delegated: 0n };
  }
}

/** Header ‖ body plaintext of a wrapped object (`wrapAlgorithm` 29/41/42). */
export function wrappedObjectPlaintext(o: SimObject, wrapAlgorithm: number, keepSeed = false): Uint8Array {
  return encodeWrappedObject(
    {
      wrapAlgorithm, capabilities: o.capabilities, id: o.id, domains: o.domains, type: o.type,
      algorithm: o.algorithm, sequence: o.sequence, origin: o.origin, label: o.label,
    },
    wrapBodyOf(o, keepSeed),
  );
}

/**
 * Restores an object from decrypted header ‖ body (PROTOCOL.md 4.4 rule 7): valid type and algorithm,
 * capabilities within the wrap key's delegated set, (type, id) free. Keeps id, label and capabilities; the
 * domains are those of the blob that the wrap key also has (yubihsm-shell's wrapped_tests.sh imports an
 * all-domain object under a domain-2 wrap key and expects domain 2; an empty intersection is refused [I]);
 * origin gets 0x10. The sequence is the device's next one for (type, id), as for any other new object: the blob's
 * is not kept (yubihsm-shell's test_wrapkey.sh expects generate (0), export, delete, import to read sequence 1).
 * Returns (type, id).
 */
export function restoreWrappedObject(ctx: HandlerContext, auth: SessionAuth, wrapKey: SimObject, plaintext: Uint8Array, wrapAlgorithm?: number): { type: number; id: number } {
  const { header, body } = decodeWrappedObject(plaintext);
  if (wrapAlgorithm !== undefined && header.wrapAlgorithm !== wrapAlgorithm) fail(E.INVALID_DATA, 'The object was wrapped with another kind of wrap key.');
  if (!validKeyAlgorithmsFor(header.type).includes(header.algorithm)) fail(E.INVALID_DATA, 'The wrapped object has an invalid type or algorithm.');
  if (header.id === 0 || header.id === 0xffff) fail(E.INVALID_ID, `Object id 0x${header.id.toString(16)} is reserved.`);
  if (header.domains === 0) fail(E.INVALID_DATA, 'The wrapped object has no domain.');
  const domains = header.domains & wrapKey.domains;
  if (domains === 0) {
    const key = `wrap key 0x${wrapKey.id.toString(16).padStart(4, '0')}`;
    fail(E.INSUFFICIENT_PERMISSIONS, `The wrapped object shares no domain with ${key}; import it with a wrap key in one of its domains.`);
  }
  checkImport(ctx.contents, auth, wrapKey, header);
  const { material, delegated } = objectFromWrapBody(header.type, header.algorithm, body);
  body.fill(0);
  const id = allocateId(ctx.contents, header.type, header.id);
  checkRoom(ctx.contents, bodyLength(header.type, header.algorithm, material), objectLength);
  insertObject(
    ctx.contents,
    {
      type: header.type, id, algorithm: header.algorithm, label: header.label, domains,
      capabilities: header.capabilities, delegated, origin: header.origin | Origin.WRAPPED, material,
    },
  );
  ctx.audit.target = id;
  ctx.changed();
  return { type: header.type, id };
}

