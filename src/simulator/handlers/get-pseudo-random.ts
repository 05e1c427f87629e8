/**
 * Get Pseudo Random 0x51: `count` bytes from the device RNG; session capability get-pseudo-random. A count whose
 * answer would not fit in one session response frame is INVALID_DATA.
 */
import { getPseudoRandom } from '../../protocol/commands/get-pseudo-random.js';
import { requireSessionCapability } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';

/** Largest inner response payload that fits a 3136-byte SessionMessage answer (3119-byte inner frame). */
export const MAX_SESSION_RESPONSE_PAYLOAD = 3116;

export const getPseudoRandomHandler = defineHandler(getPseudoRandom, (ctx, count) => {
  requireSessionCapability(sessionAuth(ctx), 'get-pseudo-random');
  if (count > MAX_SESSION_RESPONSE_PAYLOAD) fail(E.INVALID_DATA, `GetPseudoRandom of ${count} bytes does not fit one response.`);
  return ctx.device.random(count);
});
