/**
 * Request decoding is strict about structure: wrong lengths are WRONG_LENGTH (0x08), bad values INVALID_DATA
 * (0x02), as the device would answer. Payloads are written as hex here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands, decodeOptionValue, splitMacAndData } from '../../src/protocol/commands/index.js';
import { decodeListFilter } from '../../src/protocol/list-filter.js';
import { filled, h, label, protocolError, toHex } from './helpers.js';

const WRONG_LENGTH = 0x08;
const INVALID_DATA = 0x02;
const LHASH32 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

test('ListObjects filter: any tag order, every tag', () => {
  // libyubihsm order 01,02,03,05,06,04
  const hex = '011234' + '0203' + '030005' + '050c' + '06' + toHex(label('k1')) + '04' + '0000000000000080';
  assert.deepStrictEqual(decodeListFilter(h(hex)), {
    id: 0x1234, type: 3, domains: 5, algorithm: 12, label: label('k1'), capabilities: 0x80n,
  });
});

test('ListObjects filter: unknown tag, truncated value, repeated tag', () => {
  assert.throws(() => decodeListFilter(h('0203' + '0701')), protocolError('UNKNOWN_LIST_FILTER', INVALID_DATA, /tag 0x07 is unknown/));
  assert.throws(() => decodeListFilter(h('0112')), protocolError('TRUNCATED', WRONG_LENGTH, /id filter needs 2 byte/));
  assert.throws(() => decodeListFilter(h('06' + '6b31')), protocolError('TRUNCATED', WRONG_LENGTH, /label filter needs 40/));
  assert.throws(() => decodeListFilter(h('04000000')), protocolError('TRUNCATED', WRONG_LENGTH, /capabilities filter/));
  assert.throws(() => decodeListFilter(h('0203' + '0204')), protocolError('DUPLICATE_LIST_FILTER', INVALID_DATA, /appears twice/));
});

test('PutRsaWrappedKey (0x75): the lHash length follows the OAEP byte, the blob is what lies between', () => {
  const fixed = '00bb' + '03' + '1234' + toHex(label('k1')) + '0001' + '0000000000000080' + '0c';
  // OAEP SHA-1 (25) → 20-byte lHash; blob = 3 bytes
  const sha1 = commands.putRsaWrappedKey.decodeRequest(h(fixed + '19' + '20' + 'aabbcc' + '11'.repeat(20)));
  assert.deepStrictEqual([sha1.oaepAlgorithm, sha1.mgf1Algorithm, toHex(sha1.blob), sha1.lHash.length], [25, 32, 'aabbcc', 20]);
  // OAEP SHA-512 (28) → 64-byte lHash
  const sha512 = commands.putRsaWrappedKey.decodeRequest(h(fixed + '1c' + '23' + 'aabbcc' + '22'.repeat(64)));
  assert.deepStrictEqual([toHex(sha512.blob), toHex(sha512.lHash)], ['aabbcc', '22'.repeat(64)]);
  assert.throws(() => commands.putRsaWrappedKey.decodeRequest(h(fixed + '1d' + '21' + 'aa' + LHASH32)),
    protocolError('BAD_OAEP_ALGORITHM', INVALID_DATA, /OAEP algorithm 29 is not one of 25-28/));
  assert.throws(() => commands.putRsaWrappedKey.decodeRequest(h(fixed + '1a' + '21' + LHASH32)),
    protocolError('BAD_RSA_WRAPPED_LENGTH', WRONG_LENGTH, /32-byte lHash, but only 32 byte/));
  assert.throws(() => commands.putRsaWrappedKey.decodeRequest(h(fixed.slice(0, 40))), protocolError('TRUNCATED', WRONG_LENGTH, /label/));
});

test('ImportRsaWrapped (0x77) and GetRsaWrappedKey (0x74): lHash length checked against the OAEP byte', () => {
  assert.throws(() => commands.importRsaWrapped.decodeRequest(h('00bb1a21' + '11'.repeat(20))),
    protocolError('BAD_RSA_WRAPPED_LENGTH', WRONG_LENGTH, /32-byte lHash/));
  const q = commands.importRsaWrapped.decodeRequest(h('00bb1921' + 'ff' + '11'.repeat(20)));
  assert.deepStrictEqual([toHex(q.blob), q.lHash.length], ['ff', 20]);
  assert.throws(() => commands.getRsaWrappedKey.decodeRequest(h('00aa031234341a21' + '11'.repeat(20))),
    protocolError('BAD_LHASH_LENGTH', WRONG_LENGTH, /OAEP algorithm 26 needs a 32-byte lHash, but 20/));
  assert.throws(() => commands.exportRsaWrapped.decodeRequest(h('00aa031234341a21' + LHASH32 + '00')),
    protocolError('BAD_LHASH_LENGTH', WRONG_LENGTH, /but 33/));
  assert.throws(() => commands.getRsaWrappedKey.decodeRequest(h('00aa0312343420' + '21' + LHASH32)),
    protocolError('BAD_OAEP_ALGORITHM', INVALID_DATA, /OAEP algorithm 32/));
});

test('DecryptOaep splits ciphertext and lHash from the total length', () => {
  const q = commands.decryptOaep.decodeRequest(h('123422' + '11'.repeat(512) + '22'.repeat(48)));
  assert.deepStrictEqual([q.mgf1Algorithm, q.ciphertext.length, q.lHash.length], [34, 512, 48]);
  assert.throws(() => commands.decryptOaep.decodeRequest(h('123421' + '11'.repeat(256) + '22'.repeat(31))),
    protocolError('BAD_OAEP_LENGTH', WRONG_LENGTH, /is 287 bytes/));
});

test('fixed-length requests', () => {
  assert.throws(() => commands.createSession.decodeRequest(h('000100010203040506')), protocolError('BAD_CREATE_SESSION_LENGTH', WRONG_LENGTH, /10 \(symmetric\) or 67/));
  assert.throws(() => commands.createSession.decodeRequest(h('0002' + '05' + '11'.repeat(64))), protocolError('BAD_EC_POINT', INVALID_DATA, /starting with 0x04/));
  assert.throws(() => commands.authenticateSession.decodeRequest(h('03' + '00'.repeat(15))), protocolError('BAD_LENGTH', WRONG_LENGTH, /exactly 17/));
  assert.throws(() => commands.getObjectInfo.decodeRequest(h('000102ff')), protocolError('TRAILING_BYTES', WRONG_LENGTH, /1 unexpected/));
  assert.throws(() => commands.decryptOtp.decodeRequest(h('0001' + '00'.repeat(36) + '00'.repeat(15))), protocolError('BAD_LENGTH', WRONG_LENGTH, /exactly 54/));
  assert.throws(() => commands.closeSession.decodeRequest(h('00')), protocolError('TRAILING_BYTES', WRONG_LENGTH, /trailing/));
  assert.throws(() => commands.getPublicKey.decodeRequest(h('00010300')), protocolError('BAD_GET_PUBLIC_KEY_LENGTH', WRONG_LENGTH, /2 or 3 bytes/));
  assert.throws(() => commands.getDeviceInfo.decodeRequest(h('02')), protocolError('BAD_DEVICE_INFO_PAGE', INVALID_DATA, /page 2/));
});

test('ExportWrapped: 5 or 6 bytes, format 0 or 1', () => {
  assert.deepStrictEqual(commands.exportWrapped.decodeRequest(h('00bb03123400')), { wrapKeyId: 0xbb, type: 3, id: 0x1234, format: 0 });
  assert.throws(() => commands.exportWrapped.decodeRequest(h('00bb03123402')), protocolError('BAD_WRAP_FORMAT', INVALID_DATA, /format 2/));
  assert.throws(() => commands.exportWrapped.decodeRequest(h('00bb0312')), protocolError('BAD_EXPORT_WRAPPED_LENGTH', WRONG_LENGTH, /5 or 6/));
});

test('authentication key material: 32 bytes for algorithm 38, 64 for 49', () => {
  const ok = commands.changeAuthenticationKey.decodeRequest(h('000231' + '04'.repeat(64)));
  assert.deepStrictEqual([ok.algorithm, ok.key.length], [49, 64]);
  assert.throws(() => commands.changeAuthenticationKey.decodeRequest(h('000226' + '00'.repeat(64))),
    protocolError('BAD_AUTH_KEY_LENGTH', WRONG_LENGTH, /64 bytes; algorithm 38 needs/));
});

test('AES ECB/CBC take whole blocks; PSS digests are hash-sized; HMAC keys at most 128 bytes', () => {
  assert.throws(() => commands.encryptAesEcb.decodeRequest(h('0001' + '00'.repeat(15))), protocolError('BAD_AES_BLOCKS', WRONG_LENGTH, /15 bytes/));
  assert.throws(() => commands.decryptAesCbc.decodeRequest(h('0001' + '00'.repeat(16))), protocolError('BAD_AES_BLOCKS', WRONG_LENGTH, /0 bytes/));
  assert.throws(() => commands.signPss.decodeRequest(h('1234210020' + '00'.repeat(33))), protocolError('BAD_DIGEST_LENGTH', WRONG_LENGTH, /got 33/));
  const put = '0001' + '00'.repeat(40) + '0001' + '0000000000400000' + '16';
  assert.equal(commands.putHmacKey.decodeRequest(h(put + '00'.repeat(128))).key.length, 128);
  assert.throws(() => commands.putHmacKey.decodeRequest(h(put + '00'.repeat(129))), protocolError('HMAC_KEY_TOO_LONG', WRONG_LENGTH, /129 bytes/));
});

test('SetOption: length field must match; option values are checked', () => {
  assert.deepStrictEqual(commands.setOption.decodeRequest(h('030004' + '5300' + '5c01')), {
    option: 3, commands: [{ command: 0x53, mode: 0 }, { command: 0x5c, mode: 1 }],
  });
  assert.deepStrictEqual(commands.setOption.decodeRequest(h('040002' + '0100')), { option: 4, algorithms: [{ algorithm: 1, enabled: false }] });
  assert.throws(() => commands.setOption.decodeRequest(h('01000201')), protocolError('BAD_OPTION_LENGTH', WRONG_LENGTH, /says 2 value bytes but 1/));
  assert.throws(() => commands.setOption.decodeRequest(h('01000103')), protocolError('BAD_OPTION_VALUE', INVALID_DATA, /force-audit option value 3/));
  assert.throws(() => commands.setOption.decodeRequest(h('02000100')), protocolError('UNKNOWN_OPTION', INVALID_DATA, /option 0x02 is unknown/));
  assert.throws(() => commands.setOption.decodeRequest(h('05000103')), protocolError('BAD_OPTION_VALUE', INVALID_DATA, /set to 0 or 1/));
  assert.throws(() => commands.getOption.decodeRequest(h('06')), protocolError('UNKNOWN_OPTION', INVALID_DATA, /0x06/));
  assert.deepStrictEqual(decodeOptionValue(0x05, h('03')), { option: 5, fipsMode: 3 });
});

test('VerifyHmac keeps MAC ‖ data for the device to split by the key length', () => {
  const q = commands.verifyHmac.decodeRequest(h('0005' + 'aa'.repeat(32) + '616263'));
  assert.equal(q.keyId, 5);
  const { mac, data } = splitMacAndData(q.macAndData, 32);
  assert.deepStrictEqual([toHex(mac), toHex(data)], ['aa'.repeat(32), '616263']);
  assert.throws(() => splitMacAndData(q.macAndData, 64), protocolError('BAD_HMAC_LENGTH', WRONG_LENGTH, /64-byte MAC/));
  assert.throws(() => commands.verifyHmac.decodeResponse(h('02')), protocolError('BAD_VERIFY_RESULT', INVALID_DATA, /answered 2/));
});

test('OTP nonce id is little-endian on the wire', () => {
  const q = { id: 1, label: label(''), domains: 1, capabilities: 0n, algorithm: 37, nonceId: 0x01020304 };
  assert.equal(toHex(commands.generateOtpAeadKey.encodeRequest(q)).slice(-8), '04030201');
  const d = commands.decryptOtp.decodeResponse(h('0201' + '03' + '04' + '0605'));
  assert.deepStrictEqual(d, { useCounter: 0x0102, sessionCounter: 3, timestampHigh: 4, timestampLow: 0x0506 });
});

test('decoders return plain Uint8Array copies, even from a Buffer payload', () => {
  const payload = Buffer.from('1234' + 'ab'.repeat(8), 'hex');
  const q = commands.signEddsa.decodeRequest(payload);
  assert.equal(Object.getPrototypeOf(q.data), Uint8Array.prototype);
  payload.fill(0);
  assert.equal(toHex(q.data), 'ab'.repeat(8));
  assert.deepStrictEqual(commands.echo.decodeRequest(Buffer.from('01', 'hex')), filled(1, 1));
});
