/**
 * The user's seed guide (../shared/mission/seed-guide.md) against the local server with tools we did not write:
 * the real AWS CLI v2 at /usr/bin/aws (always with --endpoint-url; credentials and Region from a clean
 * environment, config files pointed at empty temp files) and OpenSSL. The key material is made and wrapped by
 * OpenSSL with AWS's documented recipe (openssl rand / enc -id-aes256-wrap-pad / pkeyutl OAEP-SHA-256), imported by
 * the CLI, and step 6's `aws kms sign` signature is verified by `openssl dgst -sha256 -verify` (step 7).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LOCAL_CREDENTIALS } from '../../../src/kms/server/index.js';
import { startTestKms, type TestKms } from './helpers.js';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const skip = existsSync(AWS) ? false : 'the AWS CLI v2 is not at /usr/bin/aws (Debian package awscli; .ci/run installs it)';

let t: TestKms;
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  t = await startTestKms();
  dir = mkdtempSync(join(tmpdir(), 'hsm2kms-awscli-'));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  const c = DEFAULT_LOCAL_CREDENTIALS[0];
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
});

after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS, ['kms', ...args, '--endpoint-url', t.server.url, '--output', 'json'], { env, cwd: dir });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

async function awsFails(...args: string[]): Promise<string> {
  const err = await run(AWS, ['kms', ...args, '--endpoint-url', t.server.url], { env, cwd: dir }).then(() => undefined, (e: { stderr: string }) => e);
  assert.ok(err, `aws kms ${args[0]} should fail`);
  return err.stderr;
}

async function openssl(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('openssl', args, { cwd: dir, env: { PATH: process.env.PATH } });
  return stdout + stderr;
}

const f = (name: string): string => join(dir, name);

describe('seed guide with the AWS CLI and OpenSSL', { skip }, () => {
  it('steps 2-7: create EXTERNAL P-256 key, import OpenSSL-wrapped material, aws kms sign, openssl verifies', async () => {
    // Step 1 stand-in: the key pair (the YubiHSM's part is tested elsewhere); public key as key0x100.pub.
    await openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('key.pem'));
    await openssl('pkey', '-in', f('key.pem'), '-pubout', '-out', f('key0x100.pub'));
    await openssl('pkey', '-in', f('key.pem'), '-pubout', '-outform', 'DER', '-out', f('key0x100.pub.der'));
    await openssl('pkcs8', '-topk8', '-nocrypt', '-in', f('key.pem'), '-outform', 'DER', '-out', f('key.p8.der'));

    // Step 2.
    const created = (await aws('create-key', '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY', '--origin', 'EXTERNAL',
      '--description', 'YubiHSM Signing Key')).KeyMetadata as Record<string, unknown>;
    assert.equal(created.KeyState, 'PendingImport');
    const keyId = created.KeyId as string;
    await aws('create-alias', '--alias-name', 'alias/key0x100', '--target-key-id', keyId);
    const params = await aws('get-parameters-for-import', '--key-id', keyId, '--wrapping-algorithm', 'RSA_AES_KEY_WRAP_SHA_256', '--wrapping-key-spec', 'RSA_4096');
    assert.equal(params.KeyId, created.Arn);
    writeFileSync(f('WrappingPublicKey.bin'), Buffer.from(params.PublicKey as string, 'base64'));
    writeFileSync(f('ImportToken.bin'), Buffer.from(params.ImportToken as string, 'base64'));

    // Step 3.
    await openssl('rsa', '-pubin', '-inform', 'DER', '-in', f('WrappingPublicKey.bin'), '-out', f('wrappingkey-aws.pem'));
    assert.match(readFileSync(f('wrappingkey-aws.pem'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);

    // AWS's OpenSSL recipe for RSA_AES_KEY_WRAP_SHA_256.
    await openssl('rand', '-out', f('aes.key'), '32');
    const hexKey = readFileSync(f('aes.key')).toString('hex');
    await openssl('enc', '-id-aes256-wrap-pad', '-K', hexKey, '-iv', 'A65959A6', '-in', f('key.p8.der'), '-out', f('material.wrapped'));
    await openssl('pkeyutl', '-encrypt', '-in', f('aes.key'), '-out', f('aes.wrapped'), '-inkey', f('WrappingPublicKey.bin'), '-keyform', 'DER', '-pubin',
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
    writeFileSync(f('EncryptedKeyMaterial.bin'), Buffer.concat([readFileSync(f('aes.wrapped')), readFileSync(f('material.wrapped'))]));
    assert.equal(readFileSync(f('EncryptedKeyMaterial.bin')).length, 512 + 8 * (Math.ceil(readFileSync(f('key.p8.der')).length / 8) + 1));

    await aws('import-key-material', '--key-id', keyId, '--encrypted-key-material', `fileb://${f('EncryptedKeyMaterial.bin')}`,
      '--import-token', `fileb://${f('ImportToken.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    const md = (await aws('describe-key', '--key-id', 'alias/key0x100')).KeyMetadata as Record<string, unknown>;
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');

    // GetPublicKey equals the public key OpenSSL derives from the same private key.
    const pub = await aws('get-public-key', '--key-id', 'alias/key0x100');
    assert.deepEqual(Buffer.from(pub.PublicKey as string, 'base64'), readFileSync(f('key0x100.pub.der')));

    // Step 6, verbatim arguments.
    writeFileSync(f('message-aws.txt'), 'Message signed by AWS KMS\n');
    assert.equal(readFileSync(f('message-aws.txt')).toString('base64'), 'TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo=');
    const signed = await aws('sign', '--key-id', 'alias/key0x100', '--message', 'TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo=', '--signing-algorithm', 'ECDSA_SHA_256');
    assert.equal(signed.KeyId, created.Arn);
    writeFileSync(f('message-aws.signature.b64'), String(signed.Signature));

    // Step 7.
    writeFileSync(f('message-aws.signature'), Buffer.from(readFileSync(f('message-aws.signature.b64'), 'utf8'), 'base64'));
    const out = await openssl('dgst', '-sha256', '-verify', f('key0x100.pub'), '-signature', f('message-aws.signature'), f('message-aws.txt'));
    assert.match(out, /Verified OK/);

    // And the other way: KMS Verify accepts OpenSSL's signature.
    await openssl('dgst', '-sha256', '-sign', f('key.pem'), '-out', f('openssl.sig'), f('message-aws.txt'));
    const verified = await aws('verify', '--key-id', 'alias/key0x100', '--message', `fileb://${f('message-aws.txt')}`, '--signature', `fileb://${f('openssl.sig')}`,
      '--signing-algorithm', 'ECDSA_SHA_256');
    assert.equal(verified.SignatureValid, true);
  });

  it('RSAES_OAEP_SHA_256 with one pkeyutl call imports symmetric material; OpenSSL default OAEP (SHA-1) is InvalidCiphertextException', async () => {
    const keyId = ((await aws('create-key', '--origin', 'EXTERNAL')).KeyMetadata as Record<string, unknown>).KeyId as string;
    const params = await aws('get-parameters-for-import', '--key-id', keyId, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '--wrapping-key-spec', 'RSA_2048');
    writeFileSync(f('pub2.der'), Buffer.from(params.PublicKey as string, 'base64'));
    writeFileSync(f('token2.bin'), Buffer.from(params.ImportToken as string, 'base64'));
    await openssl('rand', '-out', f('sym.key'), '32');
    await openssl('pkeyutl', '-encrypt', '-in', f('sym.key'), '-out', f('sym.sha1'), '-inkey', f('pub2.der'), '-keyform', 'DER', '-pubin', '-pkeyopt', 'rsa_padding_mode:oaep');
    const stderr = await awsFails('import-key-material', '--key-id', keyId, '--encrypted-key-material', `fileb://${f('sym.sha1')}`,
      '--import-token', `fileb://${f('token2.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.match(stderr, /InvalidCiphertextException/);
    await openssl('pkeyutl', '-encrypt', '-in', f('sym.key'), '-out', f('sym.sha256'), '-inkey', f('pub2.der'), '-keyform', 'DER', '-pubin',
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
    // (The CLI prints the response members its bundled model knows; 2.9's ImportKeyMaterial output has none.)
    await aws('import-key-material', '--key-id', keyId, '--encrypted-key-material', `fileb://${f('sym.sha256')}`,
      '--import-token', `fileb://${f('token2.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(((await aws('describe-key', '--key-id', keyId)).KeyMetadata as Record<string, unknown>).KeyState, 'Enabled');
    writeFileSync(f('plain.txt'), 'round trip');
    const ct = await aws('encrypt', '--key-id', keyId, '--plaintext', `fileb://${f('plain.txt')}`);
    writeFileSync(f('ct.bin'), Buffer.from(ct.CiphertextBlob as string, 'base64'));
    const pt = await aws('decrypt', '--ciphertext-blob', `fileb://${f('ct.bin')}`);
    assert.equal(Buffer.from(pt.Plaintext as string, 'base64').toString(), 'round trip');
  });

  it('the CLI sees AWS error names and messages', async () => {
    assert.match(await awsFails('describe-key', '--key-id', 'fake-key-id'), /NotFoundException.*Invalid keyId 'fake-key-id'/s);
    assert.match(await awsFails('create-key', '--key-spec', 'HMAC_256'),
      /ValidationException.*You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys\./s);
  });
});
