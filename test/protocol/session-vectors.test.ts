/**
 * Inner commands and responses of vectors.json: plain_device_info (pages 0 and 1), the seven d_session_messages
 * exchanges, the CreateSession/AuthenticateSession frames of b/c and asymmetric_auth, and the log_chain entries.
 * Expected field values are written here, not computed by the codecs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../src/protocol/commands/index.js';
import { decodeFrame, errorCodeOf } from '../../src/protocol/frame.js';
import { decodeLogEntry, encodeLogEntry, logEntryData } from '../../src/protocol/log-entry.js';
import { h, label, toHex, vectors } from './helpers.js';

const ALGORITHMS_1_TO_55 = Array.from({ length: 55 }, (_, i) => i + 1);
const inner = (hex: string) => decodeFrame(h(hex));

test('plain_device_info page 0: request 06 0000, fw 2.4.0, serial 12345678, log 62/2, algorithms 1..55', () => {
  const [p0] = vectors.plain_device_info;
  const req = inner(p0.request);
  assert.equal(req.code, 0x06);
  assert.deepStrictEqual(commands.getDeviceInfo.decodeRequest(req.payload), { page: 0 });
  assert.equal(toHex(commands.getDeviceInfo.encodeRequest({ page: 0 })), '');
  const res = inner(p0.response);
  assert.equal(res.code, 0x86);
  const info = { page: 0, version: { major: 2, minor: 4, patch: 0 }, serial: 12345678, logTotal: 62, logUsed: 2, algorithms: ALGORITHMS_1_TO_55 };
  assert.deepStrictEqual(commands.getDeviceInfo.decodeResponse(res.payload), info);
  assert.equal(toHex(commands.getDeviceInfo.encodeResponse(info as never)), p0.response.slice(6));
});

test('plain_device_info page 1: request 06 0001 01, part number SIMULATED-PN', () => {
  const [, p1] = vectors.plain_device_info;
  const req = inner(p1.request);
  assert.deepStrictEqual(commands.getDeviceInfo.decodeRequest(req.payload), { page: 1 });
  assert.equal(toHex(commands.getDeviceInfo.encodeRequest({ page: 1 })), '01');
  const res = inner(p1.response);
  assert.deepStrictEqual(commands.getDeviceInfo.decodeResponse(res.payload), { page: 1, partNumber: 'SIMULATED-PN' });
  assert.equal(toHex(commands.getDeviceInfo.encodeResponse({ page: 1, partNumber: 'SIMULATED-PN' })), p1.response.slice(6));
});

const msgs = vectors.d_session_messages;

test('session message 0: Echo "Hello YubiHSM" in and out', () => {
  const data = new TextEncoder().encode('Hello YubiHSM');
  assert.deepStrictEqual(commands.echo.decodeRequest(inner(msgs[0].inner_command).payload), data);
  assert.deepStrictEqual(commands.echo.decodeResponse(inner(msgs[0].inner_response).payload), data);
});

test('session message 1: GetDeviceInfo inside the session', () => {
  assert.deepStrictEqual(commands.getDeviceInfo.decodeRequest(inner(msgs[1].inner_command).payload), { page: 0 });
  const r = inner(msgs[1].inner_response);
  assert.equal(r.code, 0x86);
  const info = commands.getDeviceInfo.decodeResponse(r.payload);
  assert.deepStrictEqual(info, { page: 0, version: { major: 2, minor: 4, patch: 0 }, serial: 12345678, logTotal: 62, logUsed: 2, algorithms: ALGORITHMS_1_TO_55 });
});

test('session message 2: GetPseudoRandom 16', () => {
  const q = inner(msgs[2].inner_command);
  assert.equal(commands.getPseudoRandom.decodeRequest(q.payload), 16);
  assert.equal(toHex(commands.getPseudoRandom.encodeRequest(16)), '0010');
  const r = inner(msgs[2].inner_response);
  assert.equal(r.code, 0xd1);
  assert.deepStrictEqual(commands.getPseudoRandom.decodeResponse(r.payload), h('0ff0b1479fff82be527f153ecc680acf'));
});

test('session message 3: ListObjects without filter lists the default auth key', () => {
  assert.deepStrictEqual(commands.listObjects.decodeRequest(inner(msgs[3].inner_command).payload), {});
  assert.equal(toHex(commands.listObjects.encodeRequest({})), '');
  const r = inner(msgs[3].inner_response);
  assert.equal(r.code, 0xc8);
  assert.deepStrictEqual(commands.listObjects.decodeResponse(r.payload), [{ id: 1, type: 2, sequence: 0 }]);
  assert.equal(toHex(commands.listObjects.encodeResponse([{ id: 1, type: 2, sequence: 0 }])), '00010200');
});

test('session message 4: GetObjectInfo of the default authentication key, field by field', () => {
  assert.deepStrictEqual(commands.getObjectInfo.decodeRequest(inner(msgs[4].inner_command).payload), { id: 1, type: 2 });
  const r = inner(msgs[4].inner_response);
  assert.equal(r.code, 0xce);
  const expected = {
    capabilities: 0x00ff_ffff_ffff_ffffn,
    id: 1,
    length: 40,
    domains: 0xffff,
    type: 2,
    algorithm: 38,
    sequence: 0,
    origin: 2,
    label: label('DEFAULT AUTHKEY CHANGE THIS ASAP'),
    delegatedCapabilities: 0x00ff_ffff_ffff_ffffn,
  };
  assert.deepStrictEqual(commands.getObjectInfo.decodeResponse(r.payload), expected);
  assert.equal(toHex(commands.getObjectInfo.encodeResponse(expected)), msgs[4].inner_response.slice(6));
});

test('session message 5: OBJECT_NOT_FOUND comes back as the inner error frame 7f 0001 0b', () => {
  assert.deepStrictEqual(commands.getObjectInfo.decodeRequest(inner(msgs[5].inner_command).payload), { id: 0x1234, type: 3 });
  assert.equal(errorCodeOf(inner(msgs[5].inner_response)), 0x0b);
});

test('session message 6: CloseSession, empty both ways', () => {
  const q = inner(msgs[6].inner_command);
  assert.equal(q.code, 0x40);
  assert.equal(commands.closeSession.decodeRequest(q.payload), undefined);
  const r = inner(msgs[6].inner_response);
  assert.equal(r.code, 0xc0);
  assert.equal(commands.closeSession.decodeResponse(r.payload), undefined);
  assert.equal(commands.closeSession.encodeRequest().length, 0);
});

test('CreateSession / AuthenticateSession frames of the symmetric handshake (b, c)', () => {
  const b = vectors.b_session_keys;
  const q = { kind: 'symmetric', authKeyId: 1, hostChallenge: h('0001020304050607') } as const;
  assert.deepStrictEqual(commands.createSession.decodeRequest(inner(b.create_session_request).payload), q);
  assert.equal('03000a' + toHex(commands.createSession.encodeRequest(q)), b.create_session_request);
  const s = { kind: 'symmetric', sessionId: 3, cardChallenge: h('f0e1d2c3b4a59687'), cardCryptogram: h('1846bff258fbab48') } as const;
  assert.deepStrictEqual(commands.createSession.decodeResponse(inner(b.create_session_response).payload), s);
  assert.equal('830011' + toHex(commands.createSession.encodeResponse(s)), b.create_session_response);
  const a = { sessionId: 3, hostCryptogram: h('a08c07d5c5fbc97d'), mac: h('a36a2198bb352cef') };
  assert.deepStrictEqual(commands.authenticateSession.decodeRequest(inner(vectors.c_authenticate_session.request).payload), a);
  assert.equal('040011' + toHex(commands.authenticateSession.encodeRequest(a)), vectors.c_authenticate_session.request);
  assert.equal(commands.authenticateSession.decodeResponse(inner(vectors.c_authenticate_session.response).payload), undefined);
});

test('asymmetric_auth: GetDevicePublicKey and the 67/82-byte CreateSession forms', () => {
  const v = vectors.asymmetric_auth;
  assert.equal(commands.getDevicePublicKey.decodeRequest(inner(v.get_device_public_key_request).payload), undefined);
  const pk = commands.getDevicePublicKey.decodeResponse(inner(v.get_device_public_key_response).payload);
  assert.equal(pk.algorithm, 49);
  assert.equal('04' + toHex(pk.publicKey), v.pk_sd_device);
  const q = commands.createSession.decodeRequest(inner(v.create_session_request).payload);
  assert.deepStrictEqual(q, { kind: 'asymmetric', authKeyId: 2, hostEphemeralPublicKey: h(v.epk_oce) });
  assert.equal('030043' + toHex(commands.createSession.encodeRequest(q)), v.create_session_request);
  const s = commands.createSession.decodeResponse(inner(v.create_session_response).payload);
  assert.deepStrictEqual(s, { kind: 'asymmetric', sessionId: 5, deviceEphemeralPublicKey: h(v.epk_sd_device), receipt: h(v.receipt) });
  assert.equal('830052' + toHex(commands.createSession.encodeResponse(s)), v.create_session_response);
});

test('log_chain entries decode field by field and re-encode', () => {
  const lc = vectors.log_chain;
  const prev = decodeLogEntry(h(lc.entry_prev));
  assert.deepStrictEqual(prev, {
    number: 2, command: 0x00, length: 0, sessionKey: 0xffff, targetKey: 0x0000, secondKey: 0x0000, result: 0x00, tick: 0,
    digest: h('f696906e5b3929c63ca6f10a83d2a0cc'),
  });
  const e = decodeLogEntry(h(lc.entry));
  assert.deepStrictEqual(e, {
    number: 3, command: 0x03, length: 10, sessionKey: 0xffff, targetKey: 0x0001, secondKey: 0xffff, result: 0x83, tick: 0x23,
    digest: h('2264d451b5eff5dfa94c544f33b787a9'),
  });
  assert.equal(toHex(logEntryData(e)), lc.entry_data_without_digest);
  assert.equal(toHex(encodeLogEntry(e)), lc.entry);
  const all = commands.getLogEntries.encodeResponse({ unloggedBoots: 0, unloggedAuthentications: 1, entries: [prev, e] });
  assert.equal(toHex(all), '0000000102' + lc.entry_prev + lc.entry);
  assert.deepStrictEqual(commands.getLogEntries.decodeResponse(all), { unloggedBoots: 0, unloggedAuthentications: 1, entries: [prev, e] });
});

test('aes_ccm_wrapped_object: ImportWrapped payload for wrap key 0x0014', () => {
  const v = vectors.aes_ccm_wrapped_object;
  const q = commands.importWrapped.decodeRequest(h(v.import_wrapped_payload_for_wrap_key_0x0014));
  assert.deepStrictEqual(q, { wrapKeyId: 0x0014, wrapped: h(v.exported_blob_nonce_ct_tag) });
  assert.equal(toHex(commands.importWrapped.encodeRequest(q)), v.import_wrapped_payload_for_wrap_key_0x0014);
  assert.deepStrictEqual(commands.exportWrapped.decodeResponse(h(v.exported_blob_nonce_ct_tag)), h(v.exported_blob_nonce_ct_tag));
});
