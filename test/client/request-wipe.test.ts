/**
 * A Put* request holds key material in the clear: once answered, the session wipes the payload it encoded (the
 * device still got the key), and never touches buffers the caller handed in (Echo data, the key itself).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { CommandDef } from '../../src/protocol/command.js';
import { capabilities } from '../../src/protocol/capabilities.js';
import { Algorithm } from '../../src/protocol/algorithms.js';
import { echo } from '../../src/protocol/commands/echo.js';
import { putSymmetricKey, type PutSymmetricKeyRequest } from '../../src/protocol/commands/put-symmetric-key.js';
import { encryptAesEcb } from '../../src/protocol/commands/encrypt-aes-ecb.js';
import { createCipheriv } from 'node:crypto';
import { inProcessRig } from './harness.js';

const rig = await inProcessRig();
after(() => rig.close());

/** The same command, keeping a reference to each payload it encodes. */
function capturing<Q, R>(def: CommandDef<Q, R>, seen: Uint8Array[]): CommandDef<Q, R> {
  return { ...def, encodeRequest: (q: Q) => { const p = def.encodeRequest(q); seen.push(p); return p; } };
}

test('PutSymmetricKey: the encoded request is zero after the answer, the caller\'s key is intact and on the device', async () => {
  const session = await rig.open();
  try {
    const key = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
    const seen: Uint8Array[] = [];
    const request: PutSymmetricKeyRequest = {
      id: 0x0321, label: 'wipe', domains: 1, capabilities: capabilities('encrypt-ecb', 'decrypt-ecb'), algorithm: Algorithm.AES256, key,
    };
    assert.equal(await session.call(capturing(putSymmetricKey, seen), request), 0x0321);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.length, 53 + 32);
    assert.ok(seen[0]!.every((b) => b === 0), 'payload wiped');
    assert.deepEqual([...key], Array.from({ length: 32 }, (_, i) => 0xa0 + i), 'the caller\'s key untouched');
    // The device got the key: its AES-ECB of a block equals node:crypto's under the same key.
    const block = new Uint8Array(16).fill(0x5a);
    const ours = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false).update(block);
    assert.deepEqual(Buffer.from(await session.call(encryptAesEcb, { keyId: 0x0321, data: block })), ours);
  } finally {
    await session.close();
  }
});

test('Echo: a request carrying no secret is not wiped (its payload may be the caller\'s own bytes)', async () => {
  const session = await rig.open();
  try {
    const data = Uint8Array.from([1, 2, 3, 4, 5]);
    const answer = await session.call(echo, data);
    assert.deepEqual([...answer], [1, 2, 3, 4, 5]);
    assert.deepEqual([...data], [1, 2, 3, 4, 5]);
  } finally {
    await session.close();
  }
});
