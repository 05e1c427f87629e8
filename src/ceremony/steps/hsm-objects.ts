/** HSM look-ups shared by the steps: find an object or learn it is absent, and what the ceremony's key needs. */
import type { HsmSession } from '../../client/index.js';
import { getOpaque } from '../../protocol/commands/get-opaque.js';
import { DeviceError } from '../../errors.js';
import { capabilities, parseCapabilities, type Capabilities } from '../../protocol/capabilities.js';
import type { ObjectInfo } from '../../protocol/commands/get-object-info.js';
import { DeviceErrorCode } from '../../protocol/device-errors.js';
import type { CeremonyConfig } from '../config.js';
import { keyCapabilityNames, keySpecs } from '../key-specs.js';

/** GetObjectInfo, or undefined when the device answers OBJECT_NOT_FOUND. */
export async function findObject(session: HsmSession, type: number, id: number): Promise<ObjectInfo | undefined> {
  try {
    return await session.getObjectInfo(type, id);
  } catch (e) {
    if (e instanceof DeviceError && e.deviceCode === DeviceErrorCode.OBJECT_NOT_FOUND) return undefined;
    throw e;
  }
}

export function keyCapabilities(c: CeremonyConfig): Capabilities {
  return parseCapabilities(keyCapabilityNames(c.key.keySpec, c.key.usage).join(','));
}

const ORIGIN_GENERATED = 0x01;

/** True when the key looks exactly like one this tool generates with these settings (origin, algorithm, label, ...). */
export function looksGeneratedHere(c: CeremonyConfig, info: ObjectInfo): boolean {
  const spec = keySpecs[c.key.keySpec];
  return info.origin === ORIGIN_GENERATED && info.type === spec.objectType && info.algorithm === spec.algorithm
    && labelOf(info) === c.key.label && info.capabilities === keyCapabilities(c) && info.domains === c.key.domains;
}

export function labelOf(info: ObjectInfo): string {
  let end = info.label.length;
  while (end > 0 && info.label[end - 1] === 0) end--;
  return new TextDecoder().decode(info.label.subarray(0, end));
}

/**
 * The device attestation certificate (opaque object 0, reserved for it), or undefined when the auth key lacks
 * get-opaque or the device has none.
 */
export async function readDeviceCertificate(session: HsmSession, auth: ObjectInfo | undefined): Promise<Uint8Array | undefined> {
  if (!auth || !(auth.capabilities & capabilities('get-opaque'))) return undefined;
  try {
    return await session.call(getOpaque, 0);
  } catch (e) {
    if (e instanceof DeviceError) return undefined;
    throw e;
  }
}
