/**
 * `hsm2kms transcript verify`: re-checks offline everything a transcript (transcript.ts) lets one check, with no
 * HSM and no KMS: the format and version; the HSM public key against its SHA-256; the attestation certificate
 * (parses, attests that public key and key id, is signed by the device attestation certificate when the chain
 * holds it, each chain link signed by the next); the KMS public key hash equal to the HSM's; the KMS signature over
 * the message verifying with the HSM public key; the audit-log entries (each one's raw 32 bytes agreeing with its
 * fields, and the hash chain, src/crypto/log-chain.ts); the output files next to the transcript against their
 * SHA-256; every ceremony step done; no verification recorded as failed. Each check is reported, never thrown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseAttestationExtensions } from '../crypto/attestation-cert.js';
import { sha256Hex } from '../crypto/digest.js';
import { verifyLogChain } from '../crypto/log-chain.js';
import { parseSpki } from '../crypto/spki.js';
import { schemeForKmsAlgorithm, verifySignature } from '../crypto/verify.js';
import { certificateFromPem, certificatesFromPem, nameToString, parseCertificate, verifyCertificateSignature } from '../crypto/x509.js';
import { Hsm2KmsError, UsageError } from '../errors.js';
import { equalBytes } from '../protocol/bytes.js';
import { decodeLogEntry } from '../protocol/log-entry.js';
import { CEREMONY_KEY_SPECS, keySpecs, type CeremonyKeySpec } from './key-specs.js';
import { STEP_NAMES } from './plan.js';
import { isSimulatorDeviceCertificate } from './simulator-ca.js';
import { describeLogEntry, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, type Transcript } from './transcript.js';

export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface TranscriptCheck {
  /** Stable name, e.g. `public-key`, `attestation-signature`, `file message-aws.txt`. */
  name: string;
  status: CheckStatus;
  /** One line: what was found. */
  detail: string;
}

export interface TranscriptVerification {
  /** No check failed (skipped ones are fine). */
  ok: boolean;
  /** The ceremony ran on a simulator (software YubiHSM 2 or local KMS): a rehearsal, not a real import. */
  simulated: boolean;
  checks: TranscriptCheck[];
}

const ok = (name: string, detail: string): TranscriptCheck => ({ name, status: 'ok', detail });
const fail = (name: string, detail: string): TranscriptCheck => ({ name, status: 'fail', detail });
const skip = (name: string, detail: string): TranscriptCheck => ({ name, status: 'skip', detail });

function why(e: unknown): string {
  return e instanceof Hsm2KmsError || e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
}

function b64(text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text) || text === '') {
    throw new Error(`${field} is missing or not base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Runs a check; an exception (a malformed field) is that check's failure. */
function guard(name: string, f: () => TranscriptCheck | TranscriptCheck[]): TranscriptCheck[] {
  try {
    const r = f();
    return Array.isArray(r) ? r : [r];
  } catch (e) {
    return [fail(name, why(e))];
  }
}

/**
 * The attestation checks, shared with `hsm2kms complete`: the certificate parses and certifies `spki` (and the
 * object `keyId` when given); chain[0], the device attestation certificate, signed it; each chain link is signed by
 * the next one.
 */
export function checkAttestation(spki: Uint8Array, certificate: Uint8Array, chain: readonly Uint8Array[], keyId?: number): TranscriptCheck[] {
  const out: TranscriptCheck[] = [];
  const cert = parseCertificate(certificate);
  if (!equalBytes(cert.subjectPublicKeyInfo, spki)) {
    out.push(fail('attestation-certificate', 'the attestation certificate certifies another public key than the HSM key\'s'));
  } else {
    const attested = parseAttestationExtensions(cert);
    if (keyId !== undefined && attested.objectId !== undefined && attested.objectId !== keyId) {
      out.push(fail('attestation-certificate', `the certificate attests object 0x${attested.objectId.toString(16).padStart(4, '0')}, not the key 0x${keyId.toString(16).padStart(4, '0')}`));
    } else {
      const extras = [attested.serialNumber !== undefined ? `device serial ${attested.serialNumber}` : '', attested.firmwareVersion ? `firmware ${attested.firmwareVersion}` : ''].filter(Boolean);
      out.push(ok('attestation-certificate', `certifies the HSM public key${attested.objectId !== undefined ? ` of object 0x${attested.objectId.toString(16).padStart(4, '0')}` : ''}${extras.length ? ` (${extras.join(', ')})` : ''}`));
    }
  }
  if (chain.length === 0) {
    out.push(skip('attestation-signature', 'no device attestation certificate recorded'));
  } else {
    const device = parseCertificate(chain[0]);
    out.push(verifyCertificateSignature(cert, device.subjectPublicKeyInfo)
      ? ok('attestation-signature', 'signed by the device attestation certificate (chain[0])')
      : fail('attestation-signature', 'the attestation certificate is not signed by the device attestation certificate (chain[0])'));
  }
  if (chain.length < 2) {
    out.push(skip('attestation-chain', `${chain.length} certificate(s) in the chain; nothing to link`));
  } else {
    const broken: number[] = [];
    for (let i = 0; i + 1 < chain.length; i++) {
      if (!verifyCertificateSignature(parseCertificate(chain[i]), parseCertificate(chain[i + 1]).subjectPublicKeyInfo)) broken.push(i);
    }
    out.push(broken.length
      ? fail('attestation-chain', `chain[${broken[0]}] is not signed by chain[${broken[0] + 1}]`)
      : ok('attestation-chain', `${chain.length - 1} link(s), each signed by the next certificate`));
  }
  return out;
}

/**
 * The certificates of `cas` that lead from the chain's last certificate to a self-signed one of `cas` (issuer name
 * equal, signature verifying, at each step), root last; empty when the chain already ends at such a root. A string
 * says where the path stops when there is none.
 */
function anchorPath(chain: readonly Uint8Array[], cas: readonly Uint8Array[]): Uint8Array[] | string {
  const anchors = cas.map((der) => ({ der, cert: parseCertificate(der) }));
  let der = chain[chain.length - 1];
  let cert = parseCertificate(der);
  const path: Uint8Array[] = [];
  for (let depth = 0; depth <= anchors.length; depth++) {
    const current = { der, cert };
    if (anchors.some((a) => equalBytes(a.der, current.der)) && verifyCertificateSignature(current.cert, current.cert.subjectPublicKeyInfo)) return path;
    const issuer = anchors.find((a) => !equalBytes(a.der, current.der) && equalBytes(a.cert.subject, current.cert.issuer)
      && verifyCertificateSignature(current.cert, a.cert.subjectPublicKeyInfo));
    if (!issuer) break;
    path.push(issuer.der);
    ({ der, cert } = issuer);
  }
  return verifyCertificateSignature(cert, cert.subjectPublicKeyInfo)
    ? `it ends at the self-signed ${nameToString(cert.subject)}, which is not in --ca`
    : `it stops at ${nameToString(cert.subject)}, whose issuer ${nameToString(cert.issuer)} is not in --ca`;
}

/**
 * Anchors an attestation chain (device certificate first) at trusted CA certificates (`--ca`, `--attestation-ca`):
 * either the certificates of `cas` that lead to the root (root last; none when the chain already ends at it) with
 * `anchored at the trusted root X[ through Y (from --ca)]`, or the reason there is no such path.
 */
export function anchorChain(chain: readonly Uint8Array[], cas: readonly Uint8Array[]):
  { ok: true; path: Uint8Array[]; detail: string } | { ok: false; reason: string } {
  if (chain.length === 0) return { ok: false, reason: 'no device attestation certificate recorded to anchor' };
  const path = anchorPath(chain, cas);
  if (typeof path === 'string') return { ok: false, reason: path };
  const root = parseCertificate(path.length ? path[path.length - 1] : chain[chain.length - 1]);
  const via = path.slice(0, -1).map((d) => nameToString(parseCertificate(d).subject)); // the issuers below the root
  return { ok: true, path, detail: `anchored at the trusted root ${nameToString(root.subject)}${via.length ? ` through ${via.join('; ')} (from --ca)` : ''}` };
}

/**
 * The recorded chain against trust anchors the verifier brings (`--ca`: for a real YubiHSM 2, Yubico's attestation
 * root and intermediate certificates; a real device holds only its own device certificate).
 */
export function checkAttestationRoot(chain: readonly Uint8Array[], cas: readonly Uint8Array[] | undefined): TranscriptCheck {
  if (cas === undefined) {
    return skip('attestation-root', 'no trust anchor given: the chain is linked but not anchored (give the attestation root CA, e.g. Yubico\'s, with --ca FILE)');
  }
  if (chain.length === 0) return fail('attestation-root', 'no device attestation certificate recorded to anchor');
  const anchored = anchorChain(chain, cas);
  return anchored.ok
    ? ok('attestation-root', anchored.detail)
    : fail('attestation-root', `the chain does not lead to a trusted root: ${anchored.reason}`);
}

function keySpecOf(t: Transcript): CeremonyKeySpec | undefined {
  const s = t.kms?.keySpec;
  return (CEREMONY_KEY_SPECS as readonly string[]).includes(s) ? (s as CeremonyKeySpec) : undefined;
}

function checkPublicKey(t: Transcript): { checks: TranscriptCheck[]; spki?: Uint8Array } {
  const spec = keySpecOf(t);
  if (spec === 'SYMMETRIC_DEFAULT' && !t.hsm?.publicKey) return { checks: [skip('public-key', 'symmetric key: no public key')] };
  const pk = t.hsm?.publicKey;
  if (!pk) return { checks: [fail('public-key', 'hsm.publicKey is missing')] };
  const spki = b64(pk.spkiBase64, 'hsm.publicKey.spkiBase64');
  const actual = sha256Hex(spki);
  if (pk.sha256 !== actual) return { checks: [fail('public-key', `hsm.publicKey does not match its SHA-256 (recorded ${String(pk.sha256)}, actual ${actual})`)] };
  const raw = parseSpki(spki);
  if (spec && keySpecs[spec].algorithm !== raw.algorithm) return { checks: [fail('public-key', `the public key is not a ${spec} key`)] };
  return { checks: [ok('public-key', `SubjectPublicKeyInfo SHA-256 ${actual}`)], spki };
}

function checkAttestationOf(t: Transcript, spki: Uint8Array | undefined, cas: readonly Uint8Array[] | undefined): TranscriptCheck[] {
  const a = t.hsm?.attestation;
  if (!a) {
    if (keySpecOf(t) === 'SYMMETRIC_DEFAULT') return [skip('attestation-certificate', 'symmetric key: no attestation')];
    // With --ca the verifier asked for an anchored chain: a transcript stripped of its attestation must not pass.
    return [skip('attestation-certificate', 'no attestation recorded'), ...(cas ? [fail('attestation-root', 'no attestation recorded to anchor')] : [])];
  }
  if (!spki) return [fail('attestation-certificate', 'no valid public key to compare with')];
  if (a.publicKeySha256 !== sha256Hex(spki)) return [fail('attestation-certificate', 'hsm.attestation.publicKeySha256 is not the SHA-256 of the HSM public key')];
  if (!Array.isArray(a.chainPem)) return [fail('attestation-chain', 'hsm.attestation.chainPem is not a list')];
  const idText = t.hsm.key?.id;
  const keyId = typeof idText === 'string' && /^0x[0-9a-f]+$/i.test(idText) ? Number(idText) : undefined;
  const chain = a.chainPem.map((p) => certificateFromPem(p));
  return [...checkAttestation(spki, certificateFromPem(a.certificatePem), chain, keyId), checkAttestationRoot(chain, cas)];
}

function checkKmsPublicKey(t: Transcript, spki: Uint8Array | undefined): TranscriptCheck {
  if (keySpecOf(t) === 'SYMMETRIC_DEFAULT' && !spki) return skip('kms-public-key', 'symmetric key: no public key');
  if (!spki) return fail('kms-public-key', 'no valid HSM public key to compare with');
  const hsm = sha256Hex(spki);
  if (t.kms?.publicKeySha256 !== hsm) return fail('kms-public-key', `KMS's public key SHA-256 ${String(t.kms?.publicKeySha256)} is not the HSM's ${hsm}`);
  const checked = t.verification?.checks?.publicKeySha256;
  if (checked !== undefined && checked !== hsm) return fail('kms-public-key', 'verification.checks.publicKeySha256 is not the HSM public key\'s SHA-256');
  return ok('kms-public-key', 'KMS GetPublicKey SHA-256 equals the HSM public key\'s');
}

function checkKmsSignature(t: Transcript, spki: Uint8Array | undefined): TranscriptCheck {
  if (t.kms?.keyUsage !== 'SIGN_VERIFY') return skip('kms-signature', `${String(t.kms?.keyUsage)} key: no signature`);
  if (!spki) return fail('kms-signature', 'no valid HSM public key to verify with');
  const v = t.verification ?? ({} as Transcript['verification']);
  const algorithm = v.signingAlgorithm;
  const scheme = typeof algorithm === 'string' ? schemeForKmsAlgorithm(algorithm) : undefined;
  const spec = keySpecOf(t);
  if (!scheme || (spec && keySpecs[spec].signingAlgorithm !== algorithm)) return fail('kms-signature', `signing algorithm ${JSON.stringify(algorithm)} is not the one of ${String(t.kms.keySpec)}`);
  const message = b64(v.messageBase64, 'verification.messageBase64');
  const signature = b64(v.kmsSignatureBase64, 'verification.kmsSignatureBase64');
  return verifySignature(spki, scheme, message, signature)
    ? ok('kms-signature', `KMS's ${algorithm} signature over the ${message.length}-byte message verifies with the HSM public key`)
    : fail('kms-signature', `KMS's ${algorithm} signature over the message does not verify with the HSM public key`);
}

function checkAuditLog(t: Transcript): TranscriptCheck {
  const log = t.auditLog;
  if (!log) return skip('audit-log', 'no audit log recorded');
  if (!Array.isArray(log.entries)) return fail('audit-log', 'auditLog.entries is not a list');
  if (log.entries.length === 0) return skip('audit-log', 'no audit-log entries were written during the ceremony');
  const raws: Uint8Array[] = [];
  for (const [i, e] of log.entries.entries()) {
    if (typeof e?.raw !== 'string' || !/^[0-9a-f]{64}$/.test(e.raw)) return fail('audit-log', `entry ${i}: raw is not 32 bytes of hex`);
    const raw = new Uint8Array(Buffer.from(e.raw, 'hex'));
    const described = describeLogEntry(decodeLogEntry(raw));
    const differs = (Object.keys(described) as Array<keyof typeof described>).find((k) => e[k] !== described[k]);
    if (differs) return fail('audit-log', `entry ${i} (number ${described.number}): ${differs} ${JSON.stringify(e[differs])} is not what its raw bytes say (${JSON.stringify(described[differs])})`);
    raws.push(raw);
  }
  const chain = verifyLogChain(raws);
  if (!chain.ok) return fail('audit-log', chain.message.replace(/\.$/, ''));
  if (log.chainVerified !== true) return fail('audit-log', 'the ceremony did not record the chain as verified');
  return ok('audit-log', `${raws.length} entries (numbers ${entryNumber(raws[0])}…${entryNumber(raws.at(-1)!)}), each chained to the one before`);
}

function entryNumber(raw: Uint8Array): number {
  return raw[0] * 256 + raw[1];
}

function checkFiles(t: Transcript, dir: string | undefined): TranscriptCheck[] {
  const files = t.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return [fail('files', 'files is not a mapping of file names to SHA-256')];
  const out: TranscriptCheck[] = [];
  for (const [name, hash] of Object.entries(files)) {
    const label = `file ${name}`;
    if (basename(name) !== name || name === '..' || name === '.') {
      out.push(fail(label, 'not a plain file name'));
      continue;
    }
    const path = dir === undefined ? undefined : join(dir, name);
    if (!path || !existsSync(path)) {
      out.push(skip(label, 'not next to the transcript'));
      continue;
    }
    const actual = sha256Hex(readFileSync(path));
    out.push(actual === hash ? ok(label, `SHA-256 ${actual}`) : fail(label, `SHA-256 is ${actual}, the transcript recorded ${String(hash)}`));
  }
  if (out.length === 0) out.push(skip('files', 'no output files recorded'));
  return out;
}

/**
 * What the ceremony ran on. A transcript that claims real targets while its attestation chain comes from the
 * software YubiHSM 2's test CA is refused.
 */
function checkTargets(t: Transcript): TranscriptCheck {
  const tg = t.targets;
  if (typeof tg !== 'object' || tg === null || typeof tg.hsm !== 'string' || typeof tg.kms !== 'string') return fail('targets', 'targets is missing');
  const device = t.hsm?.attestation?.chainPem?.[0];
  const simulatorDevice = typeof device === 'string' && isSimulatorDeviceCertificate(certificateFromPem(device));
  if (simulatorDevice && tg.simulated !== true) return fail('targets', 'the device attestation certificate comes from the software YubiHSM 2\'s test CA, but the transcript does not say the ceremony ran on a simulator');
  const where = `HSM: ${tg.hsm}; KMS: ${tg.kms}`;
  return ok('targets', tg.simulated === true ? `SIMULATED (a rehearsal, not a real import): ${where}` : where);
}

function checkSteps(t: Transcript): TranscriptCheck {
  if (!Array.isArray(t.steps)) return fail('steps', 'steps is not a list');
  const names = t.steps.map((s) => s?.name);
  const missing = STEP_NAMES.filter((n) => !names.includes(n));
  if (missing.length) return fail('steps', `step ${missing[0]} is missing`);
  const notDone = t.steps.find((s) => s.status !== 'done');
  if (notDone) return fail('steps', `step ${notDone.name} is ${JSON.stringify(notDone.status)}, not done`);
  return ok('steps', `all ${t.steps.length} steps done`);
}

function checkRecordedChecks(t: Transcript): TranscriptCheck {
  const c = t.verification?.checks;
  if (typeof c !== 'object' || c === null) return fail('verification', 'verification.checks is missing');
  const failed = Object.entries(c).find(([, v]) => v === false);
  if (failed) return fail('verification', `the ceremony recorded ${failed[0]} as false`);
  const spec = keySpecOf(t);
  const needed = spec === 'SYMMETRIC_DEFAULT'
    ? ['kmsEncryptDecryptRoundTrip']
    : t.kms?.keyUsage === 'SIGN_VERIFY'
      ? ['kmsPublicKeyEqualsHsmPublicKey', 'kmsSignatureVerifiedWithHsmPublicKey', 'hsmSignatureVerifiedByKms']
      : ['kmsPublicKeyEqualsHsmPublicKey', 'hsmPublicKeyCiphertextDecryptedByKms'];
  const absent = needed.find((k) => c[k] !== true);
  if (absent) return fail('verification', `${absent} is not recorded as true`);
  return ok('verification', `${Object.values(c).filter((v) => v === true).length} checks recorded as passed (${needed.join(', ')})`);
}

/** Verifies a transcript's text; `dir` is where its output files are looked for (normally the transcript's folder). */
export interface TranscriptVerifyOptions {
  /** Where the output files are looked for (checked against their SHA-256 when present). */
  dir?: string;
  /** Trusted attestation CA certificates (DER): the chain must lead to a self-signed one of them. */
  trustedCas?: readonly Uint8Array[];
}

export function verifyTranscriptText(text: string, options: TranscriptVerifyOptions = {}): TranscriptVerification {
  let t: Transcript;
  try {
    t = JSON.parse(text) as Transcript;
  } catch {
    return { ok: false, simulated: false, checks: [fail('format', 'not JSON')] };
  }
  if (typeof t !== 'object' || t === null || t.format !== TRANSCRIPT_FORMAT) {
    return { ok: false, simulated: false, checks: [fail('format', `not an ${TRANSCRIPT_FORMAT} (format ${JSON.stringify((t as { format?: unknown } | null)?.format)})`)] };
  }
  if (t.version !== TRANSCRIPT_VERSION) {
    return { ok: false, simulated: false, checks: [fail('format', `version ${JSON.stringify(t.version)}; this hsm2kms reads version ${TRANSCRIPT_VERSION}`)] };
  }
  const checks: TranscriptCheck[] = [ok('format', `${TRANSCRIPT_FORMAT} version ${TRANSCRIPT_VERSION}, ceremony ${String(t.ceremonyId)}`)];
  checks.push(...guard('targets', () => checkTargets(t)));
  let spki: Uint8Array | undefined;
  checks.push(...guard('public-key', () => {
    const r = checkPublicKey(t);
    spki = r.spki;
    return r.checks;
  }));
  checks.push(...guard('attestation-certificate', () => checkAttestationOf(t, spki, options.trustedCas)));
  checks.push(...guard('kms-public-key', () => checkKmsPublicKey(t, spki)));
  checks.push(...guard('kms-signature', () => checkKmsSignature(t, spki)));
  checks.push(...guard('audit-log', () => checkAuditLog(t)));
  checks.push(...guard('files', () => checkFiles(t, options.dir)));
  checks.push(...guard('steps', () => checkSteps(t)));
  checks.push(...guard('verification', () => checkRecordedChecks(t)));
  return { ok: checks.every((c) => c.status !== 'fail'), simulated: t.targets?.simulated === true, checks };
}

/** Reads and verifies a transcript file; output files are looked for next to it. Throws only when unreadable. */
export function verifyTranscriptFile(path: string, options: { trustedCas?: readonly Uint8Array[] } = {}): TranscriptVerification {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError('TRANSCRIPT_UNREADABLE', `Cannot read transcript ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path.`);
  }
  return verifyTranscriptText(text, { dir: dirname(path), ...options });
}

/** The certificates of a PEM CA file for --ca; an unreadable file or one without certificates is a usage error. */
export function readTrustedCas(path: string): Uint8Array[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError('CA_FILE_UNREADABLE', `Cannot read the CA file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path.`);
  }
  try {
    const cas = certificatesFromPem(text);
    for (const der of cas) parseCertificate(der);
    return cas;
  } catch (e) {
    throw new UsageError('CA_FILE_INVALID', `The CA file ${path} holds no valid PEM certificate (${why(e)}); give the attestation root CA certificates as PEM.`);
  }
}
