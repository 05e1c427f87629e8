/**
 * Fuzz property: decodeRequest (and decodeResponse) on random, truncated, extended or mutated payloads either
 * returns a value or throws a ProtocolError — never another exception type. This is what lets the software
 * device answer every malformed request with an error frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../src/errors.js';
import { commands, type CommandKey } from '../../src/protocol/commands/index.js';
import type { CommandDef } from '../../src/protocol/command.js';
import { arbitraries, bytes, u8 } from './arbitraries.js';

function returnsOrProtocolError(decode: (p: Uint8Array) => unknown, payload: Uint8Array): void {
  try {
    decode(payload);
  } catch (e) {
    assert.ok(e instanceof ProtocolError, `threw ${String(e)} for ${Buffer.from(payload).toString('hex')}`);
    assert.match(e.code, /^[A-Z][A-Z0-9_]*$/);
    assert.ok(e.deviceCode === 0x02 || e.deviceCode === 0x08, `device code ${e.deviceCode}`);
  }
}

/** A valid encoding, then cut short, extended, or with one byte changed. */
function damaged(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    valid.chain((b) => fc.nat({ max: b.length }).map((n) => b.subarray(0, n))),
    fc.tuple(valid, bytes(1, 80)).map(([b, extra]) => Uint8Array.from([...b, ...extra])),
    valid.chain((b) =>
      fc.tuple(fc.nat({ max: Math.max(0, b.length - 1) }), u8).map(([i, v]) => {
        const c = Uint8Array.from(b);
        if (c.length > 0) c[i] = v;
        return c;
      }),
    ),
  );
}

for (const key of Object.keys(commands) as CommandKey[]) {
  const def = commands[key] as CommandDef<unknown, unknown>;
  const { req, res } = arbitraries[key];
  const decodeReq = (p: Uint8Array) => def.decodeRequest(p);
  const decodeRes = (p: Uint8Array) => def.decodeResponse(p);

  test(`${key}: decodeRequest on random bytes returns or throws ProtocolError`, () => {
    fc.assert(fc.property(bytes(0, 700), (p) => returnsOrProtocolError(decodeReq, p)), { numRuns: 300 });
  });
  test(`${key}: decodeRequest on truncated, extended or mutated requests returns or throws ProtocolError`, () => {
    const valid = (req as fc.Arbitrary<unknown>).map((q) => def.encodeRequest(q));
    fc.assert(fc.property(damaged(valid), (p) => returnsOrProtocolError(decodeReq, p)), { numRuns: 300 });
  });
  test(`${key}: decodeResponse on random and damaged responses returns or throws ProtocolError`, () => {
    const valid = (res as fc.Arbitrary<unknown>).map((s) => def.encodeResponse(s));
    fc.assert(fc.property(fc.oneof(bytes(0, 700), damaged(valid)), (p) => returnsOrProtocolError(decodeRes, p)), { numRuns: 300 });
  });
}

test('a truncated fixed-layout request is rejected, not misread', () => {
  // GetObjectInfo needs exactly 3 bytes: every shorter prefix must throw.
  const full = commands.getObjectInfo.encodeRequest({ id: 0x0102, type: 3 });
  for (let n = 0; n < full.length; n++) {
    assert.throws(() => commands.getObjectInfo.decodeRequest(full.subarray(0, n)), ProtocolError);
  }
});
