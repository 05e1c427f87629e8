/**
 * The access-control refusals of PROTOCOL.md 4.4 that test/integration/hsm-access.test.ts does not reach, each made
 * by the software device behind the connector HTTP server on loopback and seen through the client: every use
 * operation refused on the session half and on the key half (rule 2), visibility for reads and deletes (1), the
 * session capability of every create command and the delegated bound of new auth keys and public wrap keys (3),
 * the commands that need no capability (4), the delete capability of every object type (5), ExportWrapped /
 * ExportRsaWrapped (6), ImportWrapped and unknown wrap keys (7). Also: a wrong password refused by the device itself
 * (AuthenticateSession answered 7F 00 01 04), and SignSshCertificate answered over HTTP with the exact bytes of
 * Yubico's examples/ssh.c.
 */
import assert from 'node:assert/strict';
import { createECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import test from 'node:test';
import {
  AsymmetricKey,
  AuthenticationKey,
  HmacKey,
  HsmDeviceError,
  Opaque,
  OtpAeadKey,
  PublicWrapKey,
  SymmetricKey,
  Template,
  WrapKey,
  type HsmSession,
} from '../../src/client/index.js';
import { ANSWER, CA_P_Q, REQUEST, TEMPLATE } from '../simulator/ssh-example.js';
import { httpRig, type HttpRig } from './harness.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** A session with a new auth key (ids from 0x0010) holding exactly these capabilities, delegated set and domains. */
async function restricted(rig: HttpRig, admin: HsmSession, id: number, o: { caps: string | bigint; delegated?: string | bigint; domains?: string }) {
  await AuthenticationKey.putDerived(admin, {
    id, label: `r${id}`, domains: o.domains ?? '1', capabilities: o.caps, delegatedCapabilities: o.delegated ?? 0n, password: 'pw',
  });
  return rig.open({ authKeyId: id, password: 'pw' });
}

/** The device answered with `deviceCode` (so the refusal is the device's, not a client-side check). */
function deviceRefused(deviceCode: number, ...patterns: RegExp[]) {
  return (e: unknown) => {
    assert.ok(e instanceof HsmDeviceError, `expected HsmDeviceError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.equal(e.deviceCode, deviceCode, e.message);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}
const NOT_PERMITTED = 0x09;
const NOT_FOUND = 0x0b;
const INVALID_DATA = 0x02;

async function setup(t: test.TestContext) {
  const rig = await httpRig();
  t.after(() => rig.close());
  return { rig, admin: await rig.open() };
}

function rsaKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pkcs8: new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })),
    pem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

test('rule 2, every use operation: refused with INSUFFICIENT_PERMISSIONS when the session or the key lacks the capability', async (t) => {
  const { rig, admin } = await setup(t);
  const rsa = rsaKeyPair();
  const peer = createECDH('prime256v1');
  peer.generateKeys();
  const all = 'all';
  // Keys with every capability at 0x1xx, the same keys without any at 0x2xx.
  for (const [base, caps] of [[0x100, all], [0x200, 0n]] as const) {
    await AsymmetricKey.generate(admin, { id: base + 1, domains: 1, capabilities: caps, algorithm: 'ecp256' });
    await AsymmetricKey.put(admin, { id: base + 2, domains: 1, capabilities: caps, pkcs8: rsa.pkcs8 });
    await AsymmetricKey.generate(admin, { id: base + 3, domains: 1, capabilities: caps, algorithm: 'ed25519' });
    await HmacKey.generate(admin, { id: base + 4, domains: 1, capabilities: caps, algorithm: 'hmac-sha256' });
    await SymmetricKey.generate(admin, { id: base + 5, domains: 1, capabilities: caps, algorithm: 'aes128' });
    await OtpAeadKey.generate(admin, { id: base + 6, domains: 1, capabilities: caps, algorithm: 'aes128-yubico-otp', nonceId: 1 });
    await WrapKey.generate(admin, { id: base + 7, domains: 1, capabilities: caps, delegatedCapabilities: 0n, algorithm: 'aes128-ccm-wrap' });
  }
  const ops: [string, (s: HsmSession, base: number) => Promise<unknown>][] = [
    ['sign-ecdsa', (s, b) => AsymmetricKey.from(s, b + 1).signEcdsa(new Uint8Array(32))],
    ['derive-ecdh', (s, b) => AsymmetricKey.from(s, b + 1).deriveEcdh(new Uint8Array(peer.getPublicKey()))],
    ['sign-pkcs', (s, b) => AsymmetricKey.from(s, b + 2).signPkcs1(new Uint8Array(32))],
    ['sign-pss', (s, b) => AsymmetricKey.from(s, b + 2).signPss(new Uint8Array(32))],
    ['decrypt-pkcs', (s, b) => AsymmetricKey.from(s, b + 2).decryptPkcs1(new Uint8Array(256).fill(1, 1))],
    ['decrypt-oaep', (s, b) => AsymmetricKey.from(s, b + 2).decryptOaep(new Uint8Array(256).fill(1, 1))],
    ['sign-eddsa', (s, b) => AsymmetricKey.from(s, b + 3).signEddsa(Uint8Array.of(1))],
    ['sign-hmac', (s, b) => HmacKey.from(s, b + 4).sign(Uint8Array.of(1))],
    ['verify-hmac', (s, b) => HmacKey.from(s, b + 4).verify(new Uint8Array(32), Uint8Array.of(1))],
    ['encrypt-ecb', (s, b) => SymmetricKey.from(s, b + 5).encryptEcb(new Uint8Array(16))],
    ['decrypt-ecb', (s, b) => SymmetricKey.from(s, b + 5).decryptEcb(new Uint8Array(16))],
    ['encrypt-cbc', (s, b) => SymmetricKey.from(s, b + 5).encryptCbc(new Uint8Array(16), new Uint8Array(16))],
    ['decrypt-cbc', (s, b) => SymmetricKey.from(s, b + 5).decryptCbc(new Uint8Array(16), new Uint8Array(16))],
    ['create-otp-aead', (s, b) => OtpAeadKey.from(s, b + 6).createAead(new Uint8Array(16), new Uint8Array(6))],
    ['randomize-otp-aead', (s, b) => OtpAeadKey.from(s, b + 6).randomizeAead()],
    ['decrypt-otp', (s, b) => OtpAeadKey.from(s, b + 6).decryptOtp(new Uint8Array(36), new Uint8Array(16))],
    ['rewrap-from-otp-aead-key', (s, b) => OtpAeadKey.from(s, b + 6).rewrapAead(OtpAeadKey.from(s, 0x106), new Uint8Array(36))],
    ['sign-attestation-certificate', (s, b) => AsymmetricKey.from(s, 0x101).attest(b + 1)],
  ];
  const none = await restricted(rig, admin, 0x10, { caps: 0n });
  for (const [cap, op] of ops) {
    await assert.rejects(op(none, 0x100), deviceRefused(NOT_PERMITTED, new RegExp(`auth key 0x0010 lacks capability ${cap}[ ,]`)), `session half of ${cap}`);
    await assert.rejects(op(admin, 0x200), deviceRefused(NOT_PERMITTED, new RegExp(`0x02\\d\\d lacks capability ${cap}[ ,]`)), `key half of ${cap}`);
  }
  // Data wrapping: the session half is INSUFFICIENT_PERMISSIONS; firmware 2.4 answers the key half with INVALID_DATA.
  await assert.rejects(WrapKey.from(none, 0x107).wrapData(Uint8Array.of(1)), deviceRefused(NOT_PERMITTED, /lacks capability wrap-data/));
  await assert.rejects(WrapKey.from(none, 0x107).unwrapData(new Uint8Array(30)), deviceRefused(NOT_PERMITTED, /lacks capability unwrap-data/));
  await assert.rejects(WrapKey.from(admin, 0x207).unwrapData(new Uint8Array(30)), deviceRefused(INVALID_DATA, /lacks capability unwrap-data/));
  // rewrap-to is checked on the destination key.
  const aead = await OtpAeadKey.from(admin, 0x106).randomizeAead();
  await assert.rejects(OtpAeadKey.from(admin, 0x106).rewrapAead(OtpAeadKey.from(admin, 0x206), aead),
    deviceRefused(NOT_PERMITTED, /0x0206 lacks capability rewrap-to-otp-aead-key/));
  // Each operation works where both halves hold the capability (the refusals above are about capabilities only).
  assert.equal((await AsymmetricKey.from(admin, 0x101).signEcdsa(new Uint8Array(32)))[0], 0x30);
  assert.equal((await HmacKey.from(admin, 0x104).sign(Uint8Array.of(1))).length, 32);
});

test('rule 1, visibility: an object outside the session domains is not listed and has no info, public key or delete', async (t) => {
  const { rig, admin } = await setup(t);
  await AsymmetricKey.generate(admin, { id: 0x100, domains: '2', capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  await AsymmetricKey.generate(admin, { id: 0x101, domains: '1,2', capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const s = await restricted(rig, admin, 0x10, { caps: 'delete-asymmetric-key', domains: '1' });
  const listed = (await s.listObjects({ type: 3 })).map((o) => o.id);
  assert.deepEqual(listed, [0x101]);
  assert.deepEqual((await admin.listObjects({ type: 3 })).map((o) => o.id).sort(), [0x100, 0x101]);
  await assert.rejects(s.getObjectInfo(3, 0x100), deviceRefused(NOT_FOUND));
  await assert.rejects(AsymmetricKey.from(s, 0x100).getPublicKey(), deviceRefused(NOT_FOUND));
  await assert.rejects(AsymmetricKey.from(s, 0x100).delete(), deviceRefused(NOT_FOUND));
  assert.equal((await admin.getObjectInfo(3, 0x100)).id, 0x100, 'the refused delete deleted nothing');
});

test('rule 3, create: every create command needs its session capability; delegated sets of new auth and public wrap keys are bounded', async (t) => {
  const { rig, admin } = await setup(t);
  const rsa = rsaKeyPair();
  const s = await restricted(rig, admin, 0x10, { caps: 0n, delegated: 'all' });
  const o = { domains: 1, capabilities: 0n };
  const creates: [string, () => Promise<unknown>][] = [
    ['put-opaque', () => Opaque.put(s, { ...o, data: Uint8Array.of(1) })],
    ['put-template', () => Template.put(s, { ...o, data: Uint8Array.of(1) })],
    ['put-authentication-key', () => AuthenticationKey.putDerived(s, { ...o, delegatedCapabilities: 0n, password: 'x' })],
    ['put-asymmetric-key', () => AsymmetricKey.put(s, { ...o, pkcs8: rsa.pkcs8 })],
    ['generate-asymmetric-key', () => AsymmetricKey.generate(s, { ...o, algorithm: 'ecp256' })],
    ['put-wrap-key', () => WrapKey.put(s, { ...o, delegatedCapabilities: 0n, algorithm: 'aes128-ccm-wrap', key: new Uint8Array(16) })],
    ['generate-wrap-key', () => WrapKey.generate(s, { ...o, delegatedCapabilities: 0n, algorithm: 'aes128-ccm-wrap' })],
    ['put-mac-key', () => HmacKey.put(s, { ...o, algorithm: 'hmac-sha256', key: new Uint8Array(32) })],
    ['generate-hmac-key', () => HmacKey.generate(s, { ...o, algorithm: 'hmac-sha256' })],
    ['put-symmetric-key', () => SymmetricKey.put(s, { ...o, algorithm: 'aes128', key: new Uint8Array(16) })],
    ['generate-symmetric-key', () => SymmetricKey.generate(s, { ...o, algorithm: 'aes128' })],
    ['put-otp-aead-key', () => OtpAeadKey.put(s, { ...o, algorithm: 'aes128-yubico-otp', nonceId: 1, key: new Uint8Array(16) })],
    ['generate-otp-aead-key', () => OtpAeadKey.generate(s, { ...o, algorithm: 'aes128-yubico-otp', nonceId: 1 })],
    ['put-public-wrap-key', () => PublicWrapKey.put(s, { ...o, delegatedCapabilities: 0n, publicKey: rsa.pem })],
  ];
  for (const [cap, create] of creates) {
    await assert.rejects(create(), deviceRefused(NOT_PERMITTED, new RegExp(`auth key 0x0010 lacks capability ${cap} `)), cap);
  }
  assert.deepEqual((await admin.listObjects({ domains: 1 })).map((x) => x.id).sort(), [1, 0x10], 'nothing was created');

  const c = await restricted(rig, admin, 0x11, { caps: 'put-authentication-key,put-public-wrap-key', delegated: 'sign-ecdsa,export-wrapped' });
  await assert.rejects(
    AuthenticationKey.putDerived(c, { id: 0x20, domains: 1, capabilities: 'sign-ecdsa', delegatedCapabilities: 'sign-ecdsa,sign-pss', password: 'x' }),
    deviceRefused(NOT_PERMITTED, /cannot grant sign-pss/),
  );
  await assert.rejects(
    PublicWrapKey.put(c, { id: 0x21, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'sign-ecdsa,exportable-under-wrap', publicKey: rsa.pem }),
    deviceRefused(NOT_PERMITTED, /cannot grant exportable-under-wrap/),
  );
  // Within the bound the same key creates both.
  await AuthenticationKey.putDerived(c, { id: 0x20, domains: 1, capabilities: 'sign-ecdsa', delegatedCapabilities: 'sign-ecdsa', password: 'x' });
  await PublicWrapKey.put(c, { id: 0x21, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'sign-ecdsa', publicKey: rsa.pem });
});

test('rule 4: Echo, DeviceInfo, ListObjects, GetObjectInfo, GetPublicKey, GetStorageInfo, Blink and CloseSession need no capability', async (t) => {
  const { rig, admin } = await setup(t);
  await AsymmetricKey.generate(admin, { id: 0x100, domains: 1, capabilities: 0n, algorithm: 'ecp256' });
  const s = await restricted(rig, admin, 0x10, { caps: 0n });
  assert.equal((await admin.getObjectInfo(2, 0x10)).capabilities, 0n);
  assert.deepEqual(await s.echo(Uint8Array.of(7, 8)), Uint8Array.of(7, 8));
  assert.equal((await s.getDeviceInfo()).version.major, 2);
  assert.ok((await s.listObjects()).some((x) => x.id === 0x100 && x.type === 3));
  assert.equal((await s.getObjectInfo(3, 0x100)).id, 0x100);
  assert.equal((await AsymmetricKey.from(s, 0x100).getPublicKey()).raw.length, 64);
  assert.ok((await s.getStorageInfo()).totalRecords > 0);
  await s.blinkDevice(1);
  const before = rig.device.sessionCount;
  await s.close();
  assert.equal(rig.device.sessionCount, before - 1, 'the device freed the slot');
});

test('rule 5: each object type needs its own delete capability', async (t) => {
  const { rig, admin } = await setup(t);
  const rsa = rsaKeyPair();
  const o = { id: 0x300, domains: 1, capabilities: 0n };
  await Opaque.put(admin, { ...o, data: Uint8Array.of(1) });
  await AuthenticationKey.putDerived(admin, { ...o, delegatedCapabilities: 0n, password: 'x' });
  await AsymmetricKey.generate(admin, { ...o, algorithm: 'ecp256' });
  await WrapKey.generate(admin, { ...o, delegatedCapabilities: 0n, algorithm: 'aes128-ccm-wrap' });
  await HmacKey.generate(admin, { ...o, algorithm: 'hmac-sha256' });
  await Template.put(admin, { ...o, data: Uint8Array.of(1) });
  await OtpAeadKey.generate(admin, { ...o, algorithm: 'aes128-yubico-otp', nonceId: 1 });
  await SymmetricKey.generate(admin, { ...o, algorithm: 'aes128' });
  await PublicWrapKey.put(admin, { ...o, delegatedCapabilities: 0n, publicKey: rsa.pem });
  const types: [number, string][] = [
    [1, 'delete-opaque'], [2, 'delete-authentication-key'], [3, 'delete-asymmetric-key'], [4, 'delete-wrap-key'], [5, 'delete-hmac-key'],
    [6, 'delete-template'], [7, 'delete-otp-aead-key'], [8, 'delete-symmetric-key'], [9, 'delete-public-wrap-key'],
  ];
  const allDeletes = types.map(([, cap]) => cap);
  for (const [type, cap] of types) {
    // Every delete capability but this type's own.
    const s = await restricted(rig, admin, 0x10 + type, { caps: allDeletes.filter((c) => c !== cap).join(',') });
    await assert.rejects(s.deleteObject(type, 0x300), deviceRefused(NOT_PERMITTED, new RegExp(`lacks capability ${cap} `)), cap);
    await s.close();
    const ok = await restricted(rig, admin, 0x20 + type, { caps: cap });
    await ok.deleteObject(type, 0x300);
    await ok.close();
    await assert.rejects(admin.getObjectInfo(type, 0x300), deviceRefused(NOT_FOUND), `type ${type} deleted`);
  }
});

test('rule 6 for ExportWrapped (0x4A) and ExportRsaWrapped (0x76); an RSA wrap key with 0x4A is INVALID_DATA', async (t) => {
  const { rig, admin } = await setup(t);
  const rsa = rsaKeyPair();
  const wide = 'exportable-under-wrap,sign-ecdsa';
  const aes = await WrapKey.generate(admin, { id: 0x110, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: wide, algorithm: 'aes256-ccm-wrap' });
  const aesNoCap = await WrapKey.generate(admin, { id: 0x111, domains: 1, capabilities: 0n, delegatedCapabilities: wide, algorithm: 'aes256-ccm-wrap' });
  const rsaWrap = await WrapKey.put(admin, { id: 0x112, domains: 1, capabilities: 'export-wrapped,import-wrapped', delegatedCapabilities: wide, pkcs8: rsa.pkcs8 });
  const pub = await PublicWrapKey.put(admin, { id: 0x113, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: wide, publicKey: rsa.pem });
  const key = await AsymmetricKey.generate(admin, { id: 0x100, domains: 1, capabilities: wide, algorithm: 'ecp256' });
  const fixed = await AsymmetricKey.generate(admin, { id: 0x101, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const s = await restricted(rig, admin, 0x10, { caps: 'sign-ecdsa' });

  await assert.rejects(AsymmetricKey.from(s, 0x100).exportWrapped(WrapKey.from(s, 0x110)),
    deviceRefused(NOT_PERMITTED, /auth key 0x0010 lacks capability export-wrapped needed for ExportWrapped/));
  await assert.rejects(key.exportWrapped(aesNoCap), deviceRefused(NOT_PERMITTED, /wrap-key 0x0111 lacks capability export-wrapped/));
  await assert.rejects(fixed.exportWrapped(aes), deviceRefused(NOT_PERMITTED, /asymmetric-key 0x0101 lacks exportable-under-wrap/));
  await assert.rejects(key.exportWrapped(rsaWrap), deviceRefused(INVALID_DATA));
  await assert.rejects(AsymmetricKey.from(s, 0x100).exportRsaWrapped(PublicWrapKey.from(s, 0x113)),
    deviceRefused(NOT_PERMITTED, /auth key 0x0010 lacks capability export-wrapped needed for ExportRsaWrapped/));
  await assert.rejects(fixed.exportRsaWrapped(pub), deviceRefused(NOT_PERMITTED, /asymmetric-key 0x0101 lacks exportable-under-wrap/));
  // The same key exports where every condition holds.
  assert.ok((await key.exportWrapped(aes)).length > 13 + 16);
  assert.ok((await key.exportRsaWrapped(pub)).length > 256);
});

test('rule 7 for ImportWrapped (0x4B); an unknown or public wrap key is OBJECT_NOT_FOUND for 0x4B, 0x75 and 0x77', async (t) => {
  const { rig, admin } = await setup(t);
  const rsa = rsaKeyPair();
  const material = randomBytes(32);
  const put = (id: number, capabilities: string | bigint, delegatedCapabilities: string) =>
    WrapKey.put(admin, { id, domains: 1, capabilities, delegatedCapabilities, algorithm: 'aes256-ccm-wrap', key: material });
  const w = await put(0x110, 'export-wrapped,import-wrapped', 'exportable-under-wrap,sign-ecdsa');
  const noCap = await put(0x111, 0n, 'exportable-under-wrap,sign-ecdsa');
  const narrow = await put(0x112, 'import-wrapped', 'sign-ecdsa');
  const key = await AsymmetricKey.generate(admin, { id: 0x100, domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256' });
  const blob = await key.exportWrapped(w);
  await key.delete();
  const s = await restricted(rig, admin, 0x10, { caps: 'sign-ecdsa' });

  await assert.rejects(WrapKey.from(s, 0x110).importWrapped(blob), deviceRefused(NOT_PERMITTED, /auth key 0x0010 lacks capability import-wrapped needed for ImportWrapped/));
  await assert.rejects(noCap.importWrapped(blob), deviceRefused(NOT_PERMITTED, /wrap-key 0x0111 lacks capability import-wrapped/));
  await assert.rejects(narrow.importWrapped(blob), deviceRefused(NOT_PERMITTED));
  await assert.rejects(WrapKey.from(admin, 0x0777).importWrapped(blob), deviceRefused(NOT_FOUND));
  await assert.rejects(admin.getObjectInfo(3, 0x100), deviceRefused(NOT_FOUND), 'no refused import created the key');
  assert.equal((await w.importWrapped(blob)).id, 0x100, 'the blob imports under the right key');

  // A public wrap key (type 9) at an id where no RSA wrap key (type 4) exists cannot import.
  const pub = await PublicWrapKey.put(admin, { id: 0x120, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa', publicKey: rsa.pem });
  const k2 = await AsymmetricKey.generate(admin, { id: 0x101, domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256' });
  const rsaBlob = await k2.getRsaWrappedKey(pub);
  const whole = await k2.exportRsaWrapped(pub);
  await k2.delete();
  await assert.rejects(WrapKey.from(admin, 0x120).putRsaWrappedKey(rsaBlob, { id: 0x101, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' }),
    deviceRefused(NOT_FOUND));
  await assert.rejects(WrapKey.from(admin, 0x120).importRsaWrapped(whole), deviceRefused(NOT_FOUND));
});

test('wrong password: the device itself refuses the AuthenticateSession (7F 00 01 04) and frees the slot', async (t) => {
  const { rig } = await setup(t);
  const before = rig.device.sessionCount;
  const sentBefore = rig.transport.sent.length;
  const answers: Uint8Array[] = [];
  rig.transport.tamperNextResponse((r) => (answers.push(r), r));
  rig.transport.tamperNextResponse((r) => (answers.push(r), r));
  await assert.rejects(rig.open({ password: 'not the password' }), { code: 'HSM_WRONG_PASSWORD' });
  assert.deepEqual(rig.transport.sent.slice(sentBefore).map((f) => f[0]), [0x03, 0x04], 'CreateSession, then AuthenticateSession');
  assert.equal(answers.length, 2);
  assert.equal(answers[0][0], 0x83, 'CreateSession succeeded: the device cannot know the password yet');
  assert.deepEqual(answers[1], hex('7f000104'), 'AUTHENTICATION_FAILED from the device');
  assert.equal(rig.device.sessionCount, before, 'no half-open session left on the device');
});

test("SignSshCertificate over HTTP answers Yubico's examples/ssh.c request with the exact signature it asserts", async (t) => {
  const { admin } = await setup(t);
  const o = { label: 'label', domains: '5', capabilities: 'sign-ssh-certificate' };
  await AsymmetricKey.put(admin, { ...o, id: 5, algorithm: 'rsa2048', key: hex(CA_P_Q) });
  await Template.put(admin, { ...o, id: 10, data: hex(TEMPLATE) });
  assert.deepEqual(await Template.from(admin, 10).get(), hex(TEMPLATE));
  const answer = await AsymmetricKey.from(admin, 5).signSshCertificate(10, 1, hex(REQUEST));
  assert.equal(Buffer.from(answer).toString('hex'), ANSWER);
});
