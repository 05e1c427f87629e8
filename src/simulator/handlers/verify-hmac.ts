/**
 * Verify HMAC 0x5C: capability verify-hmac on the session and the HMAC key. The MAC is as long as the key's hash
 * output (the request does not say; the device splits it), compared in constant time. Response: 1 valid, 0 not.
 */
import { constantTimeEqual } from '../../crypto/random.js';
import { hmac } from '../../crypto/digest.js';
import { hmacAlgorithms, type HmacAlgorithm } from '../../protocol/algorithms.js';
import { splitMacAndData, verifyHmac } from '../../protocol/commands/verify-hmac.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const verifyHmacHandler = defineHandler(verifyHmac, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.HMAC_KEY, q.keyId, 'verify-hmac');
  ctx.audit.target = key.id;
  const { hash, macLength } = hmacAlgorithms[key.algorithm as HmacAlgorithm];
  const { mac, data } = splitMacAndData(q.macAndData, macLength);
  return constantTimeEqual(hmac(hash, key.material, data), mac);
});
