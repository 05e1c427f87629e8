/**
 * Pre-flight: every check that can fail before anything changes. Firmware 2.4+, a simulator sending keys to a real
 * KMS, the HSM key id (free, this ceremony's, or an existing key that can be exported and checked both ways), the
 * auth key's capabilities, delegated capabilities and domains (every missing item listed at once), the public wrap
 * key id, the KMS credentials and Region, and the alias. The key spec / wrapping combination was already checked
 * when the configuration was read.
 */
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import { algorithmName } from '../../protocol/algorithms.js';
import { formatVersion } from '../../client/index.js';
import { Hsm2KmsError } from '../../errors.js';
import type { KmsAlias } from '../../kms/client/port.js';
import type { ObjectInfo } from '../../protocol/commands/get-object-info.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { CeremonyError } from '../errors.js';
import { keySpecs } from '../key-specs.js';
import { kmsKnownOnlyByAnswer, realHsmDescription, refuseRealHsmToLocalKms, refuseSimulatedToRealKms } from '../simulated.js';
import { isSimulatorDeviceCertificate } from '../simulator-ca.js';
import { checkAuthKey, checkExportable, checkVerifiable } from './hsm-checks.js';
import { checkGenuineDevice } from './hsm-genuine.js';
import { findObject, labelOf, looksGeneratedHere, readDeviceCertificate } from './hsm-objects.js';
import { CEREMONY_TAG, findCeremonyKey } from './kms-keys.js';
import { checkOutputsOurs } from './outputs.js';
import { inspectWrapKeySlot, wrapKeyTaken } from './wrap-key.js';

function preflightError(code: string, message: string, cause?: unknown): CeremonyError {
  return new CeremonyError(code, message, { preflight: true, cause });
}

/**
 * A software YubiHSM 2 behind a connector shows itself by its device attestation certificate; its keys go to no
 * KMS off this machine unless allowed. Any other HSM is taken as real: its key goes to no KMS on this machine unless
 * allowed, since a local KMS keeps imported material in a file here.
 */
async function checkSimulator(ctx: CeremonyContext, device: Uint8Array | undefined): Promise<void> {
  const c = ctx.config;
  const shownLocal = ctx.kms.localKmsSeen?.() ?? false;
  if (c.hsm.target.kind === 'embedded') return;
  if (!device || !isSimulatorDeviceCertificate(device)) {
    refuseRealHsmToLocalKms(c.kms.target, ctx.flags.allowLocalKms ?? false, realHsmDescription(ctx.run.targets.hsm, c.hsm.authKeyId, device), shownLocal);
    return;
  }
  const source = `${ctx.run.targets.hsm}, which is a software YubiHSM 2 (its device attestation certificate comes from the simulator's test CA)`;
  refuseSimulatedToRealKms(c.kms.target, ctx.flags.allowSimulatedHsm, source, 'name a real YubiHSM with --connector or --usb', shownLocal);
  ctx.run.targets.simulated = true;
  ctx.emit({ type: 'note', step: 'preflight', message: 'the HSM is a software YubiHSM 2 (a simulator, not an HSM): its device attestation certificate comes from the simulator\'s test CA' });
}

/**
 * The key id: free, this ceremony's key from an interrupted run (its generate step began, per the journal, and the
 * key has exactly these settings), or an existing key the user chose to import, which must then suit the ceremony.
 */
async function checkKeyId(ctx: CeremonyContext): Promise<{ existing?: ObjectInfo; ours: boolean }> {
  const c = ctx.config;
  const spec = keySpecs[c.key.keySpec];
  const existing = await findObject(ctx.session, spec.objectType, c.key.id);
  if (!existing) {
    if (ctx.journal.step('hsm-generate-key').status === 'done') {
      // Generating another key would give KMS material it already holds another key's (or a second HSM key).
      throw preflightError(
        'HSM_CEREMONY_KEY_GONE',
        `HSM key ${formatId(c.key.id)}, which this ceremony generated, is no longer in ${ctx.run.targets.hsm} (reset, or another device at that address?); connect the HSM the ceremony began on, or start a new ceremony with another --work-dir and --alias.`,
      );
    }
    return { ours: false };
  }
  const ours = ctx.journal.step('hsm-generate-key').status !== 'pending' && looksGeneratedHere(c, existing);
  if (!ours && !ctx.flags.useExistingKey) {
    throw preflightError(
      'HSM_KEY_ID_TAKEN',
      `HSM object ${formatId(c.key.id)} (${labelOf(existing) || 'no label'}, ${algorithmName(existing.algorithm)}) already exists and was not made by this ceremony; choose another --key-id, or pass --use-existing-key to import that key.`,
    );
  }
  if (!ours && existing.algorithm !== spec.algorithm) {
    throw preflightError('HSM_EXISTING_KEY_MISMATCH', `Existing key ${formatId(c.key.id)} is ${algorithmName(existing.algorithm)}, not ${algorithmName(spec.algorithm)} for ${c.key.keySpec}; choose the matching --key-spec.`);
  }
  checkExportable(c, existing);
  checkVerifiable(c, existing);
  return { existing, ours };
}

/** KMS: credentials and Region work, and the alias is free or already this ceremony's key (changes nothing). */
async function checkAlias(ctx: CeremonyContext): Promise<KmsAlias | undefined> {
  const name = ctx.config.kms.alias;
  try {
    const alias = await ctx.kms.findAlias(name);
    if (alias?.targetKeyId && !(await findCeremonyKey(ctx, alias.targetKeyId))) {
      throw preflightError('KMS_ALIAS_TAKEN', `KMS alias ${name} already points to key ${alias.targetKeyId}, which this ceremony did not create; choose another --alias.`);
    }
    return alias;
  } catch (e) {
    if (e instanceof Hsm2KmsError && !(e instanceof CeremonyError)) throw preflightError(e.code, `KMS pre-flight failed: ${e.message}`, e);
    throw e;
  }
}

export const preflight: CeremonyStep = {
  name: 'preflight',
  async run(ctx) {
    const { hsm, session, config: c, state } = ctx;
    const fw = formatVersion(hsm.firmware);
    state.firmware = fw;
    state.serial = hsm.serial;
    const began = ctx.journal.facts.hsmSerial;
    if (typeof began === 'number' && began !== hsm.serial) {
      throw preflightError(
        'HSM_OTHER_DEVICE',
        `This ceremony began on the YubiHSM 2 with serial ${began}, but ${ctx.run.targets.hsm} has serial ${hsm.serial}; connect the HSM the ceremony began on, or start a new ceremony with another --work-dir and --alias.`,
      );
    }
    if (!hsm.supports(2, 4, 0)) {
      throw preflightError('HSM_FIRMWARE_TOO_OLD', `The YubiHSM has firmware ${fw}; exporting keys for AWS KMS (GetRsaWrappedKey) needs firmware 2.4.0 or later.`);
    }
    const auth = await findObject(session, ObjectType.AUTHENTICATION_KEY, c.hsm.authKeyId);
    if (!auth) throw preflightError('HSM_AUTH_KEY_UNREADABLE', `Cannot read authentication key ${formatId(c.hsm.authKeyId)}'s information; check the auth key id.`);
    state.authKey = auth;
    const { existing, ours } = await checkKeyId(ctx);
    checkAuthKey(c, auth, { generate: !existing });
    const device = await readDeviceCertificate(ctx.session, auth);
    const genuine = checkGenuineDevice(ctx, device);
    // Where the KMS is known beforehand (AWS, loopback), before any KMS call; an endpoint elsewhere may be an hsm2kms
    // local KMS server, which says so in its answers: checked once the alias check has had one.
    const askKms = kmsKnownOnlyByAnswer(c.kms.target);
    if (!askKms) await checkSimulator(ctx, device);
    checkOutputsOurs(ctx);
    const wrap = await inspectWrapKeySlot(ctx);
    if (wrap.kind === 'foreign') throw wrapKeyTaken(ctx, wrap.info);
    const alias = await checkAlias(ctx);
    if (askKms) await checkSimulator(ctx, device);

    if (began === undefined) ctx.journal.setFacts({ hsmSerial: hsm.serial });
    const extras = [`firmware ${fw}`, `serial ${hsm.serial}`, `auth key ${formatId(c.hsm.authKeyId)} ok`];
    if (genuine) extras.push(genuine);
    if (existing) extras.push(`key ${formatId(c.key.id)} exists (${ours ? 'resuming' : 'importing an existing key'})`);
    if (alias) extras.push(`${c.kms.alias} is this ceremony's (${CEREMONY_TAG} tag)`);
    return extras.join('; ');
  },
};
