/**
 * Put Public Wrap Key, command 0x73, firmware 2.4+.
 * https://docs.yubico.com/hardware/yubihsm-2/hsm-2-user-guide/hsm2-cmd-reference.html#put-public-wrap-key-command
 * In a session; session capability put-public-wrap-key (bit 0x36). Creates a type-9 object.
 * Request: NEWD(61, algorithm 9/10/11) ‖ RSA modulus n (k bytes, big-endian; e = 65537 is implied).
 * The modulus is kept raw; the device checks k against the algorithm. Response: id(2).
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { writeNewD, type DecodedNewObjectDelegated, type NewObjectDelegated } from '../new-object.js';
import { decodeId, encodeId, restAtLeast, readNewDBlock } from './shared.js';

export interface PutPublicWrapKeyRequest extends NewObjectDelegated {
  modulus: Uint8Array;
}

export const putPublicWrapKey = defineCommand<PutPublicWrapKeyRequest, number>({
  code: Command.PUT_PUBLIC_WRAPKEY,
  name: 'Put Public Wrap Key',
  context: 'session',
  encodeRequest: (q) => writeNewD(new Writer(61 + q.modulus.length), q).bytes(q.modulus).finish(),
  decodeRequest(payload): DecodedNewObjectDelegated & PutPublicWrapKeyRequest {
    const r = new Reader(payload, 'PutPublicWrapKey request');
    const o = readNewDBlock(r);
    return { ...o, modulus: restAtLeast(r, 1, 'modulus', 'PutPublicWrapKey request') };
  },
  encodeResponse: encodeId,
  decodeResponse: decodeId,
});
