import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrame, encodeFrame, errorFrame, errorCodeOf } from '../../src/protocol/frame.js';
import { ProtocolError } from '../../src/errors.js';

test('encodeFrame writes code, big-endian length and payload', () => {
  assert.deepEqual(Buffer.from(encodeFrame(0x01, Uint8Array.of(0xaa, 0xbb))).toString('hex'), '010002aabb');
});

test('decodeFrame rejects a length field that does not match the bytes', () => {
  assert.throws(() => decodeFrame(Uint8Array.of(0x01, 0x00, 0x03, 0xaa)), (e: unknown) => {
    return e instanceof ProtocolError && e.code === 'FRAME_LENGTH_MISMATCH' && e.deviceCode === 0x08;
  });
  assert.throws(() => decodeFrame(Uint8Array.of(0x01, 0x00)), { code: 'SHORT_FRAME' });
});

test('error frames are 7F 00 01 <code>', () => {
  assert.equal(Buffer.from(errorFrame(0x0b)).toString('hex'), '7f00010b');
  assert.equal(errorCodeOf(decodeFrame(Buffer.from('7f000109', 'hex'))), 0x09);
  assert.equal(errorCodeOf(decodeFrame(Buffer.from('810001aa', 'hex'))), undefined);
});
