/**
 * Symmetric objects through the client over HTTP, each cross-checked with node:crypto or openssl: AES ECB/CBC
 * (also longer than one frame), HMAC sign/verify, Yubico OTP (AEAD opened independently, OTP built by hand),
 * WrapData/UnwrapData (AES-CCM), ExportWrapped/ImportWrapped round trip (the export decrypted independently to the
 * 59-byte header of PROTOCOL.md 5.5), GetRsaWrappedKey of a symmetric key, templates and opaque data.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import test from 'node:test';
import { AsymmetricKey, HmacKey, Opaque, OtpAeadKey, PublicWrapKey, SymmetricKey, Template, WrapKey } from '../../src/client/index.js';
import { capabilities } from '../../src/protocol/capabilities.js';
import { httpRig } from '../client/harness.js';
import { OpenSsl } from '../client/openssl.js';

const u8 = (b: Buffer) => new Uint8Array(b);

test('AES ECB and CBC equal node:crypto, also for data longer than one frame', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const raw = randomBytes(32);
  const key = await SymmetricKey.put(s, { id: 0x10, domains: 1, capabilities: 'encrypt-ecb,decrypt-ecb,encrypt-cbc,decrypt-cbc', algorithm: 'aes256', key: raw });
  const data = randomBytes(16 * 700); // 11 200 bytes: four frames
  const ecb = createCipheriv('aes-256-ecb', raw, null).setAutoPadding(false);
  const ecbWant = Buffer.concat([ecb.update(data), ecb.final()]);
  assert.deepEqual(await key.encryptEcb(data), u8(ecbWant));
  assert.deepEqual(await key.decryptEcb(ecbWant), u8(data));
  const iv = randomBytes(16);
  const cbc = createCipheriv('aes-256-cbc', raw, iv).setAutoPadding(false);
  const cbcWant = Buffer.concat([cbc.update(data), cbc.final()]);
  assert.deepEqual(await key.encryptCbc(iv, data), u8(cbcWant));
  assert.deepEqual(await key.decryptCbc(iv, cbcWant), u8(data));
  await assert.rejects(key.encryptEcb(new Uint8Array(15)), { code: 'HSM_BAD_ARGUMENT', message: /whole 16-byte blocks/ });
  const gen = await SymmetricKey.generate(s, { id: 0x11, domains: 1, capabilities: 'encrypt-cbc,decrypt-cbc', algorithm: 'aes128' });
  const ct = await gen.encryptCbc(iv, data.subarray(0, 64));
  assert.deepEqual(await gen.decryptCbc(iv, ct), u8(data.subarray(0, 64)));
});

test('HMAC: device MACs equal node:crypto; VerifyHmac accepts and rejects', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const raw = randomBytes(100);
  const key = await HmacKey.put(s, { id: 0x20, domains: 1, capabilities: 'sign-hmac,verify-hmac', algorithm: 'hmac-sha512', key: raw });
  const msg = Buffer.from('authenticate me');
  const mac = await key.sign(msg);
  assert.deepEqual(mac, u8(createHmac('sha512', raw).update(msg).digest()));
  assert.equal(await key.verify(mac, msg), true);
  mac[0] ^= 1;
  assert.equal(await key.verify(mac, msg), false);
  const gen = await HmacKey.generate(s, { id: 0x21, domains: 1, capabilities: 'sign-hmac', algorithm: 'hmac-sha1' });
  assert.equal((await gen.sign(msg)).length, 20);
  await assert.rejects(HmacKey.put(s, { id: 0x22, domains: 1, capabilities: 'sign-hmac', algorithm: 'hmac-sha256', key: new Uint8Array(65) }), {
    code: 'HSM_BAD_ARGUMENT', message: /1 to 64 bytes/,
  });
});

/** CRC-16 as in the Yubico OTP (ISO 13239, reflected polynomial 0x8408, initial 0xFFFF). */
function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const b of data) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

test('Yubico OTP: AEAD made by the device opens with node AES-CCM; a hand-made OTP decrypts; rewrap and randomize', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const otpKeyBytes = randomBytes(16);
  const caps = 'create-otp-aead,decrypt-otp,randomize-otp-aead,rewrap-from-otp-aead-key,rewrap-to-otp-aead-key';
  const aeadKey = await OtpAeadKey.put(s, { id: 0x30, domains: 1, capabilities: caps, algorithm: 'aes128-yubico-otp', nonceId: 0x01020304, key: otpKeyBytes });
  const yubikeyAes = randomBytes(16);
  const privateId = randomBytes(6);
  const aead = await aeadKey.createAead(yubikeyAes, privateId);
  assert.equal(aead.length, 36);
  const nonce = Buffer.concat([Buffer.from([0x04, 0x03, 0x02, 0x01]), aead.subarray(0, 6), Buffer.alloc(3)]);
  const d = createDecipheriv('aes-128-ccm', otpKeyBytes, nonce, { authTagLength: 8 });
  d.setAuthTag(aead.subarray(28));
  assert.deepEqual(Buffer.concat([d.update(aead.subarray(6, 28)), d.final()]), Buffer.concat([yubikeyAes, privateId]));

  const token = Buffer.alloc(16);
  privateId.copy(token, 0);
  token.writeUInt16LE(7, 6); // use counter
  token.writeUInt16LE(0x3456, 8); // timestamp low
  token[10] = 0x12; // timestamp high
  token[11] = 3; // session counter
  randomBytes(2).copy(token, 12);
  token.writeUInt16LE(~crc16(token.subarray(0, 14)) & 0xffff, 14);
  const otp = createCipheriv('aes-128-ecb', yubikeyAes, null).setAutoPadding(false).update(token);
  assert.deepEqual(await aeadKey.decryptOtp(aead, otp), { useCounter: 7, sessionCounter: 3, timestampHigh: 0x12, timestampLow: 0x3456 });
  const bad = Buffer.from(otp);
  bad[0] ^= 1;
  await assert.rejects(aeadKey.decryptOtp(aead, bad), { code: 'HSM_INVALID_OTP' });

  const other = await OtpAeadKey.generate(s, { id: 0x31, domains: 1, capabilities: caps, algorithm: 'aes256-yubico-otp', nonceId: 9 });
  const moved = await aeadKey.rewrapAead(other, aead);
  assert.deepEqual(await other.decryptOtp(moved, otp), { useCounter: 7, sessionCounter: 3, timestampHigh: 0x12, timestampLow: 0x3456 });
  assert.equal((await aeadKey.randomizeAead()).length, 36);
});

test('WrapData/UnwrapData: AES-CCM that node:crypto opens (0x00 ‖ data inside)', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const raw = randomBytes(24);
  const wk = await WrapKey.put(s, { id: 0x40, domains: 1, capabilities: 'wrap-data,unwrap-data', delegatedCapabilities: 0n, algorithm: 'aes192-ccm-wrap', key: raw });
  const data = Buffer.from('data wrapped by the HSM');
  const blob = await wk.wrapData(data);
  const d = createDecipheriv('aes-192-ccm', raw, blob.subarray(0, 13), { authTagLength: 16 });
  d.setAuthTag(blob.subarray(blob.length - 16));
  assert.deepEqual(Buffer.concat([d.update(blob.subarray(13, blob.length - 16)), d.final()]), Buffer.concat([Buffer.of(0), data]));
  assert.deepEqual(await wk.unwrapData(blob), u8(data));
  blob[20] ^= 1;
  await assert.rejects(wk.unwrapData(blob), { code: 'HSM_INVALID_DATA' });
});

test('ExportWrapped/ImportWrapped: round trip of an EC key; the export opens with node AES-CCM to the 59-byte header', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const raw = randomBytes(16);
  const keyCaps = 'sign-ecdsa,exportable-under-wrap';
  const wk = await WrapKey.put(s, {
    id: 0x50, domains: 1, capabilities: 'export-wrapped,import-wrapped', delegatedCapabilities: keyCaps, algorithm: 'aes128-ccm-wrap', key: raw,
  });
  const key = await AsymmetricKey.generate(s, { id: 0x51, label: 'EC_Key', domains: 1, capabilities: keyCaps, algorithm: 'ecp256' });
  const pub = (await key.getPublicKey()).raw;
  const blob = await key.exportWrapped(wk);
  const d = createDecipheriv('aes-128-ccm', raw, blob.subarray(0, 13), { authTagLength: 16 });
  d.setAuthTag(blob.subarray(blob.length - 16));
  const plain = Buffer.concat([d.update(blob.subarray(13, blob.length - 16)), d.final()]);
  assert.equal(plain[0], 29, 'wrap key algorithm');
  assert.equal(plain.readBigUInt64BE(1), capabilities('sign-ecdsa', 'exportable-under-wrap'));
  assert.equal(plain.readUInt16BE(9), 0x51);
  assert.equal(plain.readUInt16BE(11), 96, 'body d ‖ X ‖ Y');
  assert.equal(plain.readUInt16BE(13), 1);
  assert.deepEqual([plain[15], plain[16]], [3, 12]);
  assert.equal(plain.subarray(19, 59).toString().replace(/\0+$/, ''), 'EC_Key');
  assert.deepEqual(plain.subarray(59 + 32), Buffer.from(pub), 'X ‖ Y after d');
  await key.delete();
  const back = await wk.importWrapped(blob);
  assert.ok(back instanceof AsymmetricKey);
  assert.equal(back.id, 0x51);
  assert.equal((await back.getInfo()).origin, 0x11);
  assert.deepEqual((await back.getPublicKey()).raw, pub);
  await assert.rejects(wk.importWrapped(blob), { code: 'HSM_OBJECT_EXISTS' });
});

test('GetRsaWrappedKey of a symmetric key: openssl unwraps the raw AES key', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const s = await rig.open();
  t.after(() => s.close());
  ossl.run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'w.pem');
  ossl.run('pkey', '-in', 'w.pem', '-pubout', '-out', 'w.pub');
  const wrap = await PublicWrapKey.put(s, {
    id: 0x60, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'exportable-under-wrap,encrypt-cbc,decrypt-cbc',
    publicKey: new TextDecoder().decode(ossl.read('w.pub')),
  });
  const aes = randomBytes(32);
  const key = await SymmetricKey.put(s, { id: 0x61, domains: 1, capabilities: 'exportable-under-wrap,encrypt-cbc', algorithm: 'aes256', key: aes });
  const blob = await key.getRsaWrappedKey(wrap, { aes: 'aes128' });
  ossl.write('c1.bin', blob.subarray(0, 256));
  ossl.write('c2.bin', blob.subarray(256));
  ossl.run('pkeyutl', '-decrypt', '-inkey', 'w.pem', '-in', 'c1.bin', '-out', 'k.bin', '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
  assert.equal(ossl.read('k.bin').length, 16, 'aes128 ephemeral key');
  ossl.run('enc', '-d', '-id-aes128-wrap-pad', '-K', Buffer.from(ossl.read('k.bin')).toString('hex'), '-iv', 'A65959A6', '-in', 'c2.bin', '-out', 'aes.bin');
  assert.deepEqual(ossl.read('aes.bin'), u8(aes));
});

test('opaque data and certificates, SSH templates', async (t) => {
  const rig = await httpRig();
  t.after(() => rig.close());
  const s = await rig.open();
  t.after(() => s.close());
  const data = randomBytes(2500);
  const op = await Opaque.put(s, { id: 0x70, label: 'blob', domains: 1, capabilities: 0n, data });
  assert.deepEqual(await op.get(), u8(data));
  assert.equal((await op.getInfo()).algorithm, 30);
  const tpl = await Template.put(s, { id: 0x71, domains: 1, capabilities: 0n, data: Uint8Array.of(1, 2, 3, 4) });
  assert.deepEqual(await tpl.get(), Uint8Array.of(1, 2, 3, 4));
  assert.equal((await tpl.getInfo()).algorithm, 36);
});
