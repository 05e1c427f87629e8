/**
 * The wrapped-key bundle: what `hsm2kms wrap` (offline, with the HSM) hands back to `hsm2kms complete` (online).
 * Versioned JSON, every binary part with its SHA-256 (parts.ts):
 *
 *   { "format": "hsm2kms-wrapped-key", "version": 1, "createdAt",
 *     "request": { "source": "hsm2kms-import-request" | "console-zip", "fileSha256", "ceremonyId"?, "keyArn"?,
 *                  "keyId"?, "wrappingAlgorithm", "wrappingKeySpec", "parametersValidTo"?,
 *                  "wrappingPublicKeySha256", "importTokenSha256" },
 *     "key": { "keySpec", "keyUsage" },
 *     "hsm": { "target", "simulated", "firmware", "serial", "authKey", "key", "wrapKey" },   (transcript objects)
 *     "wrappedKey": {base64, sha256},             RSA-OAEP(AES key) ‖ AES-KWP(PKCS#8), seed step 5's .bin
 *     "publicKey": {base64, sha256},              DER SubjectPublicKeyInfo of the HSM key
 *     "attestation": { "certificate": {...}, "chain": [{...}] },   DER; chain[0] = device attestation certificate
 *     "message": {base64, sha256},                what KMS will sign in complete
 *     "hsmSignature": { "signingAlgorithm", "signature": {base64, sha256} } | null,   the HSM's signature over it
 *     "auditLog": { "entries": [...], "chainVerified" },   the HSM's audit-log entries written during wrap
 *     "steps": [ { "name", "status", "outcome", "startedAt", "finishedAt", "ms", "attempts" } ] }
 *
 * No secret is in it: the key leaves the HSM only wrapped to KMS's wrapping key. The import token itself stays on
 * the online machine; the bundle pins it (and the wrapping key) by hash, so `complete` can tell the blob was
 * wrapped for the parameters it is about to use.
 */
import type { TranscriptLogEntry, TranscriptObject } from '../transcript.js';
import { CEREMONY_KEY_SPECS, WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS, type CeremonyKeySpec, type KeyUsage } from '../key-specs.js';
import { STEP_NAMES, type StepName } from '../plan.js';
import { BundleReader, part } from './parts.js';

export const WRAPPED_FORMAT = 'hsm2kms-wrapped-key';
export const WRAPPED_VERSION = 1;
export const WRAPPED_FILE = 'wrapped-key.json';
const AGAIN = 'run hsm2kms wrap again on the offline machine and carry the new file';
const HEX64 = /^[0-9a-f]{64}$/;

export interface WrapStepRecord {
  name: StepName;
  status: string;
  outcome?: string;
  startedAt?: string;
  finishedAt?: string;
  ms?: number;
  attempts: number;
}

export interface WrappedKeyBundle {
  createdAt: Date;
  request: {
    source: 'hsm2kms-import-request' | 'console-zip';
    fileSha256: string;
    ceremonyId?: string;
    keyArn?: string;
    keyId?: string;
    wrappingAlgorithm: (typeof WRAPPING_ALGORITHMS)[number];
    wrappingKeySpec: (typeof WRAPPING_KEY_SPECS)[number];
    parametersValidTo?: Date;
    wrappingPublicKeySha256: string;
    importTokenSha256: string;
  };
  key: { keySpec: CeremonyKeySpec; keyUsage: KeyUsage };
  hsm: { target: string; simulated: boolean; firmware: string; serial: number; authKey?: TranscriptObject; key: TranscriptObject; wrapKey?: TranscriptObject };
  wrappedKey: Uint8Array;
  publicKey: Uint8Array;
  attestation: { certificate: Uint8Array; chain: Uint8Array[] };
  message: Uint8Array;
  hsmSignature?: { signingAlgorithm: string; signature: Uint8Array };
  auditLog: { entries: TranscriptLogEntry[]; chainVerified: boolean };
  steps: WrapStepRecord[];
}

export function encodeWrapped(w: WrappedKeyBundle): string {
  const r = w.request;
  return JSON.stringify({
    format: WRAPPED_FORMAT,
    version: WRAPPED_VERSION,
    createdAt: w.createdAt.toISOString(),
    request: { ...r, parametersValidTo: r.parametersValidTo?.toISOString() },
    key: w.key,
    hsm: w.hsm,
    wrappedKey: part(w.wrappedKey),
    publicKey: part(w.publicKey),
    attestation: { certificate: part(w.attestation.certificate), chain: w.attestation.chain.map(part) },
    message: part(w.message),
    hsmSignature: w.hsmSignature ? { signingAlgorithm: w.hsmSignature.signingAlgorithm, signature: part(w.hsmSignature.signature) } : null,
    auditLog: w.auditLog,
    steps: w.steps,
  }, null, 2) + '\n';
}

function transcriptObject(b: BundleReader, path: string): TranscriptObject {
  b.str(`${path}.id`, /^0x[0-9a-f]{4}$/);
  b.str(`${path}.type`);
  return b.raw(path) as TranscriptObject;
}

export function readWrapped(path: string): WrappedKeyBundle {
  const b = BundleReader.open(path, WRAPPED_FORMAT, WRAPPED_VERSION, AGAIN, (doc) =>
    (doc as Record<string, unknown> | null)?.format === 'hsm2kms-import-request'
      ? 'is the import request (hsm2kms prepare wrote it); hsm2kms wrap takes it, and complete takes what wrap writes (wrapped-key.json).'
      : undefined);
  const chain = b.array('attestation.chain').map((p, i) => b.part(`attestation.chain[${i}]`, p));
  const entries = b.array('auditLog.entries') as TranscriptLogEntry[];
  entries.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || typeof e.raw !== 'string' || !/^[0-9a-f]{64}$/.test(e.raw)) b.fail(`auditLog.entries[${i}].raw`, 'is not 32 bytes of hex');
  });
  const steps = b.array('steps') as WrapStepRecord[];
  steps.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || !(STEP_NAMES as readonly string[]).includes(s.name) || typeof s.status !== 'string') b.fail(`steps[${i}]`, 'is not a step record');
  });
  const source = b.oneOf('request.source', ['hsm2kms-import-request', 'console-zip'] as const);
  return {
    createdAt: b.time('createdAt'),
    request: {
      source,
      fileSha256: b.str('request.fileSha256', HEX64),
      ceremonyId: b.optStr('request.ceremonyId'),
      keyArn: b.optStr('request.keyArn', /^arn:aws[a-z-]*:kms:/),
      keyId: b.optStr('request.keyId'),
      wrappingAlgorithm: b.oneOf('request.wrappingAlgorithm', WRAPPING_ALGORITHMS),
      wrappingKeySpec: b.oneOf('request.wrappingKeySpec', WRAPPING_KEY_SPECS),
      parametersValidTo: b.has('request.parametersValidTo') ? b.time('request.parametersValidTo') : undefined,
      wrappingPublicKeySha256: b.str('request.wrappingPublicKeySha256', HEX64),
      importTokenSha256: b.str('request.importTokenSha256', HEX64),
    },
    key: { keySpec: b.oneOf('key.keySpec', CEREMONY_KEY_SPECS), keyUsage: b.oneOf('key.keyUsage', ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'] as const) },
    hsm: {
      target: b.str('hsm.target'),
      simulated: b.bool('hsm.simulated'),
      firmware: b.str('hsm.firmware'),
      serial: b.num('hsm.serial'),
      authKey: b.has('hsm.authKey') ? transcriptObject(b, 'hsm.authKey') : undefined,
      key: transcriptObject(b, 'hsm.key'),
      wrapKey: b.has('hsm.wrapKey') ? transcriptObject(b, 'hsm.wrapKey') : undefined,
    },
    wrappedKey: b.part('wrappedKey'),
    publicKey: b.part('publicKey'),
    attestation: { certificate: b.part('attestation.certificate'), chain },
    message: b.part('message'),
    hsmSignature: b.has('hsmSignature') ? { signingAlgorithm: b.str('hsmSignature.signingAlgorithm'), signature: b.part('hsmSignature.signature') } : undefined,
    auditLog: { entries, chainVerified: b.bool('auditLog.chainVerified') },
    steps,
  };
}
