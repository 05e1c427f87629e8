/**
 * The air-gapped split end to end as separate processes: `prepare` and `complete` with the online work dir (the
 * embedded local KMS), `wrap` with another work dir (the embedded software HSM, audit log forced on), so the two
 * "machines" share nothing but the files carried between them. Checked with tools we did not write: the bundles'
 * part hashes with node:crypto, the seed's `openssl dgst -verify` verbatim, openssl's view of the attestation
 * certificate's public key; then `transcript verify` rechecks the evidence, real audit-log entries included.
 * Also `wrap` straight from a console zip made by src/kms/client's writer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHsm } from '../../src/ceremony/targets.js';
import { consoleZipFileName } from '../../src/kms/client/console-zip.js';
import { writeImportParams } from '../../src/kms/client/import-params.js';
import type { ImportParameters } from '../../src/kms/client/port.js';
import { cleanEnv, hsm2kms, ok, tool, withTempDir } from './steps-helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Every {base64, sha256} part in a parsed bundle, by its path. */
function parts(doc: unknown, path = ''): Array<[string, { base64: string; sha256: string }]> {
  if (typeof doc !== 'object' || doc === null) return [];
  const o = doc as Record<string, unknown>;
  if (typeof o.base64 === 'string' && typeof o.sha256 === 'string') return [[path, o as { base64: string; sha256: string }]];
  return Object.entries(o).flatMap(([k, v]) => parts(v, path ? `${path}.${k}` : k));
}

/** Turns the simulated HSM's force-audit on, so wrap's commands land in the audit log (PROTOCOL.md 4.6, 5.7). */
async function forceAudit(workDir: string): Promise<void> {
  const hsm = await openHsm({ kind: 'embedded' }, workDir);
  try {
    const session = await hsm.hsm.openSession({ authKeyId: 1, password: new TextEncoder().encode('password') });
    await session.setOption({ option: 0x01, forceAudit: 1 });
    await session.close();
  } finally {
    await hsm.close();
  }
}

test('prepare (online) -> wrap (offline, HSM) -> complete (online) reproduces the seed and verifies both ways', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    const env = cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') });
    const online = ['--work-dir', join(dir, 'online'), '--out', join(dir, 'out')];
    const offline = ['--work-dir', join(dir, 'offline'), '--out', join(dir, 'usb')];
    const o = { cwd: dir, env };

    const prep = await ok(['prepare', ...online, join(dir, 'usb', 'request.json')], o);
    assert.match(prep.stderr, /SIMULATION: .*embedded local KMS/);
    assert.doesNotMatch(prep.stderr, /YubiHSM/);
    const arn = /created (arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}); alias alias\/key0x100 created/.exec(prep.stdout)?.[1];
    assert.ok(arn, prep.stdout);
    const requestText = readFileSync(join(dir, 'usb', 'request.json'), 'utf8');
    const request = JSON.parse(requestText);
    assert.equal(request.format, 'hsm2kms-import-request');
    assert.equal(request.version, 1);
    assert.deepEqual({ ...request.kms, target: undefined }, { target: undefined, local: true, keyArn: arn, alias: 'alias/key0x100', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    assert.equal(request.importParameters.wrappingAlgorithm, 'RSA_AES_KEY_WRAP_SHA_256');
    assert.equal(request.importParameters.wrappingKeySpec, 'RSA_4096');
    assert.deepEqual(parts(request).map(([p]) => p).sort(), ['importParameters.importToken', 'importParameters.wrappingPublicKey', 'message']);
    for (const [p, v] of parts(request)) assert.equal(sha256(Buffer.from(v.base64, 'base64')), v.sha256, p);
    assert.equal(Buffer.from(request.message.base64, 'base64').toString(), 'Message signed by AWS KMS\n');
    assert.equal(readFileSync(join(dir, 'online', 'import-request.json'), 'utf8'), requestText, 'prepare keeps a copy for complete');
    // Run again: the same key and parameters.
    const prep2 = await ok(['prepare', ...online, join(dir, 'request-again.json')], o);
    assert.match(prep2.stdout, /\(recorded in the journal\)/);
    assert.match(prep2.stdout, /^reusing parameters valid to /m);
    assert.equal(JSON.parse(readFileSync(join(dir, 'request-again.json'), 'utf8')).importParameters.importToken.sha256, request.importParameters.importToken.sha256);

    // The offline machine: its own work dir (its own HSM), the audit log forced on.
    await forceAudit(join(dir, 'offline'));
    const wrap = await ok(['wrap', ...offline, join(dir, 'usb', 'request.json')], o);
    assert.match(wrap.stderr, /SIMULATION: .*embedded software YubiHSM 2/);
    assert.doesNotMatch(wrap.stderr, /local KMS/);
    assert.match(wrap.stdout, /^generated 0x0100 with sign-ecdsa,exportable-under-wrap$/m);
    assert.match(wrap.stdout, /^deleted public wrap key 0x0101$/m);
    const wrapped = JSON.parse(readFileSync(join(dir, 'usb', 'wrapped-key.json'), 'utf8'));
    assert.equal(wrapped.format, 'hsm2kms-wrapped-key');
    assert.equal(wrapped.version, 1);
    assert.deepEqual(parts(wrapped).map(([p]) => p).sort(), ['attestation.certificate', 'attestation.chain.0', 'attestation.chain.1', 'attestation.chain.2', 'hsmSignature.signature', 'message', 'publicKey', 'wrappedKey']);
    assert.equal(wrapped.attestation.chain.length, 3, 'device certificate, test intermediate, test root');
    for (const [p, v] of parts(wrapped)) assert.equal(sha256(Buffer.from(v.base64, 'base64')), v.sha256, p);
    assert.equal(wrapped.request.importTokenSha256, request.importParameters.importToken.sha256);
    assert.equal(wrapped.request.wrappingPublicKeySha256, request.importParameters.wrappingPublicKey.sha256);
    assert.equal(wrapped.request.fileSha256, sha256(Buffer.from(requestText)));
    assert.equal(wrapped.request.keyArn, arn);
    assert.equal(Buffer.from(wrapped.wrappedKey.base64, 'base64').length, 512 + 152);
    assert.ok(wrapped.auditLog.entries.length >= 5, `audit entries: ${wrapped.auditLog.entries.length}`);
    assert.deepEqual(wrapped.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`), ['preflight', 'hsm-generate-key', 'hsm-public-key', 'hsm-attest', 'hsm-put-wrap-key', 'hsm-wrap', 'cleanup'].map((n) => `${n}:done`));
    assert.ok(!readFileSync(join(dir, 'usb', 'wrapped-key.json'), 'utf8').includes(request.importParameters.importToken.base64), 'the token itself stays online');

    // Back online.
    const done = await ok(['complete', ...online, join(dir, 'usb', 'wrapped-key.json')], o);
    assert.match(done.stdout, /^imported; key is Enabled \(KEY_MATERIAL_DOES_NOT_EXPIRE\)$/m);
    assert.match(done.stdout, new RegExp(`^Done\\. KMS key ${arn} \\(alias/key0x100\\) holds the HSM key, verified both ways\\.$`, 'm'));
    assert.match(done.stdout.trimEnd().split('\n').at(-1)!, /^Verified public key fingerprint \(SHA-256 of SubjectPublicKeyInfo\): [0-9a-f]{64}$/, 'the last line, as for import');
    const out = join(dir, 'out');
    assert.equal(tool('openssl', ['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], out), 'Verified OK\n');
    assert.equal(tool('openssl', ['x509', '-in', 'key0x100-attestation.pem', '-pubkey', '-noout'], out), readFileSync(join(out, 'key0x100.pub'), 'utf8'));
    assert.equal(readFileSync(join(out, 'key0x100.pub'), 'utf8'), readFileSync(join(dir, 'usb', 'key0x100.pub'), 'utf8'), 'the public key wrap exported is the one complete verified');
    const transcript = JSON.parse(readFileSync(join(out, 'transcript.json'), 'utf8'));
    assert.equal(transcript.targets.simulated, true);
    assert.match(transcript.targets.hsm, /embedded software YubiHSM 2/);
    assert.equal(transcript.kms.keyArn, arn);
    assert.equal(transcript.airGap.hsmSignature.signatureBase64, wrapped.hsmSignature.signature.base64);
    assert.equal(transcript.auditLog.entries.length, wrapped.auditLog.entries.length);
    const tv = await ok(['transcript', 'verify', join(out, 'transcript.json')], o);
    assert.match(tv.stdout, /^ok    audit-log +\d+ entries \(numbers \d+…\d+\), each chained to the one before$/m);
    assert.match(tv.stdout, /^ok    steps +all 12 steps done$/m);
    assert.match(tv.stdout, /^Transcript verified: /m);

    // complete again: nothing to import, verified again.
    const again = await ok(['complete', ...online, join(dir, 'usb', 'wrapped-key.json')], o);
    assert.match(again.stdout, /^already imported \(Enabled, KEY_MATERIAL_DOES_NOT_EXPIRE\)$/m);
  });
});

test('wrap takes the console\'s Import_Parameters_<key id>.zip as it is; complete takes it with --request', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    const env = cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') });
    const o = { cwd: dir, env };
    const online = ['--work-dir', join(dir, 'online'), '--out', join(dir, 'out')];
    await ok(['prepare', ...online, join(dir, 'request.json')], o);
    // The console's download, written by src/kms/client from the same parameters.
    const r = JSON.parse(readFileSync(join(dir, 'request.json'), 'utf8'));
    const params: ImportParameters = {
      keyArn: r.kms.keyArn,
      wrappingAlgorithm: r.importParameters.wrappingAlgorithm,
      wrappingKeySpec: r.importParameters.wrappingKeySpec,
      parametersValidTo: new Date(r.importParameters.parametersValidTo),
      wrappingPublicKey: new Uint8Array(Buffer.from(r.importParameters.wrappingPublicKey.base64, 'base64')),
      importToken: new Uint8Array(Buffer.from(r.importParameters.importToken.base64, 'base64')),
    };
    const zip = join(dir, 'Downloads', consoleZipFileName(params.keyArn));
    writeImportParams(zip, params, { format: 'console-zip' });

    const wrap = await ok(['wrap', '--work-dir', join(dir, 'offline'), '--out', join(dir, 'usb'), zip], o);
    assert.match(wrap.stdout, /^generated 0x0100 /m);
    const wrapped = JSON.parse(readFileSync(join(dir, 'usb', 'wrapped-key.json'), 'utf8'));
    assert.equal(wrapped.request.source, 'console-zip');
    assert.equal(wrapped.request.keyId, params.keyArn.slice(params.keyArn.lastIndexOf('/') + 1));
    assert.equal(wrapped.request.keyArn, undefined);
    assert.equal(wrapped.request.importTokenSha256, sha256(params.importToken));
    assert.equal(Buffer.from(wrapped.message.base64, 'base64').toString(), 'Message signed by AWS KMS\n');

    const done = await ok(['complete', ...online, '--request', zip, join(dir, 'usb', 'wrapped-key.json')], o);
    assert.match(done.stdout, /^imported; key is Enabled/m);
    assert.equal(tool('openssl', ['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], join(dir, 'out')), 'Verified OK\n');
    await ok(['transcript', 'verify', join(dir, 'out', 'transcript.json')], o);
    writeFileSync(join(dir, 'out', 'message-aws.txt'), 'changed\n');
    const changed = await hsm2kms(['transcript', 'verify', join(dir, 'out', 'transcript.json')], o);
    assert.equal(changed.code, 3);
    assert.match(changed.stdout, /^FAIL  file message-aws\.txt /m);
  });
});

for (const [spec, usage, check] of [
  ['ECC_NIST_P384', 'SIGN_VERIFY', /^ok    kms-signature +KMS's ECDSA_SHA_384 signature over the 26-byte message verifies with the HSM public key$/m],
  ['RSA_2048', 'ENCRYPT_DECRYPT', /^skip  kms-signature +ENCRYPT_DECRYPT key: no signature$/m],
] as const) {
  test(`the split with ${spec} ${usage}: the key spec travels in the request`, { timeout: 180_000 }, async () => {
    await withTempDir(async (dir) => {
      const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
      const online = ['--work-dir', join(dir, 'online'), '--out', join(dir, 'out')];
      await ok(['prepare', ...online, '--key-spec', spec, '--key-usage', usage, join(dir, 'request.json')], o);
      const wrap = await ok(['wrap', '--work-dir', join(dir, 'offline'), '--out', join(dir, 'usb'), join(dir, 'request.json')], o);
      assert.match(wrap.stdout, new RegExp(`^generated 0x0100 with ${usage === 'SIGN_VERIFY' ? 'sign-ecdsa' : 'decrypt-oaep'},exportable-under-wrap$`, 'm'));
      const wrapped = JSON.parse(readFileSync(join(dir, 'usb', 'wrapped-key.json'), 'utf8'));
      assert.deepEqual(wrapped.key, { keySpec: spec, keyUsage: usage });
      assert.equal(wrapped.hsmSignature === null, usage !== 'SIGN_VERIFY');
      const done = await ok(['complete', ...online, join(dir, 'usb', 'wrapped-key.json')], o);
      assert.match(done.stdout, /^public keys equal \(SHA-256 [0-9a-f]{64}\); \d+ checks passed both ways/m);
      const out = join(dir, 'out');
      if (usage === 'SIGN_VERIFY') {
        assert.equal(tool('openssl', ['dgst', '-sha384', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], out), 'Verified OK\n');
      } else {
        assert.match(tool('openssl', ['pkey', '-pubin', '-in', 'key0x100.pub', '-noout', '-text'], out), /Public-Key: \(2048 bit\)/);
      }
      const tv = await ok(['transcript', 'verify', join(out, 'transcript.json')], o);
      assert.match(tv.stdout, check);
      assert.match(tv.stdout, /^ok    verification /m);
    });
  });
}
