/**
 * The ceremony journal: a versioned JSON file, replaced atomically after every step change, that records what
 * was done and the facts learnt (KMS key ARN, hashes of parameters and blobs). It is a hint for resuming, never
 * the truth: every step re-checks the real HSM and KMS first. It never holds a secret.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export const JOURNAL_FORMAT = 'hsm2kms-journal';
export const JOURNAL_VERSION = 1;

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepRecord {
  status: StepStatus;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  /** What the step found or did, one line, e.g. "already present" or "created". */
  outcome?: string;
  error?: { code: string; message: string };
}

export interface JournalFacts {
  kmsKeyArn?: string;
  kmsKeyId?: string;
  /** Set just before CreateKey, so a crash between CreateKey and the journal write can be recovered by tag. */
  createKeyStartedAt?: string;
  importParams?: { file: string; parametersValidTo: string; wrappingKeySha256: string; importTokenSha256: string };
  wrappedBlob?: { file: string; sha256: string; importTokenSha256: string };
  hsmPublicKeySha256?: string;
  /**
   * SHA-256 of the RSA modulus of every wrapping key this ceremony put into the HSM as a public wrap key, recorded
   * just before PutPublicWrapKey: clean-up deletes and re-runs replace only those (steps/wrap-key.ts).
   */
  wrapKeysLoaded?: string[];
  /** The serial number of the YubiHSM 2 the ceremony began on (after its first passed pre-flight). */
  hsmSerial?: number;
  /** SHA-256 of what the ceremony wrote (or was about to write) to each output file, by absolute path (steps/outputs.ts). */
  outputs?: Record<string, string[]>;
  [k: string]: unknown;
}

export interface JournalData {
  format: typeof JOURNAL_FORMAT;
  version: typeof JOURNAL_VERSION;
  ceremonyId: string;
  /** SHA-256 of the canonical (secret-free) configuration the ceremony was started with. */
  configSha256: string;
  createdAt: string;
  updatedAt: string;
  steps: Record<string, StepRecord>;
  facts: JournalFacts;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isStepRecord(v: unknown): boolean {
  return isRecord(v) && ['pending', 'running', 'done', 'failed', 'skipped'].includes(v.status as string) && Number.isInteger(v.attempts);
}

export class Journal {
  private constructor(
    readonly path: string,
    private data: JournalData,
    private readonly now: () => Date,
  ) {}

  static create(path: string, ceremonyId: string, configSha256: string, stepNames: readonly string[], now: () => Date = () => new Date()): Journal {
    const t = now().toISOString();
    const steps: Record<string, StepRecord> = {};
    for (const n of stepNames) steps[n] = { status: 'pending', attempts: 0 };
    const j = new Journal(path, { format: JOURNAL_FORMAT, version: JOURNAL_VERSION, ceremonyId, configSha256, createdAt: t, updatedAt: t, steps, facts: {} }, now);
    j.save();
    return j;
  }

  /** Loads a journal; undefined if the file does not exist. */
  static load(path: string, now: () => Date = () => new Date()): Journal | undefined {
    const moveAside = 'move it aside to start the ceremony afresh (every step re-checks the HSM and KMS)';
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (code === 'EISDIR') throw new UsageError('JOURNAL_CORRUPT', `Journal ${path} is a directory; ${moveAside}.`);
      throw e;
    }
    let data: JournalData;
    try {
      data = JSON.parse(text) as JournalData;
    } catch {
      throw new UsageError('JOURNAL_CORRUPT', `Journal ${path} is not valid JSON; ${moveAside}.`);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data) || data.format !== JOURNAL_FORMAT) {
      throw new UsageError('JOURNAL_CORRUPT', `${path} is not an hsm2kms journal; choose another --work-dir.`);
    }
    if (data.version !== JOURNAL_VERSION) {
      throw new UsageError('JOURNAL_VERSION', `Journal ${path} has version ${String(data.version)}; this hsm2kms reads version ${JOURNAL_VERSION}.`);
    }
    if (!isRecord(data.steps) || !Object.values(data.steps).every(isStepRecord) || !isRecord(data.facts)
      || typeof data.ceremonyId !== 'string' || typeof data.configSha256 !== 'string') {
      throw new UsageError('JOURNAL_CORRUPT', `Journal ${path} is damaged (steps, facts or ids missing or malformed); ${moveAside}.`);
    }
    return new Journal(path, data, now);
  }

  get ceremonyId(): string {
    return this.data.ceremonyId;
  }
  get configSha256(): string {
    return this.data.configSha256;
  }
  get facts(): Readonly<JournalFacts> {
    return this.data.facts;
  }
  step(name: string): Readonly<StepRecord> {
    return this.data.steps[name] ?? { status: 'pending', attempts: 0 };
  }
  begin(name: string): void {
    const prev = this.data.steps[name] ?? { status: 'pending', attempts: 0 };
    this.data.steps[name] = { status: 'running', attempts: prev.attempts + 1, startedAt: this.now().toISOString() };
    this.save();
  }

  finish(name: string, outcome: string): void {
    const s = this.data.steps[name];
    this.data.steps[name] = { ...s, status: 'done', outcome, finishedAt: this.now().toISOString() };
    delete this.data.steps[name].error;
    this.save();
  }

  fail(name: string, error: { code: string; message: string }): void {
    const s = this.data.steps[name];
    this.data.steps[name] = { ...s, status: 'failed', error, finishedAt: this.now().toISOString() };
    this.save();
  }

  /** Pins the journal to changed settings (only while they cannot contradict anything done; see runner.ts). */
  rebind(configSha256: string): void {
    this.data.configSha256 = configSha256;
    this.save();
  }

  setFacts(update: Partial<JournalFacts>): void {
    for (const [k, v] of Object.entries(update)) {
      if (v === undefined) delete this.data.facts[k];
      else this.data.facts[k] = v;
    }
    this.save();
  }

  private save(): void {
    this.data.updatedAt = this.now().toISOString();
    writeFileAtomic(this.path, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
  }
}
