/**
 * The ceremony transcript: JSON evidence with no secrets (no password, no session key, no plaintext key material;
 * the import token and wrapped blob appear only as SHA-256). Built from what the steps learnt.
 */
import { sha256Hex } from '../crypto/digest.js';
import { certificateToPem } from '../crypto/x509.js';
import { algorithmName } from '../protocol/algorithms.js';
import { capabilityNames } from '../protocol/capabilities.js';
import { commandName } from '../protocol/command-codes.js';
import type { ObjectInfo } from '../protocol/commands/get-object-info.js';
import { domainList } from '../protocol/domains.js';
import { formatId } from '../protocol/ids.js';
import { encodeLogEntry, type LogEntry } from '../protocol/log-entry.js';
import { objectTypeName } from '../protocol/object-types.js';
import type { CeremonyContext } from './context.js';
import type { Journal } from './journal.js';
import { keySpecs } from './key-specs.js';
import { labelOf } from './steps/hsm-objects.js';
import { makePlan, STEP_NAMES } from './plan.js';

export const TRANSCRIPT_FORMAT = 'hsm2kms-transcript';
export const TRANSCRIPT_VERSION = 1;

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export interface TranscriptObject {
  id: string;
  type: string;
  algorithm: string;
  label: string;
  domains: number[];
  capabilities: string[];
  delegatedCapabilities: string[];
  sequence: number;
  origin: string;
}

export function describeObject(i: ObjectInfo): TranscriptObject {
  const origin: string[] = [];
  if (i.origin & 0x01) origin.push('generated');
  if (i.origin & 0x02) origin.push('imported');
  if (i.origin & 0x10) origin.push('imported-wrapped');
  return {
    id: formatId(i.id),
    type: objectTypeName(i.type),
    algorithm: algorithmName(i.algorithm),
    label: labelOf(i),
    domains: domainList(i.domains),
    capabilities: capabilityNames(i.capabilities),
    delegatedCapabilities: capabilityNames(i.delegatedCapabilities),
    sequence: i.sequence,
    origin: `0x${i.origin.toString(16).padStart(2, '0')} (${origin.join('+') || 'unknown'})`,
  };
}

export interface TranscriptLogEntry {
  number: number;
  command: string;
  result: string;
  sessionKey: string;
  targetKey: string;
  secondKey: string;
  /** The whole 32-byte entry, so the hash chain can be re-checked offline. */
  raw: string;
}

export function describeLogEntry(e: LogEntry): TranscriptLogEntry {
  return {
    number: e.number,
    command: e.command === 0 ? 'BOOT' : e.command === 0xff ? 'RESET' : commandName(e.command),
    result: e.result === 0x7f ? 'error' : `0x${e.result.toString(16).padStart(2, '0')}`,
    sessionKey: formatId(e.sessionKey),
    targetKey: formatId(e.targetKey),
    secondKey: formatId(e.secondKey),
    raw: hex(encodeLogEntry(e)),
  };
}

export interface Transcript {
  format: typeof TRANSCRIPT_FORMAT;
  version: typeof TRANSCRIPT_VERSION;
  ceremonyId: string;
  tool: { name: 'hsm2kms'; version: string; node: string };
  targets: { hsm: string; kms: string; simulated: boolean };
  startedAt: string;
  finishedAt: string;
  hsm: {
    firmware?: string;
    serial?: number;
    authKey?: TranscriptObject;
    key?: TranscriptObject;
    publicKey?: { spkiBase64: string; sha256: string };
    attestation?: { certificatePem: string; chainPem: string[]; publicKeySha256: string };
    wrapKey?: TranscriptObject;
  };
  kms: {
    keyArn?: string;
    alias: string;
    keySpec: string;
    keyUsage: string;
    origin?: string;
    keyState?: string;
    expirationModel?: string;
    validTo?: string;
    publicKeySha256?: string;
    wrappingAlgorithm: string;
    wrappingKeySpec: string;
    wrappingKeySha256?: string;
    importTokenSha256?: string;
    parametersValidTo?: string;
    wrappedKeySha256?: string;
  };
  verification: {
    checks: Record<string, boolean | string>;
    messageBase64?: string;
    signingAlgorithm?: string;
    kmsSignatureBase64?: string;
  };
  auditLog?: { entries: TranscriptLogEntry[]; chainVerified: boolean; note: string };
  steps: Array<{ name: string; title: string; status: string; outcome?: string; startedAt?: string; finishedAt?: string; ms?: number; attempts: number }>;
  /** SHA-256 of the files written to the output directory, by file name. */
  files: Record<string, string>;
}

export function buildTranscript(ctx: CeremonyContext, journal: Journal, startedAt: Date, files: Record<string, string>, targets: { hsm: string; kms: string; simulated: boolean }): Transcript {
  const s = ctx.state;
  const c = ctx.config;
  const plan = makePlan(c);
  const facts = journal.facts;
  return {
    format: TRANSCRIPT_FORMAT,
    version: TRANSCRIPT_VERSION,
    ceremonyId: journal.ceremonyId,
    tool: { name: 'hsm2kms', version: s.toolVersion, node: process.version },
    targets,
    startedAt: startedAt.toISOString(),
    finishedAt: ctx.now().toISOString(),
    hsm: {
      firmware: s.firmware,
      serial: s.serial,
      authKey: s.authKey && describeObject(s.authKey),
      key: s.key && describeObject(s.key),
      publicKey: s.publicKeySpki && { spkiBase64: b64(s.publicKeySpki), sha256: sha256Hex(s.publicKeySpki) },
      attestation: s.attestation && {
        certificatePem: certificateToPem(s.attestation.certificate),
        chainPem: s.attestation.chain.map(certificateToPem),
        publicKeySha256: s.publicKeySpki ? sha256Hex(s.publicKeySpki) : '',
      },
      wrapKey: s.wrapKey && describeObject(s.wrapKey),
    },
    kms: {
      keyArn: s.kmsKey?.arn,
      alias: c.kms.alias,
      keySpec: c.key.keySpec,
      keyUsage: c.key.usage,
      origin: s.kmsKey?.origin,
      keyState: s.kmsKey?.keyState,
      expirationModel: s.kmsKey?.expirationModel,
      validTo: s.kmsKey?.validTo?.toISOString(),
      publicKeySha256: typeof s.verification?.publicKeySha256 === 'string' ? s.verification.publicKeySha256 : undefined,
      wrappingAlgorithm: c.kms.wrappingAlgorithm,
      wrappingKeySpec: c.kms.wrappingKeySpec,
      wrappingKeySha256: facts.importParams?.wrappingKeySha256,
      importTokenSha256: facts.importParams?.importTokenSha256,
      parametersValidTo: facts.importParams?.parametersValidTo,
      wrappedKeySha256: facts.wrappedBlob?.sha256,
    },
    verification: {
      checks: s.verification ?? {},
      messageBase64: c.key.usage === 'SIGN_VERIFY' && s.kmsSignature ? Buffer.from(c.message, 'utf8').toString('base64') : undefined,
      signingAlgorithm: s.kmsSignature ? keySpecs[c.key.keySpec].signingAlgorithm : undefined,
      kmsSignatureBase64: s.kmsSignature && b64(s.kmsSignature),
    },
    auditLog: s.audit && { entries: s.audit.entries as TranscriptLogEntry[], chainVerified: s.audit.chainVerified, note: 'entries written during the ceremony, oldest first; raw holds each 32-byte entry' },
    steps: STEP_NAMES.map((name) => {
      const rec = journal.step(name);
      const t = s.stepTimes[name];
      return {
        name,
        title: plan.steps.find((p) => p.name === name)!.title,
        status: rec.status,
        outcome: rec.outcome,
        startedAt: rec.startedAt,
        finishedAt: rec.finishedAt,
        ms: t?.ms,
        attempts: rec.attempts,
      };
    }),
    files,
  };
}
