/**
 * The HSM key as the manual commands see it: generated here (the ceremony's hsm-generate-key step) or already in
 * the HSM. A key that exists decides the key spec and usage (so `hsm pubkey`, `hsm put-wrapkey` and `hsm wrap` work
 * on it without repeating --key-spec), unless the user named another spec, which is refused.
 */
import { algorithmName } from '../../protocol/algorithms.js';
import { capabilities, formatCapabilities } from '../../protocol/capabilities.js';
import type { ObjectInfo } from '../../protocol/commands/get-object-info.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError } from '../errors.js';
import { CEREMONY_KEY_SPECS, keySpecs, type CeremonyKeySpec, type KeyUsage } from '../key-specs.js';
import { checkExportable, checkVerifiable } from '../steps/hsm-checks.js';
import { findObject, labelOf, looksGeneratedHere } from '../steps/hsm-objects.js';
import { hsmGenerateKey } from '../steps/hsm-generate-key.js';

/** The KMS key spec of an HSM key object, or undefined when KMS cannot hold it. */
export function keySpecOfObject(info: ObjectInfo): CeremonyKeySpec | undefined {
  return CEREMONY_KEY_SPECS.find((s) => keySpecs[s].objectType === info.type && keySpecs[s].algorithm === info.algorithm);
}

function usageOf(spec: CeremonyKeySpec, info: ObjectInfo): KeyUsage {
  const usages = keySpecs[spec].usages;
  if (usages.length === 1) return usages[0];
  const canSign = (info.capabilities & capabilities('sign-pkcs', 'sign-pss')) !== 0n;
  return !canSign && (info.capabilities & capabilities('decrypt-oaep')) !== 0n ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY';
}

/** Looks the key up under either key type. */
export async function findHsmKey(ctx: CeremonyContext): Promise<ObjectInfo | undefined> {
  const id = ctx.config.key.id;
  const first = keySpecs[ctx.config.key.keySpec].objectType;
  const other = first === ObjectType.ASYMMETRIC_KEY ? ObjectType.SYMMETRIC_KEY : ObjectType.ASYMMETRIC_KEY;
  return (await findObject(ctx.session, first, id)) ?? (await findObject(ctx.session, other, id));
}

/**
 * When the key exists, makes the configuration's key spec and usage those of the key (or refuses when the user
 * named another spec with --key-spec). Returns the key's information, or undefined when there is no key.
 */
export async function adoptExistingKey(ctx: CeremonyContext, explicitSpec: boolean): Promise<ObjectInfo | undefined> {
  const info = await findHsmKey(ctx);
  if (!info) return undefined;
  const c = ctx.config;
  const spec = keySpecOfObject(info);
  if (!spec) {
    throw new CeremonyError('HSM_KEY_UNSUPPORTED', `HSM object ${formatId(info.id)} is ${algorithmName(info.algorithm)}, which AWS KMS cannot import; choose another --key-id.`);
  }
  if (spec !== c.key.keySpec && explicitSpec) {
    throw new CeremonyError('HSM_KEY_SPEC_MISMATCH', `HSM key ${formatId(info.id)} is ${algorithmName(info.algorithm)} (${spec}), not ${c.key.keySpec}; drop --key-spec or give --key-spec ${spec}.`);
  }
  c.key.keySpec = spec;
  c.key.usage = usageOf(spec, info);
  ctx.state.key = info;
  return info;
}

/** Exporting for KMS (GetRsaWrappedKey, 0x74) needs firmware 2.4; checked before anything is created. */
export function requireExportFirmware(ctx: CeremonyContext): void {
  if (!ctx.hsm.supports(2, 4, 0)) {
    throw new CeremonyError('HSM_FIRMWARE_TOO_OLD', `The YubiHSM has firmware ${ctx.state.firmware}; exporting keys for AWS KMS (GetRsaWrappedKey) needs firmware 2.4.0 or later.`, { preflight: true });
  }
}

/**
 * Seed step 1 (`generate asymmetric 0 0x100 ...`): generates the key unless it is already there. A key at that id
 * with other attributes is refused unless `useExisting` (then it must be exportable and carry no capability the
 * public wrap key will not delegate).
 */
export async function ensureHsmKey(ctx: CeremonyContext, o: { useExisting: boolean; explicitSpec: boolean; hint: string }): Promise<string> {
  requireExportFirmware(ctx);
  const c = ctx.config;
  const existing = await findHsmKey(ctx);
  if (existing && !(keySpecOfObject(existing) === c.key.keySpec && looksGeneratedHere(c, existing))) {
    if (!o.useExisting) {
      throw new CeremonyError(
        'HSM_KEY_ID_TAKEN',
        `HSM object ${formatId(c.key.id)} (${labelOf(existing) || 'no label'}, ${algorithmName(existing.algorithm)}, ${formatCapabilities(existing.capabilities)}) already exists with other settings; ${o.hint}`,
        { preflight: true },
      );
    }
    await adoptExistingKey(ctx, o.explicitSpec);
    checkExportable(c, existing);
    checkVerifiable(c, existing);
    return `${formatId(c.key.id)} already present (${algorithmName(existing.algorithm)}, not generated here; used as it is)`;
  }
  return hsmGenerateKey.run(ctx);
}
