/** Host/device pairs on random traffic: whatever the host wraps, the device unwraps, and back (fast-check). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Hsm2KmsError } from '../../src/errors.js';
import { maxInnerLength, sessionFrameLength } from '../../src/session/index.js';
import { h, openPair } from './helpers.js';

function frame(code: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(3 + payload.length);
  f[0] = code;
  f[1] = payload.length >>> 8;
  f[2] = payload.length & 0xff;
  f.set(payload, 3);
  return f;
}

/** Payload lengths around the padding edges (inner 15/16/17 and 31/32/33 bytes) plus anything up to 3116. */
const payloadLength = fc.oneof(fc.constantFrom(0, 12, 13, 14, 28, 29, 30, 3116), fc.integer({ min: 0, max: 3116 }));
const innerFrame = fc
  .tuple(fc.integer({ min: 0x01, max: 0x7e }).filter((c) => c !== 0x40), payloadLength, fc.integer({ min: 0, max: 255 }))
  .map(([code, n, seed]) => frame(code, Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)));

test('random inner frames round-trip host → device → host, chains and counters stay in step', () => {
  for (const kind of ['symmetric', 'asymmetric'] as const) {
    fc.assert(
      fc.property(fc.array(fc.tuple(innerFrame, innerFrame), { minLength: 1, maxLength: 6 }), (exchanges) => {
        const { host, device } = openPair(kind);
        let n = 1n;
        for (const [cmd, resp] of exchanges) {
          const wire = host.wrapCommand(cmd);
          assert.equal(wire.length, sessionFrameLength(cmd.length));
          assert.equal(h(device.unwrapCommand(wire)), h(cmd));
          assert.equal(h(device.macChain!), h(host.macChain!));
          const back = device.wrapResponse(resp);
          assert.equal(back.length, sessionFrameLength(resp.length));
          assert.equal(h(host.unwrapResponse(back)), h(resp));
          n += 1n;
          assert.equal(host.counter, n);
          assert.equal(device.counter, n);
        }
      }),
      { numRuns: kind === 'symmetric' ? 60 : 15 },
    );
  }
});

test('any single-bit change of a request or a response is refused with a typed error', () => {
  fc.assert(
    fc.property(innerFrame, fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean(), (cmd, at, bit, inResponse) => {
      const { host, device } = openPair();
      const wire = host.wrapCommand(cmd);
      if (!inResponse) {
        const bad = wire.slice();
        bad[at % bad.length] ^= 1 << bit;
        assert.throws(() => device.unwrapCommand(bad), (e: unknown) => e instanceof Hsm2KmsError);
        return;
      }
      device.unwrapCommand(wire);
      const resp = device.wrapResponse(frame(0x81, Uint8Array.of(1, 2, 3)));
      const bad = resp.slice();
      bad[at % bad.length] ^= 1 << bit;
      assert.throws(() => host.unwrapResponse(bad), (e: unknown) => e instanceof Hsm2KmsError);
      assert.equal(host.state, 'failed');
    }),
    { numRuns: 150 },
  );
});

test('frame-size helpers: 16-byte inner pads to 32; fw 2.4 limit leaves 3119 inner bytes', () => {
  assert.equal(sessionFrameLength(15), 3 + 1 + 16 + 8);
  assert.equal(sessionFrameLength(16), 3 + 1 + 32 + 8);
  assert.equal(sessionFrameLength(17), 3 + 1 + 32 + 8);
  assert.equal(maxInnerLength(3135), 3119);
  assert.equal(maxInnerLength(3136), 3119);
  assert.equal(maxInnerLength(2047), 2031);
  assert.ok(sessionFrameLength(3119) <= 3135 && sessionFrameLength(3120) > 3136);
});
