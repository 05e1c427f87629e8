/**
 * Change Authentication Key 0x6C: session capability change-authentication-key; only the session's own key
 * (INVALID_ID for any other id), same algorithm as stored (INVALID_DATA otherwise [I]). Replaces the key
 * material; id, label, domains, capabilities, sequence and origin stay. Open sessions keep their session keys.
 */
import { changeAuthenticationKey } from '../../protocol/commands/change-authentication-key.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { objectKey } from '../state.js';
import { checkAuthKeyMaterial } from './put-authentication-key.js';

export const changeAuthenticationKeyHandler = defineHandler(changeAuthenticationKey, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'change-authentication-key');
  if (q.keyId !== auth.authKeyId) fail(E.INVALID_ID, 'Only the session\'s own authentication key can be changed.');
  const key = findVisible(ctx.contents, auth, ObjectType.AUTHENTICATION_KEY, q.keyId);
  if (q.algorithm !== key.algorithm) fail(E.INVALID_DATA, 'The new key must have the algorithm of the stored key.');
  checkAuthKeyMaterial(q.algorithm, q.key);
  ctx.contents.objects.set(objectKey(key.type, key.id), { ...key, material: q.key.slice() });
  key.material.fill(0);
  ctx.audit.target = key.id;
  ctx.changed();
  return key.id;
});
