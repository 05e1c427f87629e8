/**
 * Opening what one manual seed step (`hsm2kms hsm generate`, `kms create`, ...) or one part of the air-gapped split
 * (`prepare`, `wrap`, `complete`) needs, shaped as a CeremonyContext so the ceremony's own steps run unchanged.
 * Only the targets the command uses are opened: an HSM command never starts the local KMS and a KMS command never
 * opens the HSM (a target that was not opened throws if a step reaches for it). The targets are the import
 * command's (src/ceremony/targets.ts): embedded by default, with state under the work dir, so separate processes
 * share one software YubiHSM 2 and one local KMS. The work dir is locked for the command's duration.
 *
 * The journal is `<work dir>/journal-manual.json` (the Journal format), separate from `hsm2kms import`'s
 * journal.json: the manual commands take different flags each, so there is no single configuration to pin, and
 * its ceremony id is what tags the KMS key `kms create` / `prepare` make (so re-running them finds that key).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HsmSession, YubiHsm } from '../../client/index.js';
import { formatVersion } from '../../client/index.js';
import { randomUuid } from '../../crypto/random.js';
import { Hsm2KmsError } from '../../errors.js';
import type { KmsPort } from '../../kms/client/port.js';
import { ObjectType } from '../../protocol/object-types.js';
import { withKmsEnvironment, type CeremonyConfig } from '../config.js';
import { ceremonyPaths, realSleep, type CeremonyContext, type CeremonyState } from '../context.js';
import { CeremonyError } from '../errors.js';
import { fileSystemError } from '../fs-errors.js';
import { Journal } from '../journal.js';
import { acquireLock } from '../lock.js';
import { hsmPassword, passwordSources, withEmbeddedPasswordHint, type PasswordSources } from '../password.js';
import { describeHsmTarget, describeKmsTarget, STEP_NAMES, type StepName } from '../plan.js';
import { TOOL_VERSION } from '../runner.js';
import { openHsm, openKms } from '../targets.js';

export const MANUAL_JOURNAL_FILE = 'journal-manual.json';
/** Marks a manual journal in the configSha256 field: no single configuration is pinned (see above). */
const MANUAL_JOURNAL_MARK = 'manual-steps';

export interface StepNeeds {
  hsm: boolean;
  kms: boolean;
}

export interface OpenStepOptions {
  config: CeremonyConfig;
  need: StepNeeds;
  env: NodeJS.ProcessEnv;
  /** Where the HSM password comes from (default: HSM2KMS_HSM_PASSWORD, the configured file, the embedded default). */
  password?: PasswordSources;
  now?: () => Date;
}

export interface OpenedStep {
  ctx: CeremonyContext;
  /** What the command talks to, one line each (only the targets it opened). */
  targets: { hsm?: string; kms?: string; simulated: boolean };
  close(): Promise<void>;
}

/** Stands in for a target the command did not open: any use is a programming error, reported as such. */
function notOpened<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      throw new CeremonyError('TARGET_NOT_OPEN', `Internal error: this command does not open the ${what} (used ${String(prop)}); please report it.`);
    },
  });
}

export function loadManualJournal(workDir: string, now: () => Date): Journal {
  const path = join(workDir, MANUAL_JOURNAL_FILE);
  return Journal.load(path, now) ?? Journal.create(path, randomUuid(), MANUAL_JOURNAL_MARK, STEP_NAMES, now);
}

export async function openStep(o: OpenStepOptions): Promise<OpenedStep> {
  const config = o.need.kms ? withKmsEnvironment(o.config, o.env) : o.config;
  const now = o.now ?? (() => new Date());
  const paths = ceremonyPaths(config);
  mkdirSync(paths.workDir, { recursive: true, mode: 0o700 });
  const release = acquireLock(paths.workDir);
  const closers: Array<() => Promise<void>> = [];
  let session: HsmSession | undefined;
  const close = async () => {
    if (session) await session.close().catch(() => {});
    for (const c of closers.reverse()) await c().catch(() => {});
    release();
  };
  try {
    const journal = loadManualJournal(paths.workDir, now);
    const state: CeremonyState = { toolVersion: TOOL_VERSION, stepTimes: {} };
    let hsm = notOpened<YubiHsm>('HSM');
    let kms = notOpened<KmsPort>('KMS');
    const targets: OpenedStep['targets'] = { simulated: false };
    if (o.need.hsm) {
      const embedded = config.hsm.target.kind === 'embedded';
      const password = await hsmPassword(config, o.password ?? passwordSources(config, o.env));
      try {
        const opened = await openHsm(config.hsm.target, config.workDir);
        closers.push(opened.close);
        hsm = opened.hsm;
        session = await hsm.openSession({ authKeyId: config.hsm.authKeyId, password });
      } catch (e) {
        throw withEmbeddedPasswordHint(config, e);
      } finally {
        password.fill(0);
      }
      state.firmware = formatVersion(hsm.firmware);
      state.serial = hsm.serial;
      state.authKey = await session.getObjectInfo(ObjectType.AUTHENTICATION_KEY, config.hsm.authKeyId);
      targets.hsm = describeHsmTarget(config.hsm.target);
      targets.simulated ||= embedded;
    }
    if (o.need.kms) {
      const opened = await openKms(config.kms.target, config.workDir, o.env);
      closers.push(opened.close);
      kms = opened.kms;
      targets.kms = describeKmsTarget(config.kms.target);
      targets.simulated ||= config.kms.target.kind === 'embedded';
    }
    const ctx: CeremonyContext = {
      config, paths, hsm, session: session ?? notOpened<HsmSession>('HSM'), kms, journal, now, emit: () => {}, state,
      flags: { useExistingKey: false, allowSimulatedHsm: false },
      run: { startedAt: now(), targets: { hsm: targets.hsm ?? '', kms: targets.kms ?? '', simulated: targets.simulated } },
      checkpoint: () => {},
      sleep: realSleep,
    };
    return { ctx, targets, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Runs one piece of work as the named ceremony step: the journal records it (begin, done with its one-line outcome,
 * or failed with the error's code) and the state keeps its times for a transcript.
 */
export async function recordStep(ctx: CeremonyContext, name: StepName, work: () => Promise<string>): Promise<string> {
  ctx.journal.begin(name);
  const t0 = performance.now();
  const startedAt = ctx.now().toISOString();
  try {
    const outcome = await work();
    const ms = Math.round(performance.now() - t0);
    ctx.journal.finish(name, outcome);
    ctx.state.stepTimes[name] = { startedAt, finishedAt: ctx.now().toISOString(), ms, outcome };
    return outcome;
  } catch (caught) {
    const e = fileSystemError(caught) ?? caught;
    const err = e instanceof Hsm2KmsError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
    ctx.journal.fail(name, err);
    throw e;
  }
}
