/**
 * 100,000 random and mutated frames, plain and inside sessions, thrown at the software device (seeded, so a
 * failure reproduces): no exception, no hang, every answer a well-formed frame, garbage answered with error
 * frames, no internal error, and the device still works afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_DEFINED_CAPABILITIES, capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { SecureChannel } from '../../src/session/index.js';
import { SoftwareYubiHsm } from '../../src/simulator/device.js';
import { keysFor, TestSession, unhex } from './helpers.js';

/** xorshift32: a small seeded generator (the seed is printed on failure). */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    int: (n: number) => next() % n,
    bytes: (n: number) => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = next() & 0xff;
      return b;
    },
    pick<T>(a: readonly T[]): T {
      return a[next() % a.length];
    },
  };
}

function wellFormed(frame: Uint8Array): boolean {
  return frame.length >= 3 && frame.length <= 3136 && ((frame[1] << 8) | frame[2]) === frame.length - 3;
}
const isError = (f: Uint8Array) => f.length === 4 && f[0] === 0x7f && f[1] === 0 && f[2] === 1;

/** A changed copy of `frame` (never equal to it). */
function mutate(r: ReturnType<typeof rng>, frame: Uint8Array): Uint8Array {
  const m = mutateOnce(r, frame);
  if (m.length === frame.length && m.every((b, i) => b === frame[i])) m[r.int(m.length)] ^= 0x01;
  return m;
}

function mutateOnce(r: ReturnType<typeof rng>, frame: Uint8Array): Uint8Array {
  const f = frame.slice();
  switch (r.int(6)) {
    case 0: { // flip 1-3 bits
      for (let i = 0, n = 1 + r.int(3); i < n; i++) f[r.int(f.length)] ^= 1 << r.int(8);
      return f;
    }
    case 1: return f.slice(0, r.int(f.length));
    case 2: return new Uint8Array([...f, ...r.bytes(1 + r.int(40))]);
    case 3: { f[1] = r.int(256); f[2] = r.int(256); return f; }
    case 4: { f[r.int(f.length)] = r.int(256); return f; }
    default: { f[0] = r.int(256); return f; }
  }
}

const SHA256_EMPTY = unhex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

/** Valid inner command frames to mutate (payloads the protocol codecs build). */
function innerCorpus(): Uint8Array[] {
  const f = <Q, R>(def: { code: number; encodeRequest(q: Q): Uint8Array } & Partial<R>, q: Q) => encodeFrame(def.code, def.encodeRequest(q));
  return [
    f(commands.echo, unhex('0102030405')),
    f(commands.getDeviceInfo, { page: 0 }),
    f(commands.listObjects, { type: 3 }),
    f(commands.getObjectInfo, { id: 0x10, type: 3 }),
    f(commands.getPublicKey, { keyId: 0x10 }),
    f(commands.signEcdsa, { keyId: 0x10, digest: SHA256_EMPTY }),
    f(commands.signEddsa, { keyId: 0x11, data: unhex('68656c6c6f') }),
    f(commands.generateAsymmetricKey, { id: 0x20, label: 'fuzz', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 }),
    f(commands.putAsymmetricKey, { id: 0x21, label: 'fuzz', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12, key: SHA256_EMPTY }),
    f(commands.putOpaque, { id: 0x22, label: 'o', domains: 1, capabilities: 0n, algorithm: 30, data: unhex('00112233') }),
    f(commands.getOpaque, 0x22),
    f(commands.deleteObject, { id: 0x20, type: 3 }),
    f(commands.getPseudoRandom, 32),
    f(commands.getStorageInfo, undefined),
    f(commands.getOption, 0x03),
    f(commands.getLogEntries, undefined),
    f(commands.getRsaWrappedKey, { wrapKeyId: 0x30, type: 3, id: 0x10, aesAlgorithm: 52, oaepAlgorithm: 26, mgf1Algorithm: 33, lHash: SHA256_EMPTY }),
    f(commands.putRsaWrappedKey, {
      wrapKeyId: 0x31, type: 3, id: 0x23, label: 'x', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12,
      oaepAlgorithm: 26, mgf1Algorithm: 33, blob: new Uint8Array(300).fill(5), lHash: SHA256_EMPTY,
    }),
    f(commands.deriveEcdh, { keyId: 0x10, data: new Uint8Array(65).fill(4) }),
    f(commands.blinkDevice, 2),
    f(commands.setOption, { option: 0x01, forceAudit: 1 }),
    f(commands.putSymmetricKey, { id: 0x40, label: 's', domains: 1, capabilities: caps('encrypt-cbc'), algorithm: 50, key: new Uint8Array(16).fill(1) }),
    f(commands.encryptAesCbc, { keyId: 0x40, iv: new Uint8Array(16), data: new Uint8Array(32) }),
    f(commands.putHmacKey, { id: 0x41, label: 'h', domains: 1, capabilities: caps('sign-hmac'), algorithm: 20, key: new Uint8Array(20).fill(2) }),
    f(commands.signHmac, { keyId: 0x41, data: unhex('00') }),
    f(commands.putOtpAeadKey, { id: 0x42, label: 'o', domains: 1, capabilities: caps('decrypt-otp'), algorithm: 37, nonceId: 1, key: new Uint8Array(16) }),
    f(commands.decryptOtp, { keyId: 0x42, aead: new Uint8Array(36), otp: new Uint8Array(16) }),
    f(commands.putWrapKey, { id: 0x43, label: 'w', domains: 1, capabilities: caps('export-wrapped', 'import-wrapped'), algorithm: 29, delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap'), key: new Uint8Array(16).fill(3) }),
    f(commands.exportWrapped, { wrapKeyId: 0x43, type: 3, id: 0x10 }),
    f(commands.importWrapped, { wrapKeyId: 0x43, wrapped: new Uint8Array(100).fill(4) }),
    f(commands.signAttestationCertificate, { keyId: 0x10, attestingKeyId: 0 }),
    f(commands.putPublicWrapKey, { id: 0x30, label: 'p', domains: 1, capabilities: caps('export-wrapped'), algorithm: 9, delegatedCapabilities: caps('sign-ecdsa', 'exportable-under-wrap'), modulus: new Uint8Array(256).fill(0xc3) }),
  ];
}

const SESSION_CODES = [0x01, 0x06, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e,
  0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63,
  0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
  0x02, 0x03, 0x07, 0x09, 0x7f, 0x80, 0xff];

test('100,000 random and mutated frames: every answer is a well-formed frame, garbage gets error frames', { timeout: 600_000 }, async () => {
  const seed = Number(process.env.FUZZ_SEED ?? 0x5eed2024);
  const r = rng(seed);
  let now = 1_700_000_000_000;
  const internal: string[] = [];
  const device = new SoftwareYubiHsm({
    serial: 1, now: () => now, onInternalError: (e, where) => internal.push(`${where}: ${(e as Error)?.stack ?? e}`),
  });
  const send = (f: Uint8Array) => device.handle(f);
  const open = async (authKeyId = 2): Promise<TestSession> => {
    // Random CreateSession frames occupy slots; when all 16 are taken, let 30 s pass so idle ones expire.
    if (device.sessionCount >= 16) now += 31_000;
    const ch = SecureChannel.hostSymmetric({ authKeyId, keys: keysFor(authKeyId === 1 ? 'password' : 'fuzz') });
    await ch.handshake(send);
    return new TestSession(device, ch);
  };
  // Keep the run fast: RSA generation is switched off on this fresh device (ALGORITHM_DISABLED answers instead).
  let s = await open(1);
  await s.send(commands.setOption, { option: 0x04, algorithms: [9, 10, 11].map((a) => ({ algorithm: a, enabled: false })) });
  // The fuzzing sessions use key 2: every capability except those that would end the run (reset, options, auth keys).
  const fuzzKey = keysFor('fuzz');
  const withheld = caps('reset-device', 'set-option', 'put-authentication-key', 'delete-authentication-key', 'change-authentication-key');
  await s.send(commands.putAuthenticationKey, {
    id: 2, label: 'fuzz', domains: 0xffff, capabilities: ALL_DEFINED_CAPABILITIES & ~withheld, algorithm: 38,
    delegatedCapabilities: ALL_DEFINED_CAPABILITIES, key: new Uint8Array([...fuzzKey.encKey, ...fuzzKey.macKey]),
  });
  await s.send(commands.generateAsymmetricKey, { id: 0x10, label: 'p256', domains: 1, capabilities: caps('sign-ecdsa', 'derive-ecdh', 'exportable-under-wrap'), algorithm: 12 });
  await s.send(commands.generateAsymmetricKey, { id: 0x11, label: 'ed', domains: 1, capabilities: caps('sign-eddsa'), algorithm: 46 });
  const plainCorpus = [
    unhex('0100050102030405'), unhex('060000'), unhex('06000101'), unhex('0a0000'),
    unhex('03000a00010001020304050607'), unhex('04001100' + '11'.repeat(16)), unhex('05001900' + '22'.repeat(24)),
  ];
  const corpus = innerCorpus();
  const counts = { plainRandom: 0, plainMutated: 0, innerRandom: 0, innerMutated: 0, outerMutated: 0, errors: 0 };
  const TOTAL = 100_000;
  const check = (req: Uint8Array, answer: Uint8Array, expectError: boolean) => {
    assert.ok(answer instanceof Uint8Array && wellFormed(answer), `malformed answer to ${Buffer.from(req.subarray(0, 64)).toString('hex')} (seed ${seed})`);
    if (expectError) assert.ok(isError(answer), `garbage ${Buffer.from(req.subarray(0, 64)).toString('hex')} got ${Buffer.from(answer.subarray(0, 16)).toString('hex')} (seed ${seed})`);
    if (isError(answer)) counts.errors++;
  };
  for (let i = 0; i < TOTAL; i++) {
    if (i % 5000 === 4999) now += 31_000; // let half-open sessions from random CreateSession frames expire
    const kind = r.int(10);
    if (kind < 2) {
      // Random bytes; the length field matches only by chance.
      const req = r.bytes(r.int(r.int(8) === 0 ? 3300 : 80));
      const framed = req.length >= 3 && ((req[1] << 8) | req[2]) === req.length - 3;
      const known = [0x01, 0x03, 0x04, 0x05, 0x06, 0x0a].includes(req[0]);
      check(req, await send(req), !(framed && known));
      counts.plainRandom++;
    } else if (kind < 4) {
      const req = mutate(r, r.pick(plainCorpus));
      const answer = await send(req);
      check(req, answer, false);
      counts.plainMutated++;
    } else {
      if (!s.channel.isOpen) s = await open();
      if (kind < 9) {
        // A correctly wrapped inner frame: random code and payload, or a mutated valid request.
        let inner: Uint8Array;
        if (kind < 6) {
          inner = encodeFrame(r.pick(SESSION_CODES), r.bytes(r.int(r.int(10) === 0 ? 600 : 70)));
          counts.innerRandom++;
        } else {
          const m = mutate(r, r.pick(corpus));
          const payload = m.length >= 3 ? m.subarray(3) : m;
          inner = encodeFrame(m[0] ?? 0x01, payload.subarray(0, 3000));
          counts.innerMutated++;
        }
        if (inner[0] === 0x08 || inner[0] === 0x6c) inner[0] = 0x6b; // never reset the device or change its auth key here
        const req = s.channel.wrapCommand(inner);
        const answer = await send(req);
        check(req, answer, false);
        if (answer[0] === 0x85) {
          const innerAnswer = s.channel.unwrapResponse(answer);
          assert.ok(wellFormed(innerAnswer), `malformed inner answer (seed ${seed})`);
          if (isError(innerAnswer)) counts.errors++;
          else assert.equal(innerAnswer[0], inner[0] | 0x80, `inner answer code (seed ${seed})`);
        } else {
          assert.ok(isError(answer), `session answer neither 0x85 nor an error (seed ${seed})`);
          s.channel.close();
        }
      } else {
        // A wrapped frame damaged after wrapping: the session is dropped with a plain error.
        const req = mutate(r, s.channel.wrapCommand(r.pick(corpus)));
        const answer = await send(req);
        // Still a SessionMessage: it must fail. (A mutation may also have made it another plain command.)
        const framed = req.length >= 3 && ((req[1] << 8) | req[2]) === req.length - 3;
        check(req, answer, req[0] === 0x05 || !framed || ![0x01, 0x03, 0x04, 0x06, 0x0a].includes(req[0]));
        s.channel.close();
        counts.outerMutated++;
      }
    }
  }
  assert.deepEqual(internal, [], 'no internal error');
  assert.equal(device.internalErrors, 0);
  const sum = counts.plainRandom + counts.plainMutated + counts.innerRandom + counts.innerMutated + counts.outerMutated;
  assert.equal(sum, TOTAL);
  // The device still works: a new session, a new key, a signature.
  now += 31_000;
  const after = await open();
  assert.deepEqual(await after.send(commands.echo, unhex('0102')), unhex('0102'));
  const id = await after.send(commands.generateAsymmetricKey, { id: 0, label: 'after', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 });
  const sig = await after.send(commands.signEcdsa, { keyId: id, digest: SHA256_EMPTY });
  assert.equal(sig[0], 0x30);
  console.log(`fuzz seed ${seed}: ${JSON.stringify(counts)}`);
});
