/**
 * PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958) for the key material a YubiHSM 2 exports with GetRsaWrappedKey
 * (0x74) and imports with PutRsaWrappedKey (0x75): PROTOCOL.md 6.2.
 *
 * Encoding follows 6.2 exactly:
 *  - RSA: rsaEncryption with NULL parameters; PKCS#1 RSAPrivateKey version 0 with n, e = 65537, d, p, q, dP, dQ, qInv
 *    (d = e⁻¹ mod lcm(p−1, q−1), as OpenSSL computes it).
 *  - EC: id-ecPublicKey with the named-curve OID; RFC 5915 ECPrivateKey version 1, privateKey of exactly f bytes,
 *    no [0] parameters and with [1] publicKey by default: the OpenSSL form (138 bytes for P-256).
 *  - Ed25519: RFC 8410, 1.3.101.112 without parameters, OCTET STRING wrapping OCTET STRING(32-byte seed).
 * Parsing accepts all four EC variants (with/without [0] and [1]), PKCS#8 attributes, and RFC 5958 version 1 with a
 * publicKey; embedded public keys and CRT values must agree with the private key.
 */
import { algorithmName, ecCurves, isEcAlgorithm, isRsaAlgorithm } from '../protocol/algorithms.js';
import {
  contextTag,
  DerError,
  derBitString,
  derExplicit,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  Tag,
} from './der.js';
import { derDecode, derSequenceReader } from './der-reader.js';
import { pemDecode, pemEncode } from './pem.js';
import { bytesToBigInt } from './ecdsa.js';
import {
  assertKeyAlgorithm,
  bitLength,
  checkEcScalar,
  ecAlgorithmForOid,
  ecPublicXY,
  ecUncompressedPoint,
  ed25519PublicFromSeed,
  KeyMaterialError,
  RSA_PUBLIC_EXPONENT,
  rsaAlgorithmForBits,
  rsaMaterialFromPrimes,
  rsaPartsFromMaterial,
  rsaPartsFromPrimes,
  type KeyAlgorithm,
  type RsaKeyParts,
} from './key-material.js';
import { OID_EC_PUBLIC_KEY, OID_ED25519, OID_RSA_ENCRYPTION } from './spki.js';

/** Raw private key material as the device stores it (RSA p‖q, EC d, Ed25519 seed) and its algorithm. */
export interface RawPrivateKey {
  readonly algorithm: KeyAlgorithm;
  readonly material: Uint8Array;
}

/** Optional ECPrivateKey fields. Defaults: the OpenSSL form (no [0], with [1]). */
export interface EcPkcs8Options {
  /** Include `[0] parameters` (the named-curve OID again). Default false. */
  readonly parameters?: boolean;
  /** Include `[1] publicKey` (uncompressed point). Default true. */
  readonly publicKey?: boolean;
}

/** PKCS#1 RSAPrivateKey (RFC 8017 A.1.2), two-prime, version 0. */
export function encodeRsaPrivateKey(parts: RsaKeyParts): Uint8Array {
  return derSequence(
    derInteger(0),
    ...[parts.n, parts.e, parts.d, parts.p, parts.q, parts.dP, parts.dQ, parts.qInv].map((v) => derInteger(v)),
  );
}

/** DER PKCS#8 for raw material (RSA p‖q, EC d, Ed25519 seed). */
export function encodePkcs8(algorithm: number, material: Uint8Array, options: EcPkcs8Options = {}): Uint8Array {
  assertKeyAlgorithm(algorithm);
  if (isRsaAlgorithm(algorithm)) {
    const parts = rsaPartsFromMaterial(algorithm, material);
    return derSequence(
      derInteger(0),
      derSequence(derOid(OID_RSA_ENCRYPTION), derNull()),
      derOctetString(encodeRsaPrivateKey(parts)),
    );
  }
  if (isEcAlgorithm(algorithm)) {
    checkEcScalar(algorithm, material);
    const curveOid = ecCurves[algorithm].oid;
    const fields = [derInteger(1), derOctetString(material)];
    if (options.parameters === true) fields.push(derExplicit(0, derOid(curveOid)));
    if (options.publicKey !== false) {
      fields.push(derExplicit(1, derBitString(Uint8Array.from([0x04, ...ecPublicXY(algorithm, material)]))));
    }
    return derSequence(
      derInteger(0),
      derSequence(derOid(OID_EC_PUBLIC_KEY), derOid(curveOid)),
      derOctetString(derSequence(...fields)),
    );
  }
  if (material.length !== 32) {
    throw new KeyMaterialError('KEY_MATERIAL_LENGTH', `ed25519 key material must be 32 bytes, got ${material.length}; check the key algorithm.`);
  }
  return derSequence(derInteger(0), derSequence(derOid(OID_ED25519)), derOctetString(derOctetString(material)));
}

export function pkcs8ToPem(der: Uint8Array): string {
  return pemEncode('PRIVATE KEY', der);
}

export function pkcs8FromPem(text: string): Uint8Array {
  return pemDecode(text, 'PRIVATE KEY').der;
}

function parseRsa(privateKey: Uint8Array): RawPrivateKey {
  const r = derSequenceReader(privateKey, 'RSAPrivateKey');
  const version = r.smallInteger('version');
  if (version !== 0) {
    throw new KeyMaterialError('RSA_MULTI_PRIME', `RSAPrivateKey version ${version} (multi-prime) is not supported; use a two-prime RSA key.`);
  }
  const [n, e, d, p, q, dP, dQ, qInv] = ['modulus', 'publicExponent', 'privateExponent', 'prime1', 'prime2', 'exponent1', 'exponent2', 'coefficient'].map(
    (f) => bytesToBigInt(r.unsignedInteger(f)),
  );
  r.end();
  const alg = rsaAlgorithmForBits(bitLength(n));
  if (alg === undefined) {
    throw new KeyMaterialError('UNSUPPORTED_RSA_SIZE', `RSA modulus of ${bitLength(n)} bits; a YubiHSM 2 holds RSA 2048, 3072 or 4096.`);
  }
  if (e !== RSA_PUBLIC_EXPONENT) {
    throw new KeyMaterialError('UNSUPPORTED_RSA_EXPONENT', `RSA public exponent ${e} is not supported; a YubiHSM 2 uses 65537 only.`);
  }
  const parts = rsaPartsFromPrimes(alg, p, q);
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  if (parts.n !== n || (e * d) % lambda !== 1n || parts.dP !== dP || parts.dQ !== dQ || parts.qInv !== qInv) {
    throw new KeyMaterialError('RSA_INCONSISTENT', 'The RSA private key fields do not agree with each other; re-export the key.');
  }
  return { algorithm: alg, material: rsaMaterialFromPrimes(alg, p, q) };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

function parseEc(curveOid: string, privateKey: Uint8Array): RawPrivateKey {
  const alg = ecAlgorithmForOid(curveOid);
  if (alg === undefined) throw new KeyMaterialError('UNSUPPORTED_CURVE', `Curve ${curveOid} is not one a YubiHSM 2 supports.`);
  const f = ecCurves[alg].size;
  const r = derSequenceReader(privateKey, 'ECPrivateKey');
  const version = r.smallInteger('version');
  if (version !== 1) throw new KeyMaterialError('EC_PRIVATE_KEY_VERSION', `ECPrivateKey version must be 1, got ${version}.`);
  const raw = r.octetString('privateKey');
  if (raw.length === 0 || raw.length > f) {
    throw new KeyMaterialError('KEY_MATERIAL_LENGTH', `The ${algorithmName(alg)} private key is ${raw.length} bytes; expected ${f}.`);
  }
  const d = new Uint8Array(f);
  d.set(raw, f - raw.length);
  checkEcScalar(alg, d);
  const params = r.optionalExplicit(0, '[0] parameters');
  if (params) {
    if (params.peekTag() !== Tag.OID) throw new KeyMaterialError('EC_PARAMETERS_NOT_NAMED', 'ECPrivateKey [0] parameters must be a named-curve OID.');
    const inner = params.oid('namedCurve');
    params.end();
    if (inner !== curveOid) {
      throw new KeyMaterialError('EC_PARAMETERS_MISMATCH', `ECPrivateKey [0] names curve ${inner} but the algorithm identifier names ${curveOid}.`);
    }
  }
  const pub = r.optionalExplicit(1, '[1] publicKey');
  if (pub) {
    const point = pub.bitStringOctets('publicKey');
    pub.end();
    const given = ecUncompressedPoint(alg, point).slice(1);
    if (!Buffer.from(given).equals(Buffer.from(ecPublicXY(alg, d)))) {
      throw new KeyMaterialError('PUBLIC_KEY_MISMATCH', 'The public key embedded in the EC private key does not match the private scalar.');
    }
  }
  r.end();
  return { algorithm: alg, material: d };
}

/**
 * Parses DER PKCS#8 into the raw material the device stores. Throws DerError for malformed DER and
 * KeyMaterialError for unsupported or inconsistent keys.
 */
export function parsePkcs8(der: Uint8Array): RawPrivateKey {
  const what = 'PKCS#8 PrivateKeyInfo';
  const top = derSequenceReader(der, what);
  const version = top.smallInteger('version');
  if (version !== 0 && version !== 1) throw new KeyMaterialError('PKCS8_VERSION', `PKCS#8 version must be 0 or 1, got ${version}.`);
  const algId = top.sequence('privateKeyAlgorithm');
  const oid = algId.oid('algorithm');
  const privateKey = top.octetString('privateKey');
  top.optional(contextTag(0, true), 'attributes');
  const embeddedPublic = top.optional(contextTag(1, false), 'publicKey');
  if (embeddedPublic && version !== 1) throw new KeyMaterialError('PKCS8_VERSION', 'A PKCS#8 publicKey field needs version 1.');
  top.end();

  let result: RawPrivateKey;
  if (oid === OID_RSA_ENCRYPTION) {
    if (!algId.done) algId.null('parameters');
    algId.end();
    result = parseRsa(privateKey);
  } else if (oid === OID_EC_PUBLIC_KEY) {
    if (algId.peekTag() !== Tag.OID) throw new KeyMaterialError('EC_PARAMETERS_NOT_NAMED', `${what}: EC parameters must be a named-curve OID.`);
    const curveOid = algId.oid('namedCurve');
    algId.end();
    result = parseEc(curveOid, privateKey);
  } else if (oid === OID_ED25519) {
    algId.end();
    const inner = curvePrivateKey(privateKey);
    if (inner.length !== 32) throw new KeyMaterialError('KEY_MATERIAL_LENGTH', `An Ed25519 private key is 32 bytes, got ${inner.length}.`);
    result = { algorithm: 46, material: inner.slice() };
    if (embeddedPublic) {
      const c = embeddedPublic.content;
      if (c.length !== 33 || c[0] !== 0 || !Buffer.from(c.subarray(1)).equals(Buffer.from(ed25519PublicFromSeed(result.material)))) {
        throw new KeyMaterialError('PUBLIC_KEY_MISMATCH', 'The public key in the Ed25519 PKCS#8 does not match the seed.');
      }
    }
  } else {
    throw new KeyMaterialError('UNSUPPORTED_KEY_TYPE', `Private key algorithm ${oid} is not RSA, EC or Ed25519.`);
  }
  return result;
}

/** CurvePrivateKey ::= OCTET STRING (RFC 8410 7). */
function curvePrivateKey(bytes: Uint8Array): Uint8Array {
  const el = derDecode(bytes, 'CurvePrivateKey');
  if (el.tag !== Tag.OCTET_STRING) throw new DerError('DER_UNEXPECTED_TAG', 'CurvePrivateKey must be an OCTET STRING.');
  return el.content;
}
