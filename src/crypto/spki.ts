/**
 * SubjectPublicKeyInfo (RFC 5280 4.1.2.7) <-> the YubiHSM GetPublicKey form (PROTOCOL.md 5.4, command 0x54):
 * RSA n (k bytes, e = 65537 implied) in rsaEncryption with NULL parameters (RFC 3279 2.3.1); EC X‖Y (2f bytes) as
 * an uncompressed point under id-ecPublicKey with the named-curve OID (RFC 5480); Ed25519 A (32 bytes) under
 * 1.3.101.112 without parameters (RFC 8410). Works for every curve (brainpool and P-224 included) because it
 * never goes through JWK. This is also the `PublicKey` of KMS GetPublicKey.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { algorithmName, ecCurves, isEcAlgorithm, isRsaAlgorithm, rsaSizes } from '../protocol/algorithms.js';
import { derBitString, derNull, derOid, derSequence, derUnsignedInteger, Tag } from './der.js';
import { derSequenceReader } from './der-reader.js';
import { pemDecode, pemEncode } from './pem.js';
import { bigIntToBytes, bytesToBigInt } from './ecdsa.js';
import {
  assertKeyAlgorithm,
  bitLength,
  ecAlgorithmForOid,
  ecUncompressedPoint,
  KeyMaterialError,
  publicKeyLength,
  RSA_PUBLIC_EXPONENT,
  rsaAlgorithmForBits,
  type KeyAlgorithm,
} from './key-material.js';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';

/** A public key as GetPublicKey returns it: algorithm and raw bytes (RSA n, EC X‖Y, Ed25519 A). */
export interface RawPublicKey {
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: Uint8Array;
}

function checkRawPublic(alg: KeyAlgorithm, publicKey: Uint8Array): void {
  const want = publicKeyLength(alg);
  if (publicKey.length !== want) {
    throw new KeyMaterialError('PUBLIC_KEY_LENGTH', `A ${algorithmName(alg)} public key is ${want} bytes, got ${publicKey.length}; check the key algorithm.`);
  }
  if (isRsaAlgorithm(alg) && bitLength(bytesToBigInt(publicKey)) !== 8 * rsaSizes[alg]) {
    throw new KeyMaterialError('RSA_MODULUS_SIZE', `The ${algorithmName(alg)} modulus does not have exactly ${8 * rsaSizes[alg]} bits.`);
  }
  if (isEcAlgorithm(alg)) ecUncompressedPoint(alg, Uint8Array.from([0x04, ...publicKey]));
}

/** DER SubjectPublicKeyInfo from the GetPublicKey form. */
export function encodeSpki(algorithm: number, publicKey: Uint8Array): Uint8Array {
  assertKeyAlgorithm(algorithm);
  checkRawPublic(algorithm, publicKey);
  if (isRsaAlgorithm(algorithm)) {
    const rsaPublicKey = derSequence(derUnsignedInteger(publicKey), derUnsignedInteger(Uint8Array.of(0x01, 0x00, 0x01)));
    return derSequence(derSequence(derOid(OID_RSA_ENCRYPTION), derNull()), derBitString(rsaPublicKey));
  }
  if (isEcAlgorithm(algorithm)) {
    return derSequence(
      derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(ecCurves[algorithm].oid)),
      derBitString(Uint8Array.from([0x04, ...publicKey])),
    );
  }
  return derSequence(derSequence(derOid(OID_ED25519)), derBitString(publicKey));
}

/**
 * Parses a DER SubjectPublicKeyInfo into the GetPublicKey form. Accepts RSA 2048/3072/4096 with e = 65537, the eight
 * YubiHSM curves (compressed points are expanded) and Ed25519; anything else is KeyMaterialError.
 */
export function parseSpki(der: Uint8Array): RawPublicKey {
  const what = 'SubjectPublicKeyInfo';
  const top = derSequenceReader(der, what);
  const algId = top.sequence('algorithm');
  const oid = algId.oid('algorithm OID');
  const bits = top.bitStringOctets('subjectPublicKey');
  top.end();
  if (oid === OID_RSA_ENCRYPTION) {
    algId.null('parameters');
    algId.end();
    const rsa = derSequenceReader(bits, 'RSAPublicKey');
    const n = bytesToBigInt(rsa.unsignedInteger('modulus'));
    const e = rsa.integer('publicExponent');
    rsa.end();
    const alg = rsaAlgorithmForBits(bitLength(n));
    if (alg === undefined) {
      throw new KeyMaterialError('UNSUPPORTED_RSA_SIZE', `RSA modulus of ${bitLength(n)} bits; a YubiHSM 2 holds RSA 2048, 3072 or 4096.`);
    }
    if (e !== RSA_PUBLIC_EXPONENT) {
      throw new KeyMaterialError('UNSUPPORTED_RSA_EXPONENT', `RSA public exponent ${e} is not supported; a YubiHSM 2 uses 65537 only.`);
    }
    return { algorithm: alg, publicKey: bigIntToBytes(n, rsaSizes[alg]) };
  }
  if (oid === OID_EC_PUBLIC_KEY) {
    if (algId.peekTag() !== Tag.OID) {
      throw new KeyMaterialError('EC_PARAMETERS_NOT_NAMED', `${what}: EC parameters must be a named-curve OID.`);
    }
    const curveOid = algId.oid('namedCurve');
    algId.end();
    const alg = ecAlgorithmForOid(curveOid);
    if (alg === undefined) throw new KeyMaterialError('UNSUPPORTED_CURVE', `Curve ${curveOid} is not one a YubiHSM 2 supports.`);
    return { algorithm: alg, publicKey: ecUncompressedPoint(alg, bits).slice(1) };
  }
  if (oid === OID_ED25519) {
    algId.end();
    if (bits.length !== 32) throw new KeyMaterialError('PUBLIC_KEY_LENGTH', `An Ed25519 public key is 32 bytes, got ${bits.length}.`);
    return { algorithm: 46, publicKey: bits.slice() };
  }
  throw new KeyMaterialError('UNSUPPORTED_KEY_TYPE', `Public key algorithm ${oid} is not RSA, EC or Ed25519.`);
}

export function spkiToPem(der: Uint8Array): string {
  return pemEncode('PUBLIC KEY', der);
}

export function spkiFromPem(text: string): Uint8Array {
  return pemDecode(text, 'PUBLIC KEY').der;
}

/** node KeyObject for the GetPublicKey form. */
export function publicKeyObjectFromRaw(algorithm: number, publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(encodeSpki(algorithm, publicKey)), format: 'der', type: 'spki' });
}

/** GetPublicKey form of a node public (or private) KeyObject. */
export function rawPublicFromKeyObject(key: KeyObject): RawPublicKey {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return parseSpki(new Uint8Array(pub.export({ format: 'der', type: 'spki' })));
}
