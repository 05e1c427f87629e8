/**
 * The wrapping public key of GetParametersForImport: DER X.509 SubjectPublicKeyInfo of an RSA key
 * (RFC 5280 4.1.2.7, RSA per RFC 8017 A.1.1 with rsaEncryption OID 1.2.840.113549.1.1.1 and NULL parameters).
 * `wrappingKeyDerToPem` produces what the seed's step 3 gets from `openssl rsa -pubin -inform DER -in
 * WrappingPublicKey.bin -out wrappingkey-aws.pem`: the same DER under a `PUBLIC KEY` PEM armour (RFC 7468 13),
 * base64 in 64-character lines. Pure code: no crypto library needed to read a DER structure.
 */
import { KmsUsageError } from './errors.js';
import type { WrappingKeySpec } from './names.js';

export interface RsaPublicKeyInfo {
  /** Bit length of the modulus n. */
  modulusBits: number;
  /** The public exponent e (65537 for every key AWS has been seen to issue). */
  publicExponent: bigint;
  /** The matching KMS WrappingKeySpec, or undefined for a size KMS does not issue. */
  wrappingKeySpec: WrappingKeySpec | undefined;
}

const RSA_ENCRYPTION_OID = Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);

function bad(what: string, why: string): never {
  throw new KmsUsageError('KMS_WRAPPING_KEY_INVALID', `${what} is not a DER RSA SubjectPublicKeyInfo (${why}); use the WrappingPublicKey.bin that KMS issued.`);
}

interface Tlv {
  tag: number;
  start: number; // first content byte
  end: number; // one past the last content byte
}

function readTlv(b: Uint8Array, off: number, limit: number, what: string): Tlv {
  if (off + 2 > limit) bad(what, `truncated at byte ${off}`);
  const tag = b[off];
  let len = b[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) bad(what, `unsupported length form at byte ${off + 1}`);
    if (p + n > limit) bad(what, `truncated length at byte ${p}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i];
    if (len < 0x80 || b[p] === 0) bad(what, `non-minimal length at byte ${off + 1}`);
    p += n;
  }
  if (p + len > limit) bad(what, `element at byte ${off} claims ${len} bytes, only ${limit - p} remain`);
  return { tag, start: p, end: p + len };
}

function readInteger(b: Uint8Array, t: Tlv, what: string, field: string): Uint8Array {
  if (t.tag !== 0x02) bad(what, `${field} is not an INTEGER`);
  const v = b.subarray(t.start, t.end);
  if (v.length === 0) bad(what, `${field} is empty`);
  if (v[0] & 0x80) bad(what, `${field} is negative`);
  if (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) bad(what, `${field} is not minimally encoded`);
  return v[0] === 0 ? v.subarray(1) : v;
}

/** Parses and checks a DER RSA SubjectPublicKeyInfo; throws KMS_WRAPPING_KEY_INVALID with the reason. */
export function parseRsaSpki(der: Uint8Array, what = 'The wrapping public key'): RsaPublicKeyInfo {
  if (!(der instanceof Uint8Array) || der.length === 0) bad(what, 'no bytes');
  const spki = readTlv(der, 0, der.length, what);
  if (spki.tag !== 0x30) bad(what, 'it does not start with a SEQUENCE');
  if (spki.end !== der.length) bad(what, `${der.length - spki.end} trailing byte(s)`);
  const alg = readTlv(der, spki.start, spki.end, what);
  if (alg.tag !== 0x30) bad(what, 'no AlgorithmIdentifier');
  const oid = readTlv(der, alg.start, alg.end, what);
  const oidBytes = der.subarray(oid.start, oid.end);
  if (oid.tag !== 0x06 || oidBytes.length !== RSA_ENCRYPTION_OID.length || !oidBytes.every((x, i) => x === RSA_ENCRYPTION_OID[i])) {
    bad(what, 'the algorithm is not rsaEncryption');
  }
  if (oid.end !== alg.end) {
    const params = readTlv(der, oid.end, alg.end, what);
    if (params.tag !== 0x05 || params.end !== params.start || params.end !== alg.end) bad(what, 'the rsaEncryption parameters are not NULL');
  }
  const bits = readTlv(der, alg.end, spki.end, what);
  if (bits.tag !== 0x03) bad(what, 'no subjectPublicKey BIT STRING');
  if (bits.end !== spki.end) bad(what, 'extra fields after the public key');
  if (bits.end - bits.start < 1 || der[bits.start] !== 0) bad(what, 'the BIT STRING has unused bits');
  const rsa = readTlv(der, bits.start + 1, bits.end, what);
  if (rsa.tag !== 0x30 || rsa.end !== bits.end) bad(what, 'the RSAPublicKey is not one SEQUENCE');
  const nTlv = readTlv(der, rsa.start, rsa.end, what);
  const n = readInteger(der, nTlv, what, 'the modulus');
  const eTlv = readTlv(der, nTlv.end, rsa.end, what);
  const e = readInteger(der, eTlv, what, 'the public exponent');
  if (eTlv.end !== rsa.end) bad(what, 'extra fields in the RSAPublicKey');
  let top = n[0];
  let modulusBits = (n.length - 1) * 8;
  while (top > 0) {
    modulusBits++;
    top >>= 1;
  }
  const publicExponent = BigInt('0x' + Buffer.from(e).toString('hex'));
  if (publicExponent < 3n || (publicExponent & 1n) === 0n) bad(what, 'the public exponent is not an odd number ≥ 3');
  return { modulusBits, publicExponent, wrappingKeySpec: wrappingKeySpecForBits(modulusBits) };
}

/** RSA_2048 / RSA_3072 / RSA_4096 for those modulus sizes, otherwise undefined. */
export function wrappingKeySpecForBits(bits: number): WrappingKeySpec | undefined {
  return bits === 2048 ? 'RSA_2048' : bits === 3072 ? 'RSA_3072' : bits === 4096 ? 'RSA_4096' : undefined;
}

/** The PEM `openssl rsa -pubin -inform DER` writes for this key (LF line ends, trailing newline). */
export function wrappingKeyDerToPem(der: Uint8Array): string {
  parseRsaSpki(der);
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** The DER inside a `PUBLIC KEY` PEM (checked to be an RSA SubjectPublicKeyInfo). CRLF line ends are accepted. */
export function wrappingKeyPemToDer(pem: string): Uint8Array {
  const m = /-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END PUBLIC KEY-----/.exec(pem);
  if (!m) {
    throw new KmsUsageError('KMS_WRAPPING_KEY_INVALID', 'The text has no -----BEGIN PUBLIC KEY----- block; give the wrapping key as PEM (openssl rsa -pubin -inform DER) or as DER.');
  }
  const b64 = m[1].replace(/\r?\n/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) {
    throw new KmsUsageError('KMS_WRAPPING_KEY_INVALID', 'The PEM body is not valid base64; copy the wrapping key file again.');
  }
  const der = new Uint8Array(Buffer.from(b64, 'base64'));
  parseRsaSpki(der);
  return der;
}
