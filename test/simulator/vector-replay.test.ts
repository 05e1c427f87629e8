/**
 * The device role of vectors.json at the level of the whole software device (not only its secure channel): the
 * recorded python-yubihsm frames of b_session_keys, c_authenticate_session and d_session_messages are sent to a
 * SoftwareYubiHsm whose RNG gives the recorded card challenge and DRBG output, and every answer is compared with
 * the recorded device bytes. One documented difference: the vectors' fake backend gave the default auth key 56
 * capability bits, the simulator gives all 64 as PROTOCOL.md 4.7 says (capabilities ⊇ every defined bit), so
 * that one answer is compared after decryption with the capability fields substituted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecureChannel } from '../../src/session/index.js';
import { hex, newDevice, unhex, vectors } from './helpers.js';

test('b, c and d: the device answers python-yubihsm\'s frames with the recorded bytes', async () => {
  const v = vectors();
  const b = v.b_session_keys;
  const c = v.c_authenticate_session;
  const d = v.d_session_messages as Record<string, string>[];
  assert.equal(d.length, 7);
  const armed: Uint8Array[] = [];
  const random = (n: number) => {
    const next = armed.shift();
    if (next === undefined) return new Uint8Array(randomBytes(n));
    assert.equal(next.length, n, 'the device asked for another amount of randomness than the vector holds');
    return next;
  };
  const device = newDevice({ serial: 12345678, random });
  // Sessions 0-2 are taken first so the recorded handshake gets session id 3.
  for (let i = 0; i < b.session_id; i++) assert.equal((await device.handle(unhex(b.create_session_request)))[0], 0x83);
  armed.push(unhex(b.card_challenge));
  assert.equal(hex(await device.handle(unhex(b.create_session_request))), b.create_session_response);
  assert.equal(armed.length, 0, 'the card challenge was used');
  assert.equal(hex(await device.handle(unhex(c.request))), c.response);

  // A host channel from the same vectors reads the answers that are not byte-exact by design.
  const keys = { encKey: unhex(v.a_password_to_static_keys.K_ENC), macKey: unhex(v.a_password_to_static_keys.K_MAC) };
  const host = SecureChannel.hostSymmetric({ authKeyId: b.auth_key_id, keys, hostChallenge: unhex(b.host_challenge) });
  host.createSessionRequest();
  assert.equal(hex(host.handleCreateSessionResponse(unhex(b.create_session_response))!), c.request);
  host.handleAuthenticateSessionResponse(unhex(c.response));

  let compared = 0;
  for (const m of d) {
    if (m.inner_command.startsWith('5100')) armed.push(unhex(m.python_yubihsm_result)); // GetPseudoRandom: the DRBG output
    assert.equal(hex(host.wrapCommand(unhex(m.inner_command))), m.wire_request, m.label);
    const answer = await device.handle(unhex(m.wire_request));
    const inner = hex(host.unwrapResponse(answer));
    if (m.inner_command === '4e0003000102') {
      // GetObjectInfo of the default key: capabilities (offset 3) and delegated capabilities (offset 61), 8 bytes each.
      const substituted = m.inner_response.slice(0, 6) + 'ff'.repeat(8) + m.inner_response.slice(22, 122) + 'ff'.repeat(8);
      assert.equal(inner, substituted, m.label);
    } else {
      assert.equal(hex(answer), m.wire_response, m.label);
      assert.equal(inner, m.inner_response, m.label);
    }
    compared++;
  }
  assert.equal(compared, 7);
  assert.equal(armed.length, 0, 'the DRBG output was used');
  assert.equal(device.sessionCount, b.session_id, 'CloseSession freed the recorded session');
});
