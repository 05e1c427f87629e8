/** Sign EdDSA 0x6A: capability sign-eddsa on the session and the key; pure Ed25519 over the message. */
import { ed25519Sign } from '../../crypto/sim-primitives.js';
import { Algorithm } from '../../protocol/algorithms.js';
import { signEddsa } from '../../protocol/commands/sign-eddsa.js';
import { ObjectType } from '../../protocol/object-types.js';
import { useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { isExpandedEd25519, privateKeyOf } from '../objects.js';
import { ed25519SignExpanded, parseEd25519Body } from '../../crypto/wrap-body.js';

export const signEddsaHandler = defineHandler(signEddsa, (ctx, q) => {
  const key = useObject(ctx.contents, sessionAuth(ctx), ObjectType.ASYMMETRIC_KEY, q.keyId, 'sign-eddsa');
  ctx.audit.target = key.id;
  if (key.algorithm !== Algorithm.EC_ED25519) fail(E.INVALID_DATA, 'SignEddsa needs an Ed25519 key.');
  if (isExpandedEd25519(key)) return ed25519SignExpanded(parseEd25519Body(key.material), q.data);
  return ed25519Sign(privateKeyOf(key), q.data);
});
