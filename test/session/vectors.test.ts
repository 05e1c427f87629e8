/**
 * The recorded python-yubihsm exchanges of vectors.json (sections b, c, d, upstream_test_transcript,
 * asymmetric_auth) replayed through SecureChannel in both roles: every wire byte, chain value and counter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSession } from '../../src/protocol/commands/create-session.js';
import { SecureChannel } from '../../src/session/index.js';
import { h, u, vectors } from './helpers.js';

const keys = { encKey: u(vectors.a_password_to_static_keys.K_ENC), macKey: u(vectors.a_password_to_static_keys.K_MAC) };
const b = vectors.b_session_keys;
const c = vectors.c_authenticate_session;
const d = vectors.d_session_messages as Array<Record<string, string | number>>;

function symmetricPair() {
  const host = SecureChannel.hostSymmetric({ authKeyId: b.auth_key_id, keys, hostChallenge: u(b.host_challenge) });
  const createReq = host.createSessionRequest();
  assert.equal(h(createReq), b.create_session_request);
  const request = createSession.decodeRequest(createReq.subarray(3));
  assert.equal(request.kind, 'symmetric');
  const device = SecureChannel.deviceSymmetric({
    sessionId: b.session_id, request: request as Extract<typeof request, { kind: 'symmetric' }>, keys, cardChallenge: u(b.card_challenge),
  });
  const createRes = device.createSessionResponse();
  assert.equal(h(createRes), b.create_session_response);
  const auth = host.handleCreateSessionResponse(createRes);
  assert.ok(auth);
  assert.equal(h(auth), c.request);
  assert.equal(host.sessionId, b.session_id);
  // The request is hdr ‖ host cryptogram ‖ MAC(8), the MAC over the part before it with the zero initial chain.
  assert.equal(h(auth.subarray(0, auth.length - 8)), c.mac_input_excluding_chain);
  assert.equal(h(auth.subarray(auth.length - 8)), c.mac_8);
  assert.equal(c.initial_mac_chain, '00'.repeat(16));
  const authRes = device.handleAuthenticateSession(auth);
  assert.equal(h(authRes), c.response);
  host.handleAuthenticateSessionResponse(authRes);
  return { host, device };
}

test('symmetric handshake reproduces vectors b and c on both sides', () => {
  const { host, device } = symmetricPair();
  for (const ch of [host, device]) {
    assert.equal(ch.state, 'open');
    assert.equal(ch.counter, BigInt(c.counter_after));
    assert.equal(h(ch.macChain!), c.mac_chain_after);
    assert.equal(h(ch.macChain!), c.cmac_full_16);
  }
});

test('the 7 session messages of vectors d, host and device, byte for byte', () => {
  assert.equal(d.length, 7);
  const { host, device } = symmetricPair();
  for (const m of d) {
    const label = String(m.label);
    assert.equal(host.counter, BigInt(m.counter), label);
    assert.equal(device.counter, BigInt(m.counter), label);
    assert.equal(h(host.macChain!), m.mac_chain_before, label);

    const wire = host.wrapCommand(u(String(m.inner_command)));
    assert.equal(h(wire), m.wire_request, label);
    // The wire request is hdr ‖ ciphertext ‖ C-MAC, with the ciphertext and C-MAC recorded separately.
    assert.equal(h(wire.subarray(4, wire.length - 8)), m.ciphertext, label);
    assert.equal(h(wire.subarray(wire.length - 8)), m.c_mac, label);
    assert.equal(h(wire.subarray(0, wire.length - 8)), m.cmac_input_excluding_chain, label);
    assert.equal(h(host.macChain!), m.cmac_full_16, label);

    const inner = device.unwrapCommand(wire);
    assert.equal(h(inner), m.inner_command, label);
    assert.equal(h(device.macChain!), m.cmac_full_16, label);
    assert.equal(device.state, 'exchanging');

    // The R-MAC is computed with the chain the C-MAC left (rmac_chain_used), never entering it.
    assert.equal(m.rmac_chain_used, m.cmac_full_16, label);
    const response = device.wrapResponse(u(String(m.inner_response)));
    assert.equal(h(response), m.wire_response, label);
    // Ciphertext length = the inner response padded 80 00.. to 16 bytes, as recorded.
    assert.equal(String(m.inner_response_padded).length / 2, response.length - 4 - 8, label);
    assert.match(String(m.inner_response_padded), new RegExp(`^${m.inner_response}80(00)*$`), label);
    assert.equal(h(response.subarray(response.length - 8)), m.r_mac, label);
    assert.equal(h(response.subarray(0, response.length - 8)), m.rmac_input_excluding_chain, label);

    const innerResponse = host.unwrapResponse(response);
    assert.equal(h(innerResponse), m.inner_response, label);
    // The R-MAC never enters the chain; the counter advances once per exchange.
    for (const ch of [host, device]) {
      if (m.inner_command === '400000') continue;
      assert.equal(h(ch.macChain!), m.mac_chain_after, label);
      assert.equal(ch.counter, BigInt(m.counter_after), label);
    }
  }
  // The last exchange is CloseSession answered with C0 00 00: both sides are closed and their keys gone.
  assert.equal(host.state, 'closed');
  assert.equal(device.state, 'closed');
  assert.equal(host.macChain, undefined);
});

test('an encrypted inner error (OBJECT_NOT_FOUND) is returned and the session stays open', () => {
  const { host, device } = symmetricPair();
  for (const m of d.slice(0, 6)) {
    const command = device.unwrapCommand(host.wrapCommand(u(String(m.inner_command))));
    assert.equal(h(command), m.inner_command);
    const inner = host.unwrapResponse(device.wrapResponse(u(String(m.inner_response))));
    assert.equal(h(inner), m.inner_response);
  }
  assert.equal(d[5].inner_response, '7f00010b');
  assert.equal(host.state, 'open');
  assert.equal(device.state, 'open');
  assert.equal(host.counter, 7n);
});

test('upstream python-yubihsm transcript: host accepts the recorded card response and builds the same AuthenticateSession', () => {
  const t = vectors.upstream_test_transcript;
  const host = SecureChannel.hostSymmetric({ authKeyId: 1, keys, hostChallenge: new Uint8Array(8) });
  assert.equal(h(host.createSessionRequest()), t.create_session_request);
  const auth = host.handleCreateSessionResponse(u(t.create_session_response));
  assert.equal(h(auth!), t.authenticate_session_request);
  host.handleAuthenticateSessionResponse(u('840000'));
  assert.equal(h(host.macChain!), t.mac_chain_after);
  assert.equal(host.sessionId, 0);

  // The device role with the same card challenge answers with the recorded bytes and accepts the request.
  const device = SecureChannel.deviceSymmetric({
    sessionId: 0, request: { kind: 'symmetric', authKeyId: 1, hostChallenge: new Uint8Array(8) }, keys, cardChallenge: u(t.card_challenge),
  });
  assert.equal(h(device.createSessionResponse()), t.create_session_response);
  assert.equal(h(device.handleAuthenticateSession(u(t.authenticate_session_request))), '840000');
  assert.equal(h(device.macChain!), t.mac_chain_after);
});

test('asymmetric handshake and Echo reproduce vectors asymmetric_auth on both sides', () => {
  const v = vectors.asymmetric_auth;
  const devicePublicKey = u(v.get_device_public_key_response).subarray(4); // 8A 00 41 31 ‖ X ‖ Y
  const host = SecureChannel.hostAsymmetric({
    authKeyId: v.auth_key_id, privateKey: u(v.sk_oce), devicePublicKey, ephemeralPrivateKey: u(v.esk_oce),
  });
  const req = host.createSessionRequest();
  assert.equal(h(req), v.create_session_request);
  const request = createSession.decodeRequest(req.subarray(3));
  assert.equal(request.kind, 'asymmetric');
  const device = SecureChannel.deviceAsymmetric({
    sessionId: v.session_id,
    request: request as Extract<typeof request, { kind: 'asymmetric' }>,
    devicePrivateKey: u(v.sk_sd_device),
    authPublicKey: u(v.pk_oce).subarray(1), // stored as X ‖ Y in the authentication key
    ephemeralPrivateKey: u(v.esk_sd_device),
  });
  const res = device.createSessionResponse();
  assert.equal(h(res), v.create_session_response);
  assert.equal(host.handleCreateSessionResponse(res), undefined);
  for (const ch of [host, device]) {
    assert.equal(ch.state, 'open');
    assert.equal(h(ch.macChain!), v.initial_mac_chain);
    assert.equal(ch.counter, BigInt(v.initial_counter));
  }
  const echo = '010004' + v.echo_result;
  const wire = host.wrapCommand(u(echo));
  assert.equal(h(wire), v.echo_wire_request);
  assert.equal(h(device.unwrapCommand(wire)), echo);
  const response = device.wrapResponse(u('810004' + v.echo_result));
  assert.equal(h(response), v.echo_wire_response);
  assert.equal(h(host.unwrapResponse(response)), '810004' + v.echo_result);
  assert.equal(host.counter, 2n);
});
