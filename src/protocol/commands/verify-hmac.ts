/**
 * Verify HMAC, command 0x5C. https://developers.yubico.com/YubiHSM2/Commands/Verify_Hmac.html
 * In a session; capability verify-hmac on the session and the key.
 * Request: key id(2) ‖ MAC (20/32/48/64) ‖ data. Response (L = 1): 1 verified, 0 not.
 * Nothing in the request says where the MAC ends: its length is the key's hash length, which only the device
 * knows. So the request carries `macAndData` as sent; the device splits it with splitMacAndData(macLength).
 */
import { Reader } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { concat } from '../bytes.js';
import { encodeKeyAndData, exactly, invalidData, restAtLeast, wrongLength, own } from './shared.js';

export interface VerifyHmacRequest {
  keyId: number;
  /** MAC ‖ data. Build it with verifyHmacRequest(). */
  macAndData: Uint8Array;
}

const WHAT = 'VerifyHmac request';

export function verifyHmacRequest(keyId: number, mac: Uint8Array, data: Uint8Array): VerifyHmacRequest {
  return { keyId, macAndData: concat(mac, data) };
}

/** The device's split, once it knows the key's MAC length (20/32/48/64). At least 1 data byte must follow. */
export function splitMacAndData(macAndData: Uint8Array, macLength: number): { mac: Uint8Array; data: Uint8Array } {
  if (macAndData.length < macLength + 1) {
    throw wrongLength(
      'BAD_HMAC_LENGTH',
      `${WHAT}: needs a ${macLength}-byte MAC and at least 1 data byte, got ${macAndData.length} bytes.`,
    );
  }
  return { mac: own(macAndData.subarray(0, macLength)), data: own(macAndData.subarray(macLength)) };
}

export const verifyHmac = defineCommand<VerifyHmacRequest, boolean>({
  code: Command.VERIFY_HMAC,
  name: 'Verify HMAC',
  context: 'session',
  encodeRequest: (q) => encodeKeyAndData({ keyId: q.keyId, data: q.macAndData }),
  decodeRequest(payload) {
    const r = new Reader(payload, WHAT);
    const keyId = r.u16('key id');
    return { keyId, macAndData: restAtLeast(r, 21, 'MAC and data', WHAT) };
  },
  encodeResponse: (ok) => Uint8Array.of(ok ? 1 : 0),
  decodeResponse(payload) {
    const v = exactly(payload, 1, 'VerifyHmac response')[0];
    if (v > 1) throw invalidData('BAD_VERIFY_RESULT', `VerifyHmac answered ${v}; only 0 (invalid) and 1 (valid) exist.`);
    return v === 1;
  },
});
