/**
 * The public wrap key slot (`--wrap-key-id`, 0x101): free, holding a wrap key this ceremony loaded, or holding
 * someone else's. The ceremony replaces or deletes only its own: one whose attributes are exactly what it puts
 * (label, export-wrapped only, delegated = the key's capabilities, the key's domains) and whose RSA modulus is one
 * it recorded in its journal just before loading it (`wrapKeysLoaded`). Attributes alone are not enough: another
 * ceremony (another work dir) on the same HSM puts the same attributes.
 */
import { PublicWrapKey } from '../../client/index.js';
import { sha256Hex } from '../../crypto/digest.js';
import { capabilities, type Capabilities } from '../../protocol/capabilities.js';
import type { ObjectInfo } from '../../protocol/commands/get-object-info.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError } from '../errors.js';
import { findObject, keyCapabilities, labelOf } from './hsm-objects.js';

export type WrapKeySlot =
  | { kind: 'free' }
  | { kind: 'ours'; info: ObjectInfo; modulus: Uint8Array }
  | { kind: 'foreign'; info: ObjectInfo };

/** The capabilities and delegated capabilities the ceremony gives its public wrap key. */
export function wrapKeyCapabilities(ctx: CeremonyContext): { caps: Capabilities; delegated: Capabilities } {
  return { caps: capabilities('export-wrapped'), delegated: keyCapabilities(ctx.config) };
}

/** SHA-256 of an RSA modulus, as recorded in the journal's `wrapKeysLoaded`. */
export function modulusSha256(modulus: Uint8Array): string {
  return sha256Hex(modulus);
}

/** Records, before PutPublicWrapKey, that this ceremony is loading the wrap key with this modulus. */
export function noteWrapKeyLoading(ctx: CeremonyContext, modulus: Uint8Array): void {
  const loaded = ctx.journal.facts.wrapKeysLoaded ?? [];
  const sha = modulusSha256(modulus);
  if (!loaded.includes(sha)) ctx.journal.setFacts({ wrapKeysLoaded: [...loaded, sha] });
}

export async function inspectWrapKeySlot(ctx: CeremonyContext): Promise<WrapKeySlot> {
  const c = ctx.config;
  const info = await findObject(ctx.session, ObjectType.PUBLIC_WRAP_KEY, c.wrapKey.id);
  if (!info) return { kind: 'free' };
  const want = wrapKeyCapabilities(ctx);
  const shaped = labelOf(info) === c.wrapKey.label && info.capabilities === want.caps
    && info.delegatedCapabilities === want.delegated && info.domains === c.key.domains;
  if (!shaped) return { kind: 'foreign', info };
  const modulus = (await PublicWrapKey.from(ctx.session, c.wrapKey.id).getPublicKey()).raw;
  const recorded = ctx.journal.facts.wrapKeysLoaded ?? [];
  return recorded.includes(modulusSha256(modulus)) ? { kind: 'ours', info, modulus } : { kind: 'foreign', info };
}

/** The one-line refusal for a wrap key id held by a key this ceremony did not load (nothing was changed). */
export function wrapKeyTaken(ctx: CeremonyContext, info: ObjectInfo): CeremonyError {
  const id = formatId(ctx.config.wrapKey.id);
  return new CeremonyError(
    'HSM_WRAP_KEY_ID_TAKEN',
    `HSM public wrap key ${id} (${labelOf(info) || 'no label'}) was not loaded by this ceremony, so hsm2kms will not replace or delete it; choose another --wrap-key-id for a new ceremony, or delete that key yourself if it is no longer needed.`,
    { preflight: true },
  );
}
