/** Sign HMAC 0x53: capability sign-hmac on the session and the HMAC key. Response: the MAC (20/32/48/64 bytes). */
import { hmac } from '../../crypto/digest.js';
import { hmacAlgorithms, type HmacAlgorithm } from '../../protocol/algorithms.js';
import { signHmac } from '../../protocol/commands/sign-hmac.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { defineHandler, sessionAuth } from '../handler.js';

export const signHmacHandler = defineHandler(signHmac, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.HMAC_KEY, q.keyId, 'sign-hmac');
  ctx.audit.target = key.id;
  return hmac(hmacAlgorithms[key.algorithm as HmacAlgorithm].hash, key.material, q.data);
});
