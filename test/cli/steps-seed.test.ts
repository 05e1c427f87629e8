/**
 * The seed guide step by step, each step its own hsm2kms process on the embedded default (one software YubiHSM 2
 * and one local KMS shared through the work dir), cross-checked with the seed's own tools: openssl turns the
 * console zip's WrappingPublicKey.bin into the same wrappingkey-aws.pem, `base64 -d` of the .b64 gives the
 * signature bytes, and `openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature
 * message-aws.txt` succeeds verbatim.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, hsm2kms, ok, tool, unzipWithPython, withTempDir } from './steps-helpers.js';

const SIMULATION = /^SIMULATION: /m;

test('seed steps 1-7 as separate processes reproduce the seed flow; openssl verifies verbatim', { timeout: 180_000 }, async () => {
  await withTempDir(async (dir) => {
    const env = cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') });
    const o = { cwd: dir, env };

    // Step 1: generate, then the public key.
    const gen = await ok(['hsm', 'generate'], o);
    assert.match(gen.stdout, /^generated 0x0100 with sign-ecdsa,exportable-under-wrap$/m);
    assert.match(gen.stderr, SIMULATION);
    assert.match(gen.stderr, /embedded software YubiHSM 2/);
    assert.doesNotMatch(gen.stderr, /local KMS/, 'an HSM step does not start the KMS');
    const again = await ok(['hsm', 'generate'], o);
    assert.match(again.stdout, /^0x0100 already present/m);
    const pub = await ok(['hsm', 'pubkey', 'key0x100.pub', '--attest'], o);
    assert.match(pub.stdout, /^attested public key matches; signed by the device attestation certificate, issued by the software YubiHSM 2's test CA \(a simulator, not an HSM\); key0x100-attestation\.pem$/m);
    assert.equal(tool('openssl', ['x509', '-in', 'key0x100-attestation.pem', '-pubkey', '-noout'], dir), readFileSync(join(dir, 'key0x100.pub'), 'utf8'));
    assert.match(pub.stdout, /key0x100\.pub \(SHA-256 of SubjectPublicKeyInfo [0-9a-f]{16}…\)/);
    const pem = readFileSync(join(dir, 'key0x100.pub'), 'utf8');
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    assert.match(tool('openssl', ['pkey', '-pubin', '-in', 'key0x100.pub', '-noout', '-text'], dir), /ASN1 OID: prime256v1/);

    // Step 2: the KMS key (again: the same key, found by the journal).
    const created = await ok(['kms', 'create'], o);
    assert.match(created.stderr, /embedded local KMS/);
    assert.doesNotMatch(created.stderr, /YubiHSM/, 'a KMS step does not open the HSM');
    const arn = /(arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}): EXTERNAL ECC_NIST_P256 SIGN_VERIFY, PendingImport, alias alias\/key0x100/.exec(created.stdout)?.[1];
    assert.ok(arn, created.stdout);
    const created2 = await ok(['kms', 'create'], o);
    assert.match(created2.stdout, new RegExp(`^${arn} \\(recorded in the journal\\)$`, 'm'));
    const keyId = arn.slice(arn.lastIndexOf('/') + 1);

    // Steps 2-3: the console's zip and the PEM; openssl makes the same PEM of WrappingPublicKey.bin.
    const params = await ok(['kms', 'params'], o);
    const zip = `Import_Parameters_${keyId}.zip`;
    assert.match(params.stdout, new RegExp(`^${zip}: WrappingPublicKey\\.bin \\+ ImportToken\\.bin`, 'm'));
    assert.deepEqual(unzipWithPython(zip, dir).sort(), ['ImportToken.bin', 'README.txt', 'WrappingPublicKey.bin']);
    tool('openssl', ['rsa', '-pubin', '-inform', 'DER', '-in', 'WrappingPublicKey.bin', '-out', 'openssl-wrappingkey.pem'], dir);
    assert.equal(readFileSync(join(dir, 'wrappingkey-aws.pem'), 'utf8'), readFileSync(join(dir, 'openssl-wrappingkey.pem'), 'utf8'));
    assert.match(tool('openssl', ['rsa', '-pubin', '-in', 'wrappingkey-aws.pem', '-noout', '-text'], dir), /Public-Key: \(4096 bit\)/);

    // Step 4: the wrap key; step 5: the wrapped key.
    const put = await ok(['hsm', 'put-wrapkey', 'wrappingkey-aws.pem'], o);
    assert.match(put.stdout, /^loaded 0x0101 \(export-wrapped only\)/m);
    const put2 = await ok(['hsm', 'put-wrapkey', 'wrappingkey-aws.pem'], o);
    assert.match(put2.stdout, /^0x0101 already holds this wrapping key/m);
    const wrap = await ok(['hsm', 'wrap', 'key0x100-wrapped-aws.bin'], o);
    assert.match(wrap.stdout, /wrapped under 0x0101 with aes256 \+ rsa-oaep-sha256 \(RSA_AES_KEY_WRAP_SHA_256\)/);
    assert.match(wrap.stdout, /^public wrap key 0x0101 stays in the HSM \(as in the seed\); add --delete-wrapkey to remove it after wrapping$/m);
    // RSA-4096 part (512 bytes) + AES-KWP of the 138-byte PKCS#8 of a P-256 key: 8 * (ceil(138 / 8) + 1) = 152.
    assert.equal(readFileSync(join(dir, 'key0x100-wrapped-aws.bin')).length, 512 + 152);

    // Step 5, the upload; again: nothing to do.
    const imp = await ok(['kms', 'import', 'key0x100-wrapped-aws.bin', '--params', zip], o);
    assert.match(imp.stdout, new RegExp(`^${arn}: imported; key is Enabled \\(KEY_MATERIAL_DOES_NOT_EXPIRE\\)$`, 'm'));
    const imp2 = await ok(['kms', 'import', 'key0x100-wrapped-aws.bin', '--params', zip], o);
    assert.match(imp2.stdout, /already imported \(Enabled, KEY_MATERIAL_DOES_NOT_EXPIRE\)/);

    // Step 6: the message is the seed's (its base64 is the one the seed passes to aws kms sign).
    const sign = await ok(['kms', 'sign', 'message-aws.txt'], o);
    assert.equal(tool('base64', ['message-aws.txt'], dir), 'TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo=\n');
    assert.match(sign.stdout, /^[A-Za-z0-9+/]+=*\n$/, 'stdout is the Signature field only, as jq -r .Signature prints it');
    assert.equal(readFileSync(join(dir, 'message-aws.signature.b64'), 'utf8'), sign.stdout);

    // Step 7, verbatim.
    tool('sh', ['-c', 'cat message-aws.signature.b64 | base64 -d > seed-message-aws.signature'], dir);
    assert.deepEqual(readFileSync(join(dir, 'seed-message-aws.signature')), readFileSync(join(dir, 'message-aws.signature')));
    const seed7 = tool('openssl', ['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], dir);
    assert.equal(seed7, 'Verified OK\n');
    assert.match(tool('openssl', ['asn1parse', '-inform', 'DER', '-in', 'message-aws.signature'], dir), /SEQUENCE[\s\S]*INTEGER[\s\S]*INTEGER/);

    // hsm2kms verify: the same answer, offline (no SIMULATION notice: nothing is opened); a changed message fails.
    const v = await ok(['verify', '--pubkey', 'key0x100.pub', '--signature', 'message-aws.signature', 'message-aws.txt'], o);
    assert.match(v.stdout, /^Verified OK\n  ECDSA_SHA_256, ecp256 public key SHA-256 [0-9a-f]{64}, 26-byte message\n$/);
    assert.equal(v.stderr, '');
    assert.match((await ok(['verify', '--signature', 'message-aws.signature.b64'], o)).stdout, /^Verified OK$/m);
    writeFileSync(join(dir, 'other.txt'), 'Message signed by AWS KMS!\n');
    const bad = await hsm2kms(['verify', 'other.txt'], o);
    assert.equal(bad.code, 3);
    assert.match(bad.stdout, /^Verification failure$/m);
    assert.throws(() => tool('openssl', ['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'other.txt'], dir));

    // The wrap key stays, as in the seed, until asked to go.
    const wrapDel = await ok(['hsm', 'wrap', 'again.bin', '--delete-wrapkey'], o);
    assert.match(wrapDel.stdout, /^deleted public wrap key 0x0101$/m);
    const wrapGone = await hsm2kms(['hsm', 'wrap', 'again.bin'], o);
    assert.equal(wrapGone.code, 1);
    assert.match(wrapGone.stderr, /^hsm2kms hsm wrap: The HSM has no public wrap key 0x0101; load the KMS wrapping key first \(hsm2kms hsm put-wrapkey wrappingkey-aws\.pem\)\. \[HSM_WRAP_KEY_MISSING\]$/m);

    // Everything the seven steps wrote sits side by side in the current directory.
    const files = readdirSync(dir).filter((f) => !f.startsWith('.'));
    for (const f of ['key0x100.pub', zip, 'wrappingkey-aws.pem', 'key0x100-wrapped-aws.bin', 'message-aws.txt', 'message-aws.signature.b64', 'message-aws.signature']) {
      assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
    }
  });
});
