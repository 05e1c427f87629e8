/**
 * Get Opaque 0x43: session capability get-opaque only (PROTOCOL.md 4.4 rule 4: the object's own capabilities do
 * not matter). Id 0 is the device attestation certificate, which the device holds outside the object store.
 */
import { getOpaque } from '../../protocol/commands/get-opaque.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const getOpaqueHandler = defineHandler(getOpaque, (ctx, id) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'get-opaque');
  ctx.audit.target = id;
  if (id === 0) {
    const cert = ctx.device.identity().attestation?.certificate;
    if (!cert) fail(E.OBJECT_NOT_FOUND, 'This device has no attestation certificate.');
    return cert.slice();
  }
  return findVisible(ctx.contents, auth, ObjectType.OPAQUE, id).material.slice();
});
