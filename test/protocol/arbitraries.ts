/**
 * fast-check arbitraries for a valid request and a valid response of every command in the registry. The
 * `satisfies` clause makes the table fail to compile when a command is added without arbitraries.
 */
import fc from 'fast-check';
import type { CommandKey } from '../../src/protocol/commands/index.js';

type Arb = fc.Arbitrary<unknown>;

/** fc.record with ordinary prototypes, so decoded objects compare equal with deepStrictEqual. */
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }, c: { requiredKeys?: (keyof T)[] } = {}): fc.Arbitrary<T> {
  return fc.record(model, { ...c, noNullPrototype: true }) as fc.Arbitrary<T>;
}

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const u64 = fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn });
export const bytes = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength });
const bytesN = (n: number) => bytes(n, n);
const some = (min = 1) => bytes(min, 300);
const oneOf = <T>(...v: T[]) => fc.constantFrom(...v);
const newObject = { id: u16, label: bytesN(40), domains: u16, capabilities: u64, algorithm: u8 };
const newD = { ...newObject, delegatedCapabilities: u64 };
const none = fc.constant(undefined);
const id = u16.map((n) => n);
const keyAndData = rec({ keyId: u16, data: some() });
const ccmWrapped = bytes(30, 300);
const lHashFor = (oaep: number) => bytesN({ 25: 20, 26: 32, 27: 48, 28: 64 }[oaep] as number);
const oaepAlg = oneOf(25, 26, 27, 28);
const hashSized = oneOf(20, 32, 48, 64).chain(bytesN);
const blocks = fc.integer({ min: 1, max: 8 }).chain((n) => bytesN(16 * n));
const point65 = bytesN(64).map((b) => Uint8Array.of(4, ...b));
const authKey = fc.oneof(
  rec({ algorithm: fc.constant(38), key: bytesN(32) }),
  rec({ algorithm: fc.constant(49), key: bytesN(64) }),
  rec({ algorithm: u8.filter((a) => a !== 38 && a !== 49), key: oneOf(32, 64).chain(bytesN) }),
);
const ascii = fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: 20 }).map((c) => String.fromCharCode(...c));
const logEntry = rec({
  number: u16, command: u8, length: u16, sessionKey: u16, targetKey: u16, secondKey: u16, result: u8, tick: u32, digest: bytesN(16),
});
const optionSetting = (fipsMax: number) =>
  fc.oneof(
    rec({ option: fc.constant(1), forceAudit: fc.integer({ min: 0, max: 2 }) }),
    rec({ option: fc.constant(3), commands: fc.array(rec({ command: u8, mode: fc.integer({ min: 0, max: 2 }) }), { maxLength: 10 }) }),
    rec({ option: fc.constant(4), algorithms: fc.array(rec({ algorithm: u8, enabled: fc.boolean() }), { maxLength: 10 }) }),
    rec({ option: fc.constant(5), fipsMode: fc.integer({ min: 0, max: fipsMax }) }),
  );
const rsaExport = oaepAlg.chain((oaepAlgorithm) =>
  rec({
    wrapKeyId: u16, type: u8, id: u16, aesAlgorithm: u8, oaepAlgorithm: fc.constant(oaepAlgorithm), mgf1Algorithm: u8, lHash: lHashFor(oaepAlgorithm),
  }),
);

export const arbitraries = {
  echo: { req: some(), res: bytes(0, 300) },
  createSession: {
    req: fc.oneof(
      rec({ kind: fc.constant('symmetric'), authKeyId: u16, hostChallenge: bytesN(8) }),
      rec({ kind: fc.constant('asymmetric'), authKeyId: u16, hostEphemeralPublicKey: point65 }),
    ),
    res: fc.oneof(
      rec({ kind: fc.constant('symmetric'), sessionId: u8, cardChallenge: bytesN(8), cardCryptogram: bytesN(8) }),
      rec({ kind: fc.constant('asymmetric'), sessionId: u8, deviceEphemeralPublicKey: point65, receipt: bytesN(16) }),
    ),
  },
  authenticateSession: { req: rec({ sessionId: u8, hostCryptogram: bytesN(8), mac: bytesN(8) }), res: none },
  getDeviceInfo: {
    req: rec({ page: oneOf(0, 1) }),
    res: fc.oneof(
      rec({
        page: fc.constant(0),
        version: rec({ major: fc.integer({ min: 0, max: 0x1f }), minor: u8, patch: u8 }),
        serial: u32, logTotal: u8, logUsed: u8, algorithms: fc.array(u8, { maxLength: 60 }),
      }),
      rec({ page: fc.constant(1), partNumber: ascii }),
    ),
  },
  resetDevice: { req: none, res: none },
  getDevicePublicKey: { req: none, res: rec({ algorithm: u8, publicKey: bytesN(64) }) },
  closeSession: { req: none, res: none },
  getStorageInfo: { req: none, res: rec({ totalRecords: u16, freeRecords: u16, totalPages: u16, freePages: u16, pageSize: u16 }) },
  putOpaque: { req: rec({ ...newObject, data: some() }), res: id },
  getOpaque: { req: u16, res: bytes(0, 300) },
  putAuthenticationKey: { req: fc.tuple(rec(newD), authKey).map(([o, k]) => ({ ...o, ...k })), res: id },
  putAsymmetricKey: { req: rec({ ...newObject, key: some() }), res: id },
  generateAsymmetricKey: { req: rec(newObject), res: id },
  signPkcs1: { req: keyAndData, res: some() },
  listObjects: {
    req: rec({ id: u16, type: u8, domains: u16, capabilities: u64, algorithm: u8, label: bytesN(40) }, { requiredKeys: [] }),
    res: fc.array(rec({ id: u16, type: u8, sequence: u8 }), { maxLength: 30 }),
  },
  decryptPkcs1: { req: keyAndData, res: bytes(0, 300) },
  exportWrapped: { req: rec({ wrapKeyId: u16, type: u8, id: u16, format: oneOf(0, 1) }, { requiredKeys: ['wrapKeyId', 'type', 'id'] }), res: ccmWrapped },
  importWrapped: { req: rec({ wrapKeyId: u16, wrapped: ccmWrapped }), res: rec({ type: u8, id: u16 }) },
  putWrapKey: { req: rec({ ...newD, key: some() }), res: id },
  getLogEntries: { req: none, res: rec({ unloggedBoots: u16, unloggedAuthentications: u16, entries: fc.array(logEntry, { maxLength: 8 }) }) },
  getObjectInfo: {
    req: rec({ id: u16, type: u8 }),
    res: rec({
      capabilities: u64, id: u16, length: u16, domains: u16, type: u8, algorithm: u8, sequence: u8, origin: u8, label: bytesN(40), delegatedCapabilities: u64,
    }),
  },
  setOption: { req: optionSetting(1), res: none },
  getOption: { req: oneOf(1, 3, 4, 5), res: bytes(0, 100) },
  getPseudoRandom: { req: u16, res: bytes(0, 300) },
  putHmacKey: { req: rec({ ...newObject, key: bytes(1, 128) }), res: id },
  signHmac: { req: keyAndData, res: hashSized },
  getPublicKey: { req: rec({ keyId: u16, type: u8 }, { requiredKeys: ['keyId'] }), res: rec({ algorithm: u8, publicKey: some() }) },
  signPss: { req: rec({ keyId: u16, mgf1Algorithm: u8, saltLength: u16, digest: hashSized }), res: some() },
  signEcdsa: { req: rec({ keyId: u16, digest: some() }), res: bytes(0, 150) },
  deriveEcdh: { req: keyAndData, res: some() },
  deleteObject: { req: rec({ id: u16, type: u8 }), res: none },
  decryptOaep: {
    req: rec({ keyId: u16, mgf1Algorithm: u8, ciphertext: oneOf(256, 384, 512).chain(bytesN), lHash: hashSized }),
    res: bytes(0, 300),
  },
  generateHmacKey: { req: rec(newObject), res: id },
  generateWrapKey: { req: rec(newD), res: id },
  verifyHmac: { req: rec({ keyId: u16, macAndData: bytes(21, 300) }), res: fc.boolean() },
  signSshCertificate: { req: rec({ keyId: u16, templateId: u16, algorithm: u8, request: some() }), res: some() },
  putTemplate: { req: rec({ ...newObject, data: some() }), res: id },
  getTemplate: { req: u16, res: bytes(0, 300) },
  decryptOtp: {
    req: rec({ keyId: u16, aead: bytesN(36), otp: bytesN(16) }),
    res: rec({ useCounter: u16, sessionCounter: u8, timestampHigh: u8, timestampLow: u16 }),
  },
  createOtpAead: { req: rec({ keyId: u16, key: bytesN(16), privateId: bytesN(6) }), res: bytesN(36) },
  randomizeOtpAead: { req: u16, res: bytesN(36) },
  rewrapOtpAead: { req: rec({ fromKeyId: u16, toKeyId: u16, aead: bytesN(36) }), res: bytesN(36) },
  signAttestationCertificate: { req: rec({ keyId: u16, attestingKeyId: u16 }), res: some() },
  putOtpAeadKey: { req: rec({ ...newObject, nonceId: u32, key: some() }), res: id },
  generateOtpAeadKey: { req: rec({ ...newObject, nonceId: u32 }), res: id },
  setLogIndex: { req: u16, res: none },
  wrapData: { req: keyAndData, res: ccmWrapped },
  unwrapData: { req: rec({ keyId: u16, wrapped: ccmWrapped }), res: bytes(0, 300) },
  signEddsa: { req: keyAndData, res: bytesN(64) },
  blinkDevice: { req: u8, res: none },
  changeAuthenticationKey: { req: fc.tuple(u16, authKey).map(([keyId, k]) => ({ keyId, ...k })), res: id },
  putSymmetricKey: { req: rec({ ...newObject, key: some() }), res: id },
  generateSymmetricKey: { req: rec(newObject), res: id },
  decryptAesEcb: { req: rec({ keyId: u16, data: blocks }), res: blocks },
  encryptAesEcb: { req: rec({ keyId: u16, data: blocks }), res: blocks },
  decryptAesCbc: { req: rec({ keyId: u16, iv: bytesN(16), data: blocks }), res: blocks },
  encryptAesCbc: { req: rec({ keyId: u16, iv: bytesN(16), data: blocks }), res: blocks },
  putPublicWrapKey: { req: rec({ ...newD, modulus: some() }), res: id },
  getRsaWrappedKey: { req: rsaExport, res: some() },
  putRsaWrappedKey: {
    req: oaepAlg.chain((oaepAlgorithm) =>
      rec({
        wrapKeyId: u16, type: u8, id: u16, label: bytesN(40), domains: u16, capabilities: u64, algorithm: u8,
        oaepAlgorithm: fc.constant(oaepAlgorithm), mgf1Algorithm: u8, blob: some(), lHash: lHashFor(oaepAlgorithm),
      }),
    ),
    res: rec({ type: u8, id: u16 }),
  },
  exportRsaWrapped: { req: rsaExport, res: some() },
  importRsaWrapped: {
    req: oaepAlg.chain((oaepAlgorithm) =>
      rec({ wrapKeyId: u16, oaepAlgorithm: fc.constant(oaepAlgorithm), mgf1Algorithm: u8, blob: some(), lHash: lHashFor(oaepAlgorithm) }),
    ),
    res: rec({ type: u8, id: u16 }),
  },
} satisfies Record<CommandKey, { req: Arb; res: Arb }>;

/** GetOption answers are typed with decodeOptionValue; its arbitrary reuses the SetOption settings (read-back range). */
export const optionReadBack = optionSetting(3).filter((s) => !('fipsMode' in s) || s.fipsMode !== 2);
