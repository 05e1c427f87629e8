import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { logEntryDigest, sealLogEntry, verifyLogChain } from '../../src/crypto/log-chain.js';
import { UsageError } from '../../src/errors.js';
import { h, u, vectors } from '../session/helpers.js';

const v = vectors.log_chain;

test('the digest is SHA-256(entry[0:16] ‖ previous digest)[0:16] (vectors log_chain)', () => {
  const prev = u(v.entry_prev);
  assert.equal(h(logEntryDigest(u(v.entry_data_without_digest), prev.subarray(16))), v.expected_digest);
  assert.equal(h(sealLogEntry(u(v.entry_data_without_digest), prev.subarray(16))), v.entry);
  // The recorded SHA-256 input is entry[0:16] ‖ previous digest; node's SHA-256 of it gives the digest.
  assert.equal(v.sha256_input, v.entry_data_without_digest + v.entry_prev.slice(32));
  assert.equal(createHash('sha256').update(u(v.sha256_input)).digest('hex').slice(0, 32), v.expected_digest);
});

test('verifyLogChain accepts the python-yubihsm entries, anchored or not', () => {
  assert.deepEqual(verifyLogChain([u(v.entry)], u(v.entry_prev)), { ok: true, verified: 1 });
  assert.deepEqual(verifyLogChain([u(v.entry_prev), u(v.entry)]), { ok: true, verified: 1 });
  assert.deepEqual(verifyLogChain([]), { ok: true, verified: 0 });
});

test('a longer sealed chain verifies, including the wrap from 65535 to 0', () => {
  let prev = u('fffe' + '00'.repeat(14) + '11'.repeat(16));
  const entries: Uint8Array[] = [];
  for (let n = 0xffff, i = 0; i < 4; i++, n = (n + 1) & 0xffff) {
    const data = new Uint8Array(16);
    data[0] = n >>> 8;
    data[1] = n & 0xff;
    data[2] = 0x56;
    prev = sealLogEntry(data, prev.subarray(16));
    entries.push(prev);
  }
  assert.deepEqual(verifyLogChain(entries, u('fffe' + '00'.repeat(14) + '11'.repeat(16))), { ok: true, verified: 4 });
});

test('a changed entry, a changed digest and a missing entry are reported with their index', () => {
  const tampered = u(v.entry);
  tampered[11] = 0x7f; // result byte
  const r1 = verifyLogChain([tampered], u(v.entry_prev));
  assert.equal(r1.ok, false);
  assert.deepEqual(r1, {
    ok: false, index: 0, code: 'LOG_DIGEST_MISMATCH',
    message: 'Log entry 3 does not chain to the entry before it; the audit log was altered or read from another device.',
  });
  const badDigest = u(v.entry);
  badDigest[31] ^= 1;
  assert.equal((verifyLogChain([u(v.entry_prev), badDigest]) as { code: string }).code, 'LOG_DIGEST_MISMATCH');
  const gap = u(v.entry);
  gap[1] = 4;
  assert.deepEqual(verifyLogChain([gap], u(v.entry_prev)), {
    ok: false, index: 0, code: 'LOG_NUMBER_GAP',
    message: 'Log entry 0 has number 4 but 3 was expected; entries are missing, so the chain cannot be verified from here.',
  });
  assert.equal((verifyLogChain([u(v.entry).subarray(0, 31)], u(v.entry_prev)) as { code: string }).code, 'BAD_LOG_ENTRY');
});

test('wrong input sizes to the digest function are UsageErrors', () => {
  assert.throws(() => logEntryDigest(new Uint8Array(15), new Uint8Array(16)), (e: unknown) =>
    e instanceof UsageError && e.code === 'BAD_LOG_ENTRY' && e.message === 'Log entry data must be 16 bytes, got 15.');
});
