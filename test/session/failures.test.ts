/** Every way a session can go wrong, in both roles: the typed error, its code and message, and the state after. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aesCbcEncrypt } from '../../src/crypto/aes.js';
import { aesCmac } from '../../src/crypto/cmac.js';
import { counterBlock, messageIv } from '../../src/crypto/scp03.js';
import { AuthenticationError, DeviceError, ProtocolError, UsageError } from '../../src/errors.js';
import { createSession } from '../../src/protocol/commands/create-session.js';
import { SecureChannel, SessionAuthenticationError } from '../../src/session/index.js';
import { h, openPair, u, vectors } from './helpers.js';

const ECHO = u('010003aabbcc');
const ECHO_OK = u('810003aabbcc');
const keys = { encKey: u(vectors.a_password_to_static_keys.K_ENC), macKey: u(vectors.a_password_to_static_keys.K_MAC) };
const b = vectors.b_session_keys;

function matches(cls: Function, code: string, message: string | RegExp, deviceCode?: number) {
  return (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.equal((e as { code: string }).code, code);
    if (typeof message === 'string') assert.equal((e as Error).message, message);
    else assert.match((e as Error).message, message);
    if (deviceCode !== undefined) assert.equal((e as { deviceCode: number }).deviceCode, deviceCode);
    return true;
  };
}

/** The vectors' session (sid 3) on both sides, ready for exchange 1. */
function vectorPair() {
  const host = SecureChannel.hostSymmetric({ authKeyId: 1, keys, hostChallenge: u(b.host_challenge) });
  const req = createSession.decodeRequest(host.createSessionRequest().subarray(3));
  const device = SecureChannel.deviceSymmetric({
    sessionId: 3, request: req as Extract<typeof req, { kind: 'symmetric' }>, keys, cardChallenge: u(b.card_challenge),
  });
  host.handleAuthenticateSessionResponse(device.handleAuthenticateSession(host.handleCreateSessionResponse(device.createSessionResponse())!));
  return { host, device };
}

/** A SessionMessage for the vectors' session at counter 1, MACed correctly over `plaintext` (padded or not). */
function forgedWithValidMac(code: number, plaintext: Uint8Array, chain: Uint8Array, macKey: string): Uint8Array {
  const sEnc = u(b.S_ENC);
  const e = aesCbcEncrypt(sEnc, messageIv(sEnc, counterBlock(1n)), plaintext);
  const len = 1 + e.length + 8;
  const head = Uint8Array.from([code, len >> 8, len & 0xff, 3, ...e]);
  const mac = aesCmac(u(macKey), chain, head).subarray(0, 8);
  return Uint8Array.from([...head, ...mac]);
}

test('wrong password: the host refuses the card cryptogram; the cleanup frame fails on the device', () => {
  const wrong = { encKey: keys.encKey, macKey: u('00'.repeat(16)) };
  const host = SecureChannel.hostSymmetric({ authKeyId: 1, keys: wrong, hostChallenge: u(b.host_challenge) });
  const req = createSession.decodeRequest(host.createSessionRequest().subarray(3));
  const device = SecureChannel.deviceSymmetric({ sessionId: 3, request: req as Extract<typeof req, { kind: 'symmetric' }>, keys });
  assert.throws(() => host.handleCreateSessionResponse(device.createSessionResponse()), matches(
    SessionAuthenticationError, 'WRONG_PASSWORD',
    'The device did not prove knowledge of the credentials for authentication key 1; check the authentication key id and password.',
  ));
  assert.equal(host.state, 'failed');
  assert.ok(host.cleanupFrame);
  assert.throws(() => device.handleAuthenticateSession(host.cleanupFrame!), matches(
    SessionAuthenticationError, 'HOST_AUTHENTICATION_FAILED',
    'AuthenticateSession did not verify: the host holds other credentials for this authentication key; the session is closed.', 0x04,
  ));
  assert.equal(device.state, 'failed');
  assert.throws(() => host.wrapCommand(ECHO), matches(UsageError, 'SESSION_NOT_OPEN',
    'This session failed earlier (see that error) and cannot carry commands; open a new session.'));
});

test('handshake(send) sends the cleanup frame after a wrong password, then throws', async () => {
  const sent: string[] = [];
  let device: SecureChannel | undefined;
  const send = async (f: Uint8Array): Promise<Uint8Array> => {
    sent.push(h(f.subarray(0, 1)));
    if (f[0] === 0x03) {
      const req = createSession.decodeRequest(f.subarray(3));
      device = SecureChannel.deviceSymmetric({ sessionId: 0, request: req as Extract<typeof req, { kind: 'symmetric' }>, keys });
      return device.createSessionResponse();
    }
    try {
      return device!.handleAuthenticateSession(f);
    } catch (e) {
      return Uint8Array.of(0x7f, 0, 1, (e as { deviceCode: number }).deviceCode);
    }
  };
  const bad = SecureChannel.hostSymmetric({ authKeyId: 1, keys: { encKey: keys.macKey, macKey: keys.encKey } });
  await assert.rejects(bad.handshake(send), matches(AuthenticationError, 'WRONG_PASSWORD', /check the authentication key id and password/));
  assert.deepEqual(sent, ['03', '04']);
  assert.equal(device!.state, 'failed');

  sent.length = 0;
  const good = SecureChannel.hostSymmetric({ authKeyId: 1, keys });
  await good.handshake(send);
  assert.equal(good.state, 'open');
  assert.deepEqual(sent, ['03', '04']);
});

test('a transport failure during handshake(send) fails the channel and passes the error on', async () => {
  const host = SecureChannel.hostSymmetric({ authKeyId: 1, keys });
  await assert.rejects(host.handshake(async () => { throw new Error('connection refused'); }), /connection refused/);
  assert.equal(host.state, 'failed');
});

test('device errors during the handshake become DeviceErrors with the device code', () => {
  const host = SecureChannel.hostSymmetric({ authKeyId: 0x0042, keys });
  host.createSessionRequest();
  assert.throws(() => host.handleCreateSessionResponse(u('7f00010b')), matches(
    DeviceError, 'HSM_OBJECT_NOT_FOUND',
    'The device refused CreateSession for authentication key 66 with OBJECT_NOT_FOUND (0x0b): no such object is visible to this session; check the id, the type and the domains.',
    0x0b,
  ));
  const full = SecureChannel.hostSymmetric({ authKeyId: 1, keys });
  full.createSessionRequest();
  assert.throws(() => full.handleCreateSessionResponse(u('7f000105')), matches(DeviceError, 'HSM_SESSIONS_FULL', /all 16 session slots are in use/, 5));
  const { host: h2, device } = (() => {
    const hh = SecureChannel.hostSymmetric({ authKeyId: 1, keys, hostChallenge: u(b.host_challenge) });
    const req = createSession.decodeRequest(hh.createSessionRequest().subarray(3));
    const dd = SecureChannel.deviceSymmetric({ sessionId: 3, request: req as Extract<typeof req, { kind: 'symmetric' }>, keys, cardChallenge: u(b.card_challenge) });
    hh.handleCreateSessionResponse(dd.createSessionResponse());
    return { host: hh, device: dd };
  })();
  void device;
  assert.throws(() => h2.handleAuthenticateSessionResponse(u('7f000104')), matches(DeviceError, 'HSM_AUTHENTICATION_FAILED', /AuthenticateSession/, 4));
  assert.equal(h2.state, 'failed');
});

test('tampered C-MAC: AUTHENTICATION_FAILED on the device, the session is dropped', () => {
  const { host, device } = vectorPair();
  const wire = host.wrapCommand(ECHO);
  wire[wire.length - 1] ^= 0x01;
  assert.throws(() => device.unwrapCommand(wire), matches(
    SessionAuthenticationError, 'COMMAND_MAC_MISMATCH',
    'The session message failed its C-MAC check (wrong keys, damaged, replayed or out of order); the session is closed.', 0x04,
  ));
  assert.equal(device.state, 'failed');
  assert.equal(device.macChain, undefined);
  // Whatever comes next for this session id is INVALID_SESSION.
  assert.throws(() => device.unwrapCommand(wire), matches(ProtocolError, 'INVALID_SESSION', /open a new session/, 0x03));
});

test('tampered ciphertext is caught by the C-MAC (device) and by the R-MAC (host)', () => {
  const a = vectorPair();
  const wire = a.host.wrapCommand(ECHO);
  wire[5] ^= 0x80;
  assert.throws(() => a.device.unwrapCommand(wire), matches(SessionAuthenticationError, 'COMMAND_MAC_MISMATCH', /C-MAC/, 4));

  const p = vectorPair();
  p.device.unwrapCommand(p.host.wrapCommand(ECHO));
  const resp = p.device.wrapResponse(ECHO_OK);
  resp[6] ^= 0x01;
  assert.throws(() => p.host.unwrapResponse(resp), matches(
    SessionAuthenticationError, 'RESPONSE_MAC_MISMATCH',
    'The device response failed its MAC check (damaged or forged reply); the session is closed, open a new one.',
  ));
  assert.equal(p.host.state, 'failed');
});

test('tampered R-MAC: the host refuses and cannot be used again', () => {
  const { host, device } = vectorPair();
  device.unwrapCommand(host.wrapCommand(ECHO));
  const resp = device.wrapResponse(ECHO_OK);
  resp[resp.length - 8] ^= 0x10;
  assert.throws(() => host.unwrapResponse(resp), matches(SessionAuthenticationError, 'RESPONSE_MAC_MISMATCH', /MAC check/));
  assert.throws(() => host.unwrapResponse(resp), matches(UsageError, 'NO_COMMAND_PENDING', 'No command is in flight; call wrapCommand first.'));
  assert.throws(() => host.wrapCommand(ECHO), matches(UsageError, 'SESSION_NOT_OPEN', /failed earlier/));
});

test('replayed and reordered frames fail the C-MAC check on the device', () => {
  const { host, device } = vectorPair();
  const first = host.wrapCommand(ECHO);
  device.unwrapCommand(first);
  host.unwrapResponse(device.wrapResponse(ECHO_OK));
  assert.throws(() => device.unwrapCommand(first), matches(SessionAuthenticationError, 'COMMAND_MAC_MISMATCH', /replayed/, 4));
  assert.equal(device.state, 'failed');

  // Replaying the recorded vector exchange 1 into a fresh session (other challenges, other keys) also fails.
  const other = openPair('symmetric', 3).device;
  assert.throws(() => other.unwrapCommand(u(vectors.d_session_messages[0].wire_request)), matches(SessionAuthenticationError, 'COMMAND_MAC_MISMATCH', /C-MAC/, 4));

  // Reordering: a second device in the same state as the first (same challenges, so same keys) is given
  // the host's second frame first.
  const a = vectorPair();
  const twin = vectorPair().device;
  const one = a.host.wrapCommand(ECHO);
  a.device.unwrapCommand(one);
  a.host.unwrapResponse(a.device.wrapResponse(ECHO_OK));
  const two = a.host.wrapCommand(ECHO);
  assert.throws(() => twin.unwrapCommand(two), matches(SessionAuthenticationError, 'COMMAND_MAC_MISMATCH', /out of order/, 4));
  const twin2 = vectorPair().device;
  assert.equal(h(twin2.unwrapCommand(one)), h(ECHO)); // the twin accepts frame 1 in order
});

test('wrong session id: the device answers INVALID_SESSION and keeps the session; the host fails', () => {
  const { host, device } = vectorPair();
  const wire = host.wrapCommand(ECHO);
  const other = wire.slice();
  other[3] = 4;
  assert.throws(() => device.unwrapCommand(other), matches(ProtocolError, 'INVALID_SESSION', 'The frame is for session 4, not 3.', 0x03));
  assert.equal(device.state, 'open');
  assert.equal(h(device.unwrapCommand(wire)), h(ECHO));
  const resp = device.wrapResponse(ECHO_OK);
  resp[3] = 5;
  assert.throws(() => host.unwrapResponse(resp), matches(ProtocolError, 'SESSION_ID_MISMATCH', 'The session response is for session 5, not 3.'));
  assert.equal(host.state, 'failed');
});

test('an unMACed 7F 00 01 xx answer is a session-level DeviceError; the session is over', () => {
  const { host } = vectorPair();
  host.wrapCommand(ECHO);
  assert.throws(() => host.unwrapResponse(u('7f000103')), matches(
    DeviceError, 'HSM_INVALID_SESSION',
    'The device refused the session message with INVALID_SESSION (0x03): the session is unknown or expired (30 s idle); open a new session.',
    0x03,
  ));
  assert.equal(host.state, 'failed');
  const p = vectorPair();
  p.host.wrapCommand(ECHO);
  assert.throws(() => p.host.unwrapResponse(u('7f000104')), matches(DeviceError, 'HSM_AUTHENTICATION_FAILED',
    'The device refused the session message with AUTHENTICATION_FAILED (0x04): the device could not verify the session message (keys out of step or a damaged frame); open a new session.', 4));
});

test('a valid MAC over bad padding or a bad inner length: the device refuses unMACed and drops the session', () => {
  const chain = u(vectors.c_authenticate_session.mac_chain_after);
  const noMarker = forgedWithValidMac(0x05, u('010003aabbcc' + '00'.repeat(10)), chain, b.S_MAC);
  const d1 = vectorPair().device;
  assert.throws(() => d1.unwrapCommand(noMarker), matches(ProtocolError, 'BAD_PADDING', /0x80/, 0x02));
  assert.equal(d1.state, 'failed');

  const badInner = forgedWithValidMac(0x05, u('010009aabbcc80' + '00'.repeat(9)), chain, b.S_MAC);
  const d2 = vectorPair().device;
  assert.throws(() => d2.unwrapCommand(badInner), matches(ProtocolError, 'INNER_LENGTH_MISMATCH', /not one whole frame/, 0x08));
  assert.equal(d2.state, 'failed');
});

test('the host refuses a correctly R-MACed response with bad padding', () => {
  const { host } = vectorPair();
  const wire = host.wrapCommand(u('01000d48656c6c6f205975626948534d')); // vectors d exchange 1
  assert.equal(h(wire), vectors.d_session_messages[0].wire_request);
  const rmacChain = u(vectors.d_session_messages[0].cmac_full_16);
  const resp = forgedWithValidMac(0x85, u('81000d48656c6c6f205975626948534d' + 'ff'.repeat(16)), rmacChain, b.S_RMAC);
  assert.throws(() => host.unwrapResponse(resp), matches(ProtocolError, 'BAD_PADDING', /0x80/));
  assert.equal(host.state, 'failed');
});

test('malformed outer frames are refused with the length or code problem named', () => {
  const p = vectorPair();
  const wire = p.host.wrapCommand(ECHO);
  assert.throws(() => p.device.unwrapCommand(wire.subarray(0, wire.length - 1)), matches(
    ProtocolError, 'FRAME_LENGTH_MISMATCH', 'The session command length field says 25 bytes but 24 arrived.', 0x08));
  const q = vectorPair();
  q.host.wrapCommand(ECHO);
  assert.throws(() => q.host.unwrapResponse(u('830000')), matches(ProtocolError, 'UNEXPECTED_RESPONSE', /Expected a SessionMessage answer \(0x85\) but got code 0x83/));
  const r = vectorPair();
  r.host.wrapCommand(ECHO);
  assert.throws(() => r.host.unwrapResponse(u('85000903' + '00'.repeat(8))), matches(
    ProtocolError, 'BAD_SESSION_MESSAGE_LENGTH', 'A session response must carry a non-empty multiple of 16 encrypted bytes, got 0.'));
});

test('asymmetric: a wrong SK.OCE fails the receipt check; a bad host point is INVALID_DATA on the device', () => {
  const v = vectors.asymmetric_auth;
  const host = SecureChannel.hostAsymmetric({
    authKeyId: 2, privateKey: u(v.esk_sd_device), devicePublicKey: u(v.pk_sd_device), ephemeralPrivateKey: u(v.esk_oce),
  });
  const req = createSession.decodeRequest(host.createSessionRequest().subarray(3));
  const device = SecureChannel.deviceAsymmetric({
    sessionId: 5, request: req as Extract<typeof req, { kind: 'asymmetric' }>, devicePrivateKey: u(v.sk_sd_device), authPublicKey: u(v.pk_oce),
  });
  assert.throws(() => host.handleCreateSessionResponse(device.createSessionResponse()), matches(
    SessionAuthenticationError, 'ASYMMETRIC_AUTH_FAILED',
    'The device session receipt did not verify for authentication key 2; check the key id, its private key and the device public key.',
  ));
  assert.equal(host.state, 'failed');

  const offCurve = u(v.epk_oce);
  offCurve[64] ^= 1;
  assert.throws(() => SecureChannel.deviceAsymmetric({
    sessionId: 5, request: { kind: 'asymmetric', authKeyId: 2, hostEphemeralPublicKey: offCurve },
    devicePrivateKey: u(v.sk_sd_device), authPublicKey: u(v.pk_oce),
  }), matches(ProtocolError, 'INVALID_EC_POINT', /not a point on P-256/, 0x02));
});

test('calls out of order or in the wrong role are UsageErrors and leave the session alone', () => {
  const { host, device } = vectorPair();
  assert.throws(() => host.unwrapCommand(u('00')), matches(UsageError, 'WRONG_ROLE', 'This method belongs to the device role but the channel plays the host.'));
  assert.throws(() => device.wrapCommand(ECHO), matches(UsageError, 'WRONG_ROLE', /host role/));
  assert.throws(() => host.wrapCommand(u('0100')), matches(UsageError, 'BAD_INNER_FRAME', 'The inner command must be one whole frame (code ‖ u16 length ‖ payload).'));
  const wire = host.wrapCommand(ECHO);
  assert.throws(() => host.wrapCommand(ECHO), matches(UsageError, 'RESPONSE_PENDING', /one command at a time/));
  assert.throws(() => device.wrapResponse(ECHO_OK), matches(UsageError, 'NO_COMMAND_PENDING', 'No command is in flight; call unwrapCommand first.'));
  device.unwrapCommand(wire);
  assert.throws(() => device.unwrapCommand(wire), matches(UsageError, 'RESPONSE_PENDING', /wrapResponse/));
  assert.equal(h(host.unwrapResponse(device.wrapResponse(ECHO_OK))), h(ECHO_OK));

  const fresh = SecureChannel.hostSymmetric({ authKeyId: 1, keys });
  assert.throws(() => fresh.wrapCommand(ECHO), matches(UsageError, 'SESSION_NOT_OPEN', 'This session is not open yet (new); finish the handshake before sending commands.'));
  assert.throws(() => SecureChannel.hostSymmetric({ authKeyId: 70000, keys }), matches(UsageError, 'BAD_OBJECT_ID', /u16/));
});

test('close() ends the session locally and wipes it; the device then answers INVALID_SESSION', () => {
  const { host, device } = vectorPair();
  host.close();
  device.close();
  assert.equal(host.state, 'closed');
  assert.equal(host.counter, undefined);
  assert.throws(() => host.wrapCommand(ECHO), matches(UsageError, 'SESSION_NOT_OPEN', 'This session is closed and cannot carry commands; open a new session.'));
  assert.throws(() => device.unwrapCommand(u(vectors.d_session_messages[0].wire_request)), matches(ProtocolError, 'INVALID_SESSION', /closed or failed/, 3));
});
