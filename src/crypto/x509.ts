/**
 * X.509 v3 certificates (RFC 5280): build and sign with an EC, RSA or Ed25519 key, and parse. Enough for a test CA
 * chain and the YubiHSM key attestation certificates of SignAttestationCertificate (0x64); the YubiHSM-specific
 * parts are in attestation-cert.ts.
 *
 * Signature algorithms: ecdsa-with-SHA256/384/512 (RFC 5758, no parameters), sha256/384/512WithRSAEncryption
 * (RFC 4055, NULL parameters), Ed25519 (RFC 8410). Names use UTF8String, except countryName (PrintableString).
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ProtocolError, UsageError } from '../errors.js';
import {
  contextTag,
  derBitString,
  derBoolean,
  derExplicit,
  derImplicit,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSetOf,
  derTime,
  derUtf8String,
  Tag,
} from './der.js';
import { DerReader, derSequenceReader } from './der-reader.js';
import { pemDecode, pemDecodeAll, pemEncode } from './pem.js';

export type SignatureHash = 'sha256' | 'sha384' | 'sha512';

const SIG_OIDS = {
  ecdsa: { sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4' },
  rsa: { sha256: '1.2.840.113549.1.1.11', sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13' },
} as const;
const OID_ED25519 = '1.3.101.112';

/** What a signature algorithm OID means: key type and hash (null for Ed25519). */
export function signatureAlgorithmOf(oid: string): { keyType: 'ec' | 'rsa' | 'ed25519'; hash: SignatureHash | null } | undefined {
  if (oid === OID_ED25519) return { keyType: 'ed25519', hash: null };
  for (const keyType of ['ecdsa', 'rsa'] as const) {
    for (const [hash, o] of Object.entries(SIG_OIDS[keyType])) {
      if (o === oid) return { keyType: keyType === 'ecdsa' ? 'ec' : 'rsa', hash: hash as SignatureHash };
    }
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------------------- names

export interface DistinguishedName {
  readonly country?: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly commonName: string;
}

const NAME_OIDS = { country: '2.5.4.6', organization: '2.5.4.10', organizationalUnit: '2.5.4.11', commonName: '2.5.4.3' } as const;
const NAME_LABELS: Record<string, string> = { '2.5.4.6': 'C', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN' };

/** DER Name: one RDN per attribute, in the order C, O, OU, CN. */
export function encodeName(name: DistinguishedName): Uint8Array {
  const rdns: Uint8Array[] = [];
  for (const key of ['country', 'organization', 'organizationalUnit', 'commonName'] as const) {
    const value = name[key];
    if (value === undefined) continue;
    const encoded = key === 'country' ? derPrintableString(value) : derUtf8String(value);
    rdns.push(derSetOf(derSequence(derOid(NAME_OIDS[key]), encoded)));
  }
  return derSequence(...rdns);
}

/** RFC 4514-style text of a DER Name (`CN=…, O=…`), most specific first; unknown attributes by OID. */
export function nameToString(nameDer: Uint8Array): string {
  const parts: string[] = [];
  const seq = derSequenceReader(nameDer, 'Name');
  while (!seq.done) {
    const rdn = seq.set('RelativeDistinguishedName');
    while (!rdn.done) {
      const atv = rdn.sequence('AttributeTypeAndValue');
      const oid = atv.oid('type');
      const value = atv.peekTag() === Tag.UTF8_STRING || atv.peekTag() === Tag.PRINTABLE_STRING || atv.peekTag() === Tag.IA5_STRING ? atv.string('value') : '#' + Buffer.from(atv.next('value').encoded).toString('hex');
      parts.push(`${NAME_LABELS[oid] ?? oid}=${value}`);
    }
  }
  return parts.reverse().join(', ');
}

// -------------------------------------------------------------------------------------------------------- extensions

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** DER of the extension value (the content of extnValue's OCTET STRING). */
  readonly value: Uint8Array;
}

/** basicConstraints (2.5.29.19), critical. */
export function basicConstraints(ca: boolean, pathLength?: number): CertificateExtension {
  const fields = ca ? [derBoolean(true), ...(pathLength === undefined ? [] : [derInteger(pathLength)])] : [];
  return { oid: '2.5.29.19', critical: true, value: derSequence(...fields) };
}

export type KeyUsageName = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';
const KEY_USAGE_BITS: Record<KeyUsageName, number> = {
  digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, dataEncipherment: 3, keyAgreement: 4, keyCertSign: 5, cRLSign: 6,
};

/** keyUsage (2.5.29.15), critical; a DER named-bit list (trailing zero bits dropped). */
export function keyUsage(usages: KeyUsageName[]): CertificateExtension {
  let bits = 0;
  for (const u of usages) bits |= 0x80 >> KEY_USAGE_BITS[u];
  if (bits === 0) throw new UsageError('EMPTY_KEY_USAGE', 'keyUsage needs at least one usage.');
  let unused = 0;
  while (!(bits & (1 << unused))) unused++;
  return { oid: '2.5.29.15', critical: true, value: derBitString(Uint8Array.of(bits), unused) };
}

/** The key identifier of RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const r = derSequenceReader(spki, 'SubjectPublicKeyInfo');
  r.sequence('algorithm');
  const { bytes } = r.bitString('subjectPublicKey');
  return new Uint8Array(createHash('sha1').update(bytes).digest());
}

/** subjectKeyIdentifier (2.5.29.14). */
export function subjectKeyIdentifier(spki: Uint8Array): CertificateExtension {
  return { oid: '2.5.29.14', critical: false, value: derOctetString(keyIdentifier(spki)) };
}

/** authorityKeyIdentifier (2.5.29.35) with the issuer's key identifier. */
export function authorityKeyIdentifier(issuerSpki: Uint8Array): CertificateExtension {
  return { oid: '2.5.29.35', critical: false, value: derSequence(derImplicit(0, keyIdentifier(issuerSpki))) };
}

// -------------------------------------------------------------------------------------------------------- building

export interface CertificateSpec {
  /** Positive serial number (RFC 5280: at most 20 octets). */
  readonly serialNumber: bigint;
  /** Issuer name, or the issuer certificate's subject as DER (so the bytes match exactly). */
  readonly issuer: DistinguishedName | Uint8Array;
  readonly subject: DistinguishedName | Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key. */
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly extensions?: readonly CertificateExtension[];
}

function signingAlgorithm(key: KeyObject, hash: SignatureHash | undefined): { algId: Uint8Array; hash: SignatureHash | null } {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const h = hash ?? 'sha256';
      return { algId: derSequence(derOid(SIG_OIDS.ecdsa[h])), hash: h };
    }
    case 'rsa': {
      const h = hash ?? 'sha256';
      return { algId: derSequence(derOid(SIG_OIDS.rsa[h]), derNull()), hash: h };
    }
    case 'ed25519':
      return { algId: derSequence(derOid(OID_ED25519)), hash: null };
    default:
      throw new UsageError('UNSUPPORTED_SIGNING_KEY', `Certificates can be signed with EC, RSA or Ed25519 keys, not ${key.asymmetricKeyType ?? key.type}.`);
  }
}

/** Builds the TBSCertificate and signs it with `issuerKey` (ECDSA/RSA default SHA-256). Returns DER. */
export function signCertificate(spec: CertificateSpec, issuerKey: KeyObject, hash?: SignatureHash): Uint8Array {
  if (issuerKey.type !== 'private') throw new UsageError('NOT_A_PRIVATE_KEY', 'A certificate is signed with the issuer’s private key.');
  if (spec.serialNumber <= 0n || spec.serialNumber >= 1n << 159n) {
    throw new UsageError('BAD_SERIAL_NUMBER', 'The certificate serial number must be positive and at most 20 octets.');
  }
  const { algId, hash: h } = signingAlgorithm(issuerKey, hash);
  const name = (n: DistinguishedName | Uint8Array) => (n instanceof Uint8Array ? n : encodeName(n));
  const fields = [
    derExplicit(0, derInteger(2)),
    derInteger(spec.serialNumber),
    algId,
    name(spec.issuer),
    derSequence(derTime(spec.notBefore), derTime(spec.notAfter)),
    name(spec.subject),
    spec.subjectPublicKeyInfo,
  ];
  if (spec.extensions && spec.extensions.length > 0) {
    const exts = spec.extensions.map((e) =>
      derSequence(derOid(e.oid), ...(e.critical ? [derBoolean(true)] : []), derOctetString(e.value)),
    );
    fields.push(derExplicit(3, derSequence(...exts)));
  }
  const tbs = derSequence(...fields);
  const signature = sign(h, tbs, issuerKey);
  return derSequence(tbs, algId, derBitString(new Uint8Array(signature)));
}

export function certificateToPem(der: Uint8Array): string {
  return pemEncode('CERTIFICATE', der);
}

export function certificateFromPem(text: string): Uint8Array {
  return pemDecode(text, 'CERTIFICATE').der;
}

/** Every certificate of a PEM bundle, in order. */
export function certificatesFromPem(text: string): Uint8Array[] {
  return pemDecodeAll(text, 'CERTIFICATE');
}

// -------------------------------------------------------------------------------------------------------- parsing

export interface ParsedCertificate {
  /** The TBSCertificate bytes the signature covers. */
  readonly tbs: Uint8Array;
  readonly version: number;
  readonly serialNumber: bigint;
  /** Issuer and subject Name, as DER. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly extensions: readonly CertificateExtension[];
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
}

/** Parses a DER certificate (strict DER). Throws DerError / ProtocolError CERT_* for malformed certificates. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = derSequenceReader(der, 'Certificate');
  const tbsEl = cert.expect(Tag.SEQUENCE, 'tbsCertificate');
  const outerAlg = cert.sequence('signatureAlgorithm').oid('algorithm');
  const signature = cert.bitStringOctets('signatureValue');
  cert.end();

  const t = new DerReader(tbsEl.content, 'Certificate: tbsCertificate');
  const versionReader = t.optionalExplicit(0, 'version');
  let version = 0;
  if (versionReader) {
    version = versionReader.smallInteger('version');
    versionReader.end();
  }
  const serialNumber = t.integer('serialNumber');
  const innerAlg = t.sequence('signature').oid('algorithm');
  if (innerAlg !== outerAlg) {
    throw new ProtocolError('CERT_ALGORITHM_MISMATCH', `Certificate: the signature algorithm inside (${innerAlg}) differs from the outer one (${outerAlg}).`);
  }
  const issuer = t.expect(Tag.SEQUENCE, 'issuer').encoded.slice();
  const validity = t.sequence('validity');
  const notBefore = validity.time('notBefore');
  const notAfter = validity.time('notAfter');
  validity.end();
  const subject = t.expect(Tag.SEQUENCE, 'subject').encoded.slice();
  const subjectPublicKeyInfo = t.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo').encoded.slice();
  t.optional(contextTag(1, false), 'issuerUniqueID');
  t.optional(contextTag(2, false), 'subjectUniqueID');
  const extensions: CertificateExtension[] = [];
  const extReader = t.optionalExplicit(3, 'extensions');
  if (extReader) {
    const list = extReader.sequence('Extensions');
    extReader.end();
    const seen = new Set<string>();
    while (!list.done) {
      const ext = list.sequence('Extension');
      const oid = ext.oid('extnID');
      const critical = ext.peekTag() === Tag.BOOLEAN ? ext.boolean('critical') : false;
      const value = ext.octetString('extnValue').slice();
      ext.end();
      if (seen.has(oid)) throw new ProtocolError('CERT_DUPLICATE_EXTENSION', `Certificate: extension ${oid} appears twice.`);
      seen.add(oid);
      extensions.push({ oid, critical, value });
    }
  }
  t.end();
  return {
    tbs: tbsEl.encoded.slice(),
    version: version + 1,
    serialNumber,
    issuer,
    subject,
    notBefore,
    notAfter,
    subjectPublicKeyInfo,
    extensions,
    signatureAlgorithm: outerAlg,
    signature: signature.slice(),
  };
}

/** Checks the certificate's signature with the issuer's public key (SPKI DER or KeyObject). */
export function verifyCertificateSignature(cert: ParsedCertificate | Uint8Array, issuerPublicKey: KeyObject | Uint8Array): boolean {
  const c = cert instanceof Uint8Array ? parseCertificate(cert) : cert;
  const alg = signatureAlgorithmOf(c.signatureAlgorithm);
  if (!alg) return false;
  const key = issuerPublicKey instanceof Uint8Array ? createPublicKey({ key: Buffer.from(issuerPublicKey), format: 'der', type: 'spki' }) : issuerPublicKey;
  const keyType = key.asymmetricKeyType;
  if (keyType !== alg.keyType) return false;
  try {
    return verify(alg.hash, c.tbs, key, c.signature);
  } catch {
    return false;
  }
}
