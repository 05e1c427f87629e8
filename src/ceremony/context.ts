/**
 * What every ceremony step receives: the configuration, the open HSM session and KMS port, the journal, the
 * paths of the files it writes, a clock, a progress sink, and what earlier steps learnt (`state`). Steps never
 * trust `state` or the journal alone: they re-read the HSM and KMS before acting.
 */
import { join } from 'node:path';
import type { HsmSession, YubiHsm } from '../client/index.js';
import type { ObjectInfo } from '../protocol/commands/get-object-info.js';
import type { ImportParameters, KmsKey, KmsPort } from '../kms/client/port.js';
import type { CeremonyConfig } from './config.js';
import type { CeremonyEvent } from './events.js';
import type { Journal } from './journal.js';
import type { StepName } from './plan.js';

export interface CeremonyPaths {
  outDir: string;
  workDir: string;
  journal: string;
  /** Our hash-pinned JSON bundle of the current import parameters. */
  importParams: string;
  /** Seed step 1: the public key, PEM. */
  publicKey: string;
  /** Seed step 3: the wrapping key as PEM. */
  wrappingKeyPem: string;
  /** Seed step 5: the wrapped key blob. */
  wrappedKey: string;
  /** Seed step 6/7: the message, the KMS signature (DER) and its base64. */
  message: string;
  signature: string;
  signatureB64: string;
  /** The HSM attestation certificate of the key (PEM). */
  attestation: string;
  transcript: string;
}

export function ceremonyPaths(c: CeremonyConfig): CeremonyPaths {
  const stem = `key0x${c.key.id.toString(16)}`;
  return {
    outDir: c.outDir,
    workDir: c.workDir,
    journal: join(c.workDir, 'journal.json'),
    importParams: join(c.workDir, 'import-parameters.json'),
    publicKey: join(c.outDir, `${stem}.pub`),
    wrappingKeyPem: join(c.outDir, 'wrappingkey-aws.pem'),
    wrappedKey: join(c.outDir, `${stem}-wrapped-aws.bin`),
    message: join(c.outDir, 'message-aws.txt'),
    signature: join(c.outDir, 'message-aws.signature'),
    signatureB64: join(c.outDir, 'message-aws.signature.b64'),
    attestation: join(c.outDir, `${stem}-attestation.pem`),
    transcript: join(c.outDir, 'transcript.json'),
  };
}

/** Facts gathered while running; the transcript is built from them. */
export interface CeremonyState {
  toolVersion: string;
  firmware?: string;
  serial?: number;
  authKey?: ObjectInfo;
  key?: ObjectInfo;
  /** DER SubjectPublicKeyInfo of the HSM key (asymmetric keys). */
  publicKeySpki?: Uint8Array;
  attestation?: { certificate: Uint8Array; chain: Uint8Array[] };
  kmsKey?: KmsKey;
  params?: ImportParameters;
  wrapped?: Uint8Array;
  wrapKey?: ObjectInfo;
  verification?: Record<string, boolean | string>;
  kmsSignature?: Uint8Array;
  audit?: { entries: unknown[]; chainVerified: boolean; firstNumber?: number; lastNumber?: number };
  /** Log entry number seen at the start, so the transcript keeps only the ceremony's entries. */
  auditStartNumber?: number;
  stepTimes: Partial<Record<StepName, { startedAt: string; finishedAt?: string; ms?: number; outcome?: string }>>;
}

export interface CeremonyContext {
  config: CeremonyConfig;
  paths: CeremonyPaths;
  hsm: YubiHsm;
  session: HsmSession;
  kms: KmsPort;
  journal: Journal;
  now: () => Date;
  emit: (e: CeremonyEvent) => void;
  state: CeremonyState;
  /** Options that change behaviour without changing the ceremony's identity. */
  flags: { useExistingKey: boolean; allowSimulatedHsm: boolean; allowLocalKms?: boolean };
  /** This run: when it started and what it talks to. */
  run: { startedAt: Date; targets: { hsm: string; kms: string; simulated: boolean } };
  /** Test hook: called at named points inside steps (crash tests kill the process there). */
  checkpoint: (name: string) => void | Promise<void>;
  /** Waits before asking KMS again (steps/kms-retry.ts); tests pass one that does not wait. */
  sleep: (ms: number) => Promise<void>;
}

/** The real wait. */
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface CeremonyStep {
  readonly name: StepName;
  /** Checks the real HSM and KMS state, acts only where needed, and returns a one-line outcome. */
  run(ctx: CeremonyContext): Promise<string>;
}
