/**
 * Regressions found by running python-yubihsm's device test suite (tests/device/, Yubico/python-yubihsm) against
 * `hsm2kms hsm serve`. CI cannot run Yubico's client, so each test replays the inner frames that python-yubihsm
 * sent (copied from a frame trace, as hex) and checks the answer against an independent source (RFCs, openssl).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, newDevice, openSession, unhex, type TestSession } from './helpers.js';

/** Sends one inner frame given as hex; returns the inner answer as hex. */
async function exchange(s: TestSession, frameHex: string): Promise<string> {
  return hex(await s.raw(unhex(frameHex)));
}

/** The object id in the answer of a Put or Generate command: `(code | 0x80) 00 02 id`. */
function createdId(answerHex: string, code: number): string {
  assert.equal(answerHex.slice(0, 6), (code | 0x80).toString(16) + '0002', `answer ${answerHex}`);
  return answerHex.slice(6, 10);
}

test('SignEddsa of the empty message (python test_ec.py test_eddsa_vectors, RFC 8032 7.1 TEST 1)', async () => {
  const s = await openSession(newDevice());
  // PutAsymmetricKey: id 0, label "Test Ed25519", domains 0xffff, capabilities sign-eddsa, ed25519, RFC 8032 secret.
  const put =
    '450055' + '0000' + hex(new TextEncoder().encode('Test Ed25519')) + '00'.repeat(28) + 'ffff' + '0000000000000100' + '2e' +
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
  const id = createdId(await exchange(s, put), 0x45);
  assert.equal(await exchange(s, '540002' + id), 'd40021' + '2e' + 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  // SignEddsa with the key id and nothing else: the firmware signs the empty message (it answered WRONG_LENGTH).
  assert.equal(
    await exchange(s, '6a0002' + id),
    'ea0040' +
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  );
  // A request without the key id is still refused.
  assert.equal(await exchange(s, '6a0001' + '00'), '7f000108');
});
