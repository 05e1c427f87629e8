/**
 * verifyTranscriptText on a real transcript (an embedded ceremony run in-process), then with each field tampered:
 * every check must notice its own field. Audit-log entries are built here independently (SHA-256 with node:crypto,
 * the layout of PROTOCOL.md 5.7); the chain-link check uses the simulator's fixed test root and intermediate.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/ceremony/config.js';
import { runCeremony } from '../../src/ceremony/runner.js';
import { describeLogEntry } from '../../src/ceremony/transcript.js';
import { verifyTranscriptText, type TranscriptVerification } from '../../src/ceremony/verify-transcript.js';
import { decodeLogEntry } from '../../src/protocol/log-entry.js';
import { TEST_ATTESTATION_INTERMEDIATE_PEM, TEST_ATTESTATION_ROOT_PEM } from '../../src/simulator/attestation.js';
import { hsm2kms } from '../cli/steps-helpers.js';

let dir: string;
let outDir: string;
let original: Record<string, any>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hsm2kms-transcript-'));
  outDir = join(dir, 'out');
  const config = { ...defaultConfig(), outDir, workDir: join(dir, 'work') };
  await runCeremony({ config, password: new TextEncoder().encode('password'), env: { HSM2KMS_CACHE_DIR: join(dir, 'cache') } });
  original = JSON.parse(readFileSync(join(outDir, 'transcript.json'), 'utf8'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

function verify(mutate: (t: Record<string, any>) => void = () => {}): TranscriptVerification {
  const t = structuredClone(original);
  mutate(t);
  return verifyTranscriptText(JSON.stringify(t), { dir: outDir });
}

function status(r: TranscriptVerification, name: string): string {
  const c = r.checks.find((x) => x.name === name);
  assert.ok(c, `check ${name} in ${r.checks.map((x) => x.name).join(', ')}`);
  return c.status;
}

function fails(r: TranscriptVerification, name: string, detail?: RegExp): void {
  assert.equal(r.ok, false);
  assert.equal(status(r, name), 'fail', JSON.stringify(r.checks.find((x) => x.name === name)));
  if (detail) assert.match(r.checks.find((x) => x.name === name)!.detail, detail);
}

const sha256hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const flipBase64 = (text: string) => {
  const b = Buffer.from(text, 'base64');
  b[b.length - 5] ^= 0x01;
  return b.toString('base64');
};

test('the untouched transcript passes every check (skips only what the run did not record)', () => {
  const r = verify();
  assert.equal(r.ok, true, JSON.stringify(r.checks.filter((c) => c.status === 'fail')));
  for (const name of ['format', 'public-key', 'attestation-certificate', 'attestation-signature', 'kms-public-key', 'kms-signature', 'steps', 'verification', 'file key0x100.pub', 'file message-aws.txt', 'file message-aws.signature', 'file key0x100-wrapped-aws.bin']) {
    assert.equal(status(r, name), 'ok', name);
  }
  // The embedded device chains to the simulator's test CA and audits every command.
  assert.equal(status(r, 'attestation-chain'), 'ok');
  assert.equal(status(r, 'audit-log'), 'ok');
  assert.match(r.checks.find((c) => c.name === 'public-key')!.detail, new RegExp(sha256hex(Buffer.from(original.hsm.publicKey.spkiBase64, 'base64'))));
});

test('format and version', () => {
  fails(verify((t) => (t.format = 'hsm2kms-journal')), 'format', /not an hsm2kms-transcript/);
  fails(verify((t) => (t.version = 2)), 'format', /version 2; this hsm2kms reads version 1/);
  const notJson = verifyTranscriptText('{"format": ', {});
  assert.deepEqual(notJson, { ok: false, simulated: false, checks: [{ name: 'format', status: 'fail', detail: 'not JSON' }] });
});

test('the public key against its hash, and a consistently swapped key caught by the other checks', () => {
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' });
  fails(verify((t) => (t.hsm.publicKey.spkiBase64 = other.toString('base64'))), 'public-key', /does not match its SHA-256/);
  fails(verify((t) => (t.hsm.publicKey.sha256 = '00'.repeat(32))), 'public-key');
  const swapped = verify((t) => {
    t.hsm.publicKey = { spkiBase64: other.toString('base64'), sha256: sha256hex(other) };
    t.hsm.attestation.publicKeySha256 = sha256hex(other);
  });
  assert.equal(status(swapped, 'public-key'), 'ok');
  fails(swapped, 'attestation-certificate', /another public key/);
  fails(swapped, 'kms-public-key');
  fails(swapped, 'kms-signature', /does not verify/);
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'der', type: 'spki' });
  fails(verify((t) => (t.hsm.publicKey = { spkiBase64: p384.toString('base64'), sha256: sha256hex(p384) })), 'public-key', /not a ECC_NIST_P256 key/);
});

test('the attestation certificate, its signature and the chain links', () => {
  const device = original.hsm.attestation.chainPem[0];
  fails(verify((t) => (t.hsm.attestation.certificatePem = device)), 'attestation-certificate', /another public key/);
  fails(verify((t) => (t.hsm.attestation.publicKeySha256 = '11'.repeat(32))), 'attestation-certificate');
  fails(verify((t) => (t.hsm.key.id = '0x0102')), 'attestation-certificate', /attests object 0x0100, not the key 0x0102/);
  fails(verify((t) => (t.hsm.attestation.chainPem = [TEST_ATTESTATION_INTERMEDIATE_PEM])), 'attestation-signature', /not signed by the device attestation certificate/);
  fails(verify((t) => (t.hsm.attestation.certificatePem = 'garbage')), 'attestation-certificate', /PEM/);
  const linked = verify((t) => (t.hsm.attestation.chainPem = [device, TEST_ATTESTATION_INTERMEDIATE_PEM, TEST_ATTESTATION_ROOT_PEM]));
  assert.equal(linked.ok, true);
  assert.equal(status(linked, 'attestation-chain'), 'ok');
  fails(verify((t) => (t.hsm.attestation.chainPem = [device, TEST_ATTESTATION_ROOT_PEM, TEST_ATTESTATION_INTERMEDIATE_PEM])), 'attestation-chain', /chain\[0\] is not signed by chain\[1\]/);
  const noChain = verify((t) => (t.hsm.attestation.chainPem = []));
  assert.equal(noChain.ok, true);
  assert.equal(status(noChain, 'attestation-signature'), 'skip');
});

test('the KMS public key hash and the KMS signature over the message', () => {
  fails(verify((t) => (t.kms.publicKeySha256 = '22'.repeat(32))), 'kms-public-key', /is not the HSM's/);
  fails(verify((t) => (t.verification.checks.publicKeySha256 = '33'.repeat(32))), 'kms-public-key');
  fails(verify((t) => (t.verification.kmsSignatureBase64 = flipBase64(t.verification.kmsSignatureBase64))), 'kms-signature', /does not verify/);
  fails(verify((t) => (t.verification.messageBase64 = Buffer.from('Message signed by AWS KMS!\n').toString('base64'))), 'kms-signature', /does not verify/);
  fails(verify((t) => (t.verification.signingAlgorithm = 'ECDSA_SHA_384')), 'kms-signature', /not the one of ECC_NIST_P256/);
  fails(verify((t) => delete t.verification.kmsSignatureBase64), 'kms-signature', /missing or not base64/);
});

/** Three audit entries chained from a random seed, built from PROTOCOL.md 5.7 without the code under test. */
function auditEntries(): string[] {
  let prev = Buffer.alloc(16, 0x5a);
  const raws: string[] = [];
  for (const [n, cmd, target] of [[41, 0x46, 0x100], [42, 0x4a, 0x100], [43, 0x58, 0x101]] as const) {
    const data = Buffer.alloc(16);
    data.writeUInt16BE(n, 0);
    data.writeUInt8(cmd, 2);
    data.writeUInt16BE(10, 3);
    data.writeUInt16BE(1, 5);
    data.writeUInt16BE(target, 7);
    data.writeUInt16BE(0xffff, 9);
    data.writeUInt8(cmd | 0x80, 11);
    data.writeUInt32BE(1000 + n, 12);
    const digest = createHash('sha256').update(data).update(prev).digest().subarray(0, 16);
    raws.push(Buffer.concat([data, digest]).toString('hex'));
    prev = Buffer.from(digest);
  }
  return raws;
}

test('the audit log: raw bytes against the fields, and the hash chain', () => {
  const raws = auditEntries();
  const entries = raws.map((r) => describeLogEntry(decodeLogEntry(Buffer.from(r, 'hex'))));
  const withLog = (change: (e: any[]) => void = () => {}) => verify((t) => {
    t.auditLog = { entries: structuredClone(entries), chainVerified: true, note: '' };
    change(t.auditLog.entries);
  });
  const good = withLog();
  assert.equal(good.ok, true);
  assert.match(good.checks.find((c) => c.name === 'audit-log')!.detail, /^3 entries \(numbers 41…43\), each chained to the one before$/);
  fails(withLog((e) => (e[1].raw = e[1].raw.slice(0, 22) + (e[1].raw[22] === '0' ? '1' : '0') + e[1].raw.slice(23))), 'audit-log', /number 42|does not chain/);
  fails(withLog((e) => (e[2].raw = e[2].raw.slice(0, 40) + 'ff' + e[2].raw.slice(42))), 'audit-log', /does not chain to the entry before it/);
  fails(withLog((e) => (e[1].targetKey = '0x0200')), 'audit-log', /entry 1 \(number 42\): targetKey "0x0200" is not what its raw bytes say \("0x0100"\)/);
  fails(withLog((e) => e.splice(1, 1)), 'audit-log', /number 43 but 42 was expected/);
  fails(withLog((e) => (e[0].raw = 'abcd')), 'audit-log', /not 32 bytes/);
  fails(verify((t) => (t.auditLog = { entries, chainVerified: false, note: '' })), 'audit-log', /not record the chain as verified/);
  assert.equal(status(verify((t) => delete t.auditLog), 'audit-log'), 'skip');
});

test('output files next to the transcript, steps and recorded checks', () => {
  const msg = join(outDir, 'message-aws.txt');
  const saved = readFileSync(msg);
  try {
    writeFileSync(msg, 'Message signed by AWS KMS?\n');
    fails(verify(), 'file message-aws.txt', /SHA-256 is [0-9a-f]{64}, the transcript recorded [0-9a-f]{64}/);
    unlinkSync(msg);
    const absent = verify();
    assert.equal(absent.ok, true);
    assert.equal(status(absent, 'file message-aws.txt'), 'skip');
  } finally {
    writeFileSync(msg, saved);
  }
  fails(verify((t) => (t.files['key0x100.pub'] = '44'.repeat(32))), 'file key0x100.pub');
  fails(verify((t) => (t.files['../etc/passwd'] = '44'.repeat(32))), 'file ../etc/passwd', /not a plain file name/);
  fails(verify((t) => (t.steps[8].status = 'failed')), 'steps', /step kms-import is "failed", not done/);
  fails(verify((t) => t.steps.splice(10, 1)), 'steps', /step cleanup is missing/);
  fails(verify((t) => (t.verification.checks.hsmSignatureVerifiedByKms = false)), 'verification', /recorded hsmSignatureVerifiedByKms as false/);
  fails(verify((t) => delete t.verification.checks.kmsSignatureVerifiedWithHsmPublicKey), 'verification', /kmsSignatureVerifiedWithHsmPublicKey is not recorded as true/);
});

test('hsm2kms transcript verify: prints each check, exits 0, 3 when a check fails, 2 when unreadable', { timeout: 30_000 }, async () => {
  const good = await hsm2kms(['transcript', 'verify', join(outDir, 'transcript.json')], { cwd: dir });
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /^ok    format +hsm2kms-transcript version 1, ceremony [0-9a-f-]{36}$/m);
  assert.match(good.stdout, /^ok    kms-signature +KMS's ECDSA_SHA_256 signature over the 26-byte message verifies with the HSM public key$/m);
  assert.match(good.stdout, /^ok    attestation-chain /m);
  assert.match(good.stdout, /^Transcript verified: \d+ checks passed, \d+ skipped\. It records a SIMULATED ceremony \(a rehearsal on a software YubiHSM 2 or a local KMS\), not a real import\.$/m);
  const t = structuredClone(original);
  t.verification.kmsSignatureBase64 = flipBase64(t.verification.kmsSignatureBase64);
  writeFileSync(join(outDir, 'tampered.json'), JSON.stringify(t));
  const bad = await hsm2kms(['transcript', 'verify', join(outDir, 'tampered.json'), '--json'], { cwd: dir });
  assert.equal(bad.code, 3);
  const json = JSON.parse(bad.stdout);
  assert.equal(json.ok, false);
  assert.deepEqual(json.checks.filter((c: { status: string }) => c.status === 'fail').map((c: { name: string }) => c.name), ['kms-signature']);
  const missing = await hsm2kms(['transcript', 'verify', join(dir, 'nope.json')], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^hsm2kms transcript verify: Cannot read transcript .*nope\.json \(ENOENT\); check the path\. \[TRANSCRIPT_UNREADABLE\]\n$/);
});

for (const [keySpec, usage] of [['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'], ['RSA_2048', 'ENCRYPT_DECRYPT']] as const) {
  test(`a ${keySpec} ${usage} transcript passes, with what does not apply skipped`, { timeout: 60_000 }, async () => {
    const sub = mkdtempSync(join(tmpdir(), 'hsm2kms-transcript-'));
    try {
      const base = defaultConfig();
      const config = { ...base, key: { ...base.key, keySpec, usage }, outDir: join(sub, 'out'), workDir: join(sub, 'work') };
      await runCeremony({ config, password: new TextEncoder().encode('password'), env: { HSM2KMS_CACHE_DIR: join(dir, 'cache') } });
      const r = verifyTranscriptText(readFileSync(join(sub, 'out', 'transcript.json'), 'utf8'), { dir: join(sub, 'out') });
      assert.equal(r.ok, true, JSON.stringify(r.checks.filter((c) => c.status === 'fail')));
      assert.equal(status(r, 'kms-signature'), 'skip');
      assert.equal(status(r, 'verification'), 'ok');
      for (const name of ['public-key', 'attestation-certificate', 'kms-public-key']) assert.equal(status(r, name), keySpec === 'SYMMETRIC_DEFAULT' ? 'skip' : 'ok', name);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });
}
