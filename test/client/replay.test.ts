/**
 * Offline replay (python-yubihsm style): the client drives a scripted transport that expects, byte for byte, the
 * frames python-yubihsm sent in vectors.json (plain_device_info, b_session_keys, c_authenticate_session and the
 * seven d_session_messages) and answers with the recorded device bytes. Any difference in what the client puts
 * on the wire, or in how it reads the answers, fails the test.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { HsmDeviceError, YubiHsm } from '../../src/client/index.js';
import type { Transport } from '../../src/transport/transport.js';
import { h, toHex, vectors } from '../protocol/helpers.js';

/** A transport that checks each request against the script and replays the recorded answer. */
function scripted(script: { request: string; response: string }[]): Transport & { remaining(): number } {
  let i = 0;
  return {
    description: 'scripted replay',
    async send(frame: Uint8Array) {
      const step = script[i++];
      assert.ok(step, `unexpected extra frame ${toHex(frame)}`);
      assert.equal(toHex(frame), step.request, `frame ${i} differs from the recorded request`);
      return h(step.response);
    },
    async close() {},
    remaining: () => script.length - i,
  };
}

test('connect, session and seven commands reproduce python-yubihsm bytes exactly', async () => {
  const [info0, info1] = vectors.plain_device_info;
  const keys = vectors.b_session_keys;
  const auth = vectors.c_authenticate_session;
  const msgs = vectors.d_session_messages as { wire_request: string; wire_response: string }[];
  const transport = scripted([
    { request: info0.request, response: info0.response },
    { request: info1.request, response: info1.response },
    { request: keys.create_session_request, response: keys.create_session_response },
    { request: auth.request, response: auth.response },
    ...msgs.map((m) => ({ request: m.wire_request, response: m.wire_response })),
  ]);

  const hsm = await YubiHsm.connect({ transport });
  assert.deepEqual(hsm.firmware, { major: 2, minor: 4, patch: 0 });
  assert.equal(hsm.serial, 12345678);
  assert.equal(hsm.partNumber, 'SIMULATED-PN');
  assert.equal(hsm.maxFrame, 3135);

  const s = await hsm.openSession({
    authKeyId: 1,
    password: 'password',
    hostChallenge: h(keys.host_challenge),
    diagnose: false,
  });
  assert.equal(s.sessionId, 3);

  assert.equal(Buffer.from(await s.echo(new TextEncoder().encode('Hello YubiHSM'))).toString(), 'Hello YubiHSM');
  const info = await s.getDeviceInfo();
  assert.deepEqual(info.version, { major: 2, minor: 4, patch: 0 });
  assert.equal(info.algorithms.length, 55);
  assert.equal(toHex(await s.getPseudoRandom(16)), '0ff0b1479fff82be527f153ecc680acf');
  assert.deepEqual(await s.listObjects(), [{ id: 1, type: 2, sequence: 0 }]);
  const def = await s.getObjectInfo(2, 1);
  assert.equal(def.capabilities, 0x00ffffffffffffffn);
  assert.equal(def.domains, 0xffff);
  assert.equal(Buffer.from(def.label).toString().replace(/\0+$/, ''), 'DEFAULT AUTHKEY CHANGE THIS ASAP');

  await assert.rejects(s.getObjectInfo(3, 0x1234), (e: unknown) => {
    assert.ok(e instanceof HsmDeviceError);
    assert.equal(e.code, 'HSM_OBJECT_NOT_FOUND');
    assert.equal(e.deviceCode, 0x0b);
    assert.match(e.message, /^GetObjectInfo failed with OBJECT_NOT_FOUND: /);
    return true;
  });
  assert.equal(s.status, 'open', 'an error inside the session keeps it open');

  await s.close();
  assert.equal(s.status, 'closed');
  assert.equal(transport.remaining(), 0);
});
