/**
 * YubiHSM key attestation certificates (SignAttestationCertificate 0x64, PROTOCOL.md 5.4) and a test CA chain shaped
 * like Yubico's (root CA -> intermediate -> per-device attestation certificate -> key attestation certificate).
 *
 * What the device does (docs.yubico.com/hardware/oid/oid-product-arc.html, "Attestation"): public key copied from the
 * attested key; serial a random 16-byte integer; issuer = subject of the attesting certificate; validity copied from
 * the attesting certificate; subject "YubiHSM Attestation id 0x" + the attested id; SHA-256 PKCS#1 v1.5 for an RSA
 * attesting key, ECDSA-SHA256 for an EC one.
 *
 * Extension values under 1.3.6.1.4.1.41482.4 (same page; YubicoLabs/yubihsm-parse-attestation main.go; yubihsm.rs
 * src/attestation/pkix.rs; and a dump of a firmware 2.4.1 certificate in a public attestation-validator test):
 *   .1 firmware version  OCTET STRING major‖minor‖patch       (04 03 02 04 01 for 2.4.1)
 *   .2 device serial     INTEGER                               (02 04 02 0b d9 fd)
 *   .3 origin            BIT STRING, 1 byte, 0 unused bits     (03 02 00 01: generated)
 *   .4 domains           BIT STRING, u16 big-endian            (03 03 00 00 01: domain 1)
 *   .5 capabilities      BIT STRING, u64 big-endian            (03 09 00 … 01 00: sign-eddsa)
 *   .6 object id         INTEGER                               (02 01 03)
 *   .9 label             UTF8String, trailing NULs removed    (0c 00 for an empty label)
 * All non-critical. FIPS devices may add .10 / .12; they are kept as raw extensions when parsing.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { ProtocolError, UsageError } from '../errors.js';
import { decodeLabel } from '../protocol/label.js';
import { derBitString, derInteger, derOctetString, derUtf8String } from './der.js';
import { DerReader } from './der-reader.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  keyUsage,
  parseCertificate,
  signCertificate,
  subjectKeyIdentifier,
  type CertificateExtension,
  type DistinguishedName,
  type ParsedCertificate,
} from './x509.js';

export const YUBIHSM_ATTESTATION_OIDS = {
  firmwareVersion: '1.3.6.1.4.1.41482.4.1',
  serialNumber: '1.3.6.1.4.1.41482.4.2',
  origin: '1.3.6.1.4.1.41482.4.3',
  domains: '1.3.6.1.4.1.41482.4.4',
  capabilities: '1.3.6.1.4.1.41482.4.5',
  objectId: '1.3.6.1.4.1.41482.4.6',
  label: '1.3.6.1.4.1.41482.4.9',
} as const;

/** What the device asserts about an attested key. */
export interface AttestedKeyAttributes {
  /** Firmware version of the attesting device, e.g. [2, 4, 0]. */
  readonly firmwareVersion: readonly [number, number, number];
  readonly serialNumber: number;
  readonly origin: number;
  readonly domains: number;
  readonly capabilities: bigint;
  readonly objectId: number;
  /** Text, or the raw 40-byte label (trailing NULs are dropped either way). */
  readonly label: string | Uint8Array;
}

function u8(v: number, what: string, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new UsageError('BAD_ATTESTATION_FIELD', `Attestation ${what} ${v} is out of range 0..${max}.`);
  return v;
}

function be(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** Firmware version and serial: what both the device certificate and key attestations carry. */
export function deviceAttestationExtensions(firmwareVersion: readonly [number, number, number], serialNumber: number): CertificateExtension[] {
  const [a, b, c] = firmwareVersion.map((x, i) => u8(x, `firmware version part ${i + 1}`, 255));
  return [
    { oid: YUBIHSM_ATTESTATION_OIDS.firmwareVersion, critical: false, value: derOctetString(Uint8Array.of(a, b, c)) },
    { oid: YUBIHSM_ATTESTATION_OIDS.serialNumber, critical: false, value: derInteger(u8(serialNumber, 'serial number', 0xffffffff)) },
  ];
}

/** The seven extensions of a key attestation certificate, in OID order. */
export function attestationExtensions(attrs: AttestedKeyAttributes): CertificateExtension[] {
  if (attrs.capabilities < 0n || attrs.capabilities > 0xffffffffffffffffn) throw new UsageError('BAD_ATTESTATION_FIELD', 'Capabilities are a u64.');
  const label = typeof attrs.label === 'string' ? attrs.label.replace(/\0+$/, '') : decodeLabel(attrs.label);
  return [
    ...deviceAttestationExtensions(attrs.firmwareVersion, attrs.serialNumber),
    { oid: YUBIHSM_ATTESTATION_OIDS.origin, critical: false, value: derBitString(Uint8Array.of(u8(attrs.origin, 'origin', 0xff))) },
    { oid: YUBIHSM_ATTESTATION_OIDS.domains, critical: false, value: derBitString(be(BigInt(u8(attrs.domains, 'domains', 0xffff)), 2)) },
    { oid: YUBIHSM_ATTESTATION_OIDS.capabilities, critical: false, value: derBitString(be(attrs.capabilities, 8)) },
    { oid: YUBIHSM_ATTESTATION_OIDS.objectId, critical: false, value: derInteger(u8(attrs.objectId, 'object id', 0xffff)) },
    { oid: YUBIHSM_ATTESTATION_OIDS.label, critical: false, value: derUtf8String(label) },
  ];
}

/** Attributes read back from a certificate; absent extensions are undefined. Unknown extensions are in `other`. */
export interface ParsedAttestation {
  readonly firmwareVersion?: string;
  readonly serialNumber?: number;
  readonly origin?: number;
  readonly domains?: number;
  readonly capabilities?: bigint;
  readonly objectId?: number;
  readonly label?: string;
  readonly other: readonly CertificateExtension[];
}

function bad(oid: string, what: string): ProtocolError {
  return new ProtocolError('BAD_ATTESTATION_EXTENSION', `Attestation extension ${oid} (${what}) is malformed; the certificate is not a YubiHSM attestation.`);
}

function single(value: Uint8Array, oid: string): DerReader {
  return new DerReader(value, `extension ${oid}`);
}

function bitStringOfLength(value: Uint8Array, oid: string, what: string, length: number): bigint {
  const r = single(value, oid);
  const { bytes, unusedBits } = r.bitString(what);
  r.end();
  if (unusedBits !== 0 || bytes.length !== length) throw bad(oid, what);
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function integerInRange(value: Uint8Array, oid: string, what: string, max: number): number {
  const r = single(value, oid);
  const v = r.integer(what);
  r.end();
  if (v < 0n || v > BigInt(max)) throw bad(oid, what);
  return Number(v);
}

/** Reads the YubiHSM attestation extensions of a certificate (DER or parsed). */
export function parseAttestationExtensions(cert: Uint8Array | ParsedCertificate): ParsedAttestation {
  const c = cert instanceof Uint8Array ? parseCertificate(cert) : cert;
  const out: { -readonly [K in keyof ParsedAttestation]: ParsedAttestation[K] } = { other: [] };
  const other: CertificateExtension[] = [];
  const O = YUBIHSM_ATTESTATION_OIDS;
  for (const ext of c.extensions) {
    switch (ext.oid) {
      case O.firmwareVersion: {
        const r = single(ext.value, ext.oid);
        const v = r.octetString('firmware version');
        r.end();
        if (v.length !== 3) throw bad(ext.oid, 'firmware version');
        out.firmwareVersion = `${v[0]}.${v[1]}.${v[2]}`;
        break;
      }
      case O.serialNumber:
        out.serialNumber = integerInRange(ext.value, ext.oid, 'serial number', 0xffffffff);
        break;
      case O.origin:
        out.origin = Number(bitStringOfLength(ext.value, ext.oid, 'origin', 1));
        break;
      case O.domains:
        out.domains = Number(bitStringOfLength(ext.value, ext.oid, 'domains', 2));
        break;
      case O.capabilities:
        out.capabilities = bitStringOfLength(ext.value, ext.oid, 'capabilities', 8);
        break;
      case O.objectId:
        out.objectId = integerInRange(ext.value, ext.oid, 'object id', 0xffff);
        break;
      case O.label: {
        const r = single(ext.value, ext.oid);
        out.label = r.string('label');
        r.end();
        break;
      }
      default:
        other.push(ext);
    }
  }
  out.other = other;
  return out;
}

// -------------------------------------------------------------------------------------------------------- issuing

/** A certificate and the private key that signs under it. */
export interface CertifiedKey {
  readonly certificate: Uint8Array;
  readonly privateKey: KeyObject;
}

function spkiOf(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(pub.export({ format: 'der', type: 'spki' }));
}

/** A random positive serial of 16 bytes (top bit cleared so the INTEGER is 16 octets). */
export function randomSerial(): bigint {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  b[0] |= 0x01;
  return BigInt('0x' + b.toString('hex'));
}

/**
 * Signs a key attestation certificate the way the device does: issuer and validity from the attesting certificate,
 * subject "YubiHSM Attestation id 0x" + 4 hex digits, ECDSA-SHA256 or SHA256-PKCS#1 v1.5.
 */
export function signAttestationCertificate(params: {
  /** DER SubjectPublicKeyInfo of the attested key. */
  readonly attestedPublicKey: Uint8Array;
  readonly attributes: AttestedKeyAttributes;
  readonly attesting: CertifiedKey;
  readonly serialNumber?: bigint;
}): Uint8Array {
  const issuerCert = parseCertificate(params.attesting.certificate);
  return signCertificate(
    {
      serialNumber: params.serialNumber ?? randomSerial(),
      issuer: issuerCert.subject,
      subject: { commonName: `YubiHSM Attestation id 0x${params.attributes.objectId.toString(16).padStart(4, '0')}` },
      notBefore: issuerCert.notBefore,
      notAfter: issuerCert.notAfter,
      subjectPublicKeyInfo: params.attestedPublicKey,
      extensions: attestationExtensions(params.attributes),
    },
    params.attesting.privateKey,
    'sha256',
  );
}

export interface TestAttestationChain {
  readonly root: CertifiedKey;
  readonly intermediate: CertifiedKey;
  /** The per-device attestation certificate and key (object 0 on a real device). */
  readonly device: CertifiedKey;
}

function newEcKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

/**
 * A test chain shaped like Yubico's: self-signed root CA -> intermediate CA -> device attestation certificate
 * (carrying firmware version and serial). Keys default to fresh EC P-256 keys; pass keys to persist a chain.
 * Validity defaults to 2017-01-01 .. 2071-10-05 (the span of Yubico's YubiHSM root). Names say "Test" so they
 * cannot be mistaken for Yubico's.
 */
export function createTestAttestationChain(options: {
  readonly serialNumber: number;
  readonly firmwareVersion: readonly [number, number, number];
  readonly rootKey?: KeyObject;
  readonly intermediateKey?: KeyObject;
  readonly deviceKey?: KeyObject;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}): TestAttestationChain {
  const rootKey = options.rootKey ?? newEcKey();
  const intermediateKey = options.intermediateKey ?? newEcKey();
  const deviceKey = options.deviceKey ?? newEcKey();
  const notBefore = options.notBefore ?? new Date('2017-01-01T00:00:00Z');
  const notAfter = options.notAfter ?? new Date('2071-10-05T00:00:00Z');
  const rootName: DistinguishedName = { organization: 'hsm2kms test', commonName: 'Test YubiHSM Root CA' };
  const intermediateName: DistinguishedName = { organization: 'hsm2kms test', commonName: 'Test YubiHSM Attestation Intermediate' };
  const deviceName: DistinguishedName = { organization: 'hsm2kms test', commonName: `Test YubiHSM Attestation ${options.serialNumber}` };
  const [rootSpki, intermediateSpki, deviceSpki] = [rootKey, intermediateKey, deviceKey].map(spkiOf);
  const ca = (spki: Uint8Array, issuerSpki: Uint8Array, pathLength: number) => [
    basicConstraints(true, pathLength),
    keyUsage(['keyCertSign', 'cRLSign']),
    subjectKeyIdentifier(spki),
    authorityKeyIdentifier(issuerSpki),
  ];
  const root = signCertificate(
    { serialNumber: randomSerial(), issuer: rootName, subject: rootName, notBefore, notAfter, subjectPublicKeyInfo: rootSpki, extensions: ca(rootSpki, rootSpki, 2) },
    rootKey,
  );
  const intermediate = signCertificate(
    { serialNumber: randomSerial(), issuer: rootName, subject: intermediateName, notBefore, notAfter, subjectPublicKeyInfo: intermediateSpki, extensions: ca(intermediateSpki, rootSpki, 1) },
    rootKey,
  );
  const device = signCertificate(
    {
      serialNumber: randomSerial(),
      issuer: intermediateName,
      subject: deviceName,
      notBefore,
      notAfter,
      subjectPublicKeyInfo: deviceSpki,
      extensions: [...ca(deviceSpki, intermediateSpki, 0), ...deviceAttestationExtensions(options.firmwareVersion, options.serialNumber)],
    },
    intermediateKey,
  );
  return {
    root: { certificate: root, privateKey: rootKey },
    intermediate: { certificate: intermediate, privateKey: intermediateKey },
    device: { certificate: device, privateKey: deviceKey },
  };
}
