/**
 * Every adapter operation against the local KMS server, started in-process on 127.0.0.1 port 0 and reached over real
 * HTTP through the AWS SDK. Credentials, Region and endpoint are set explicitly, so nothing can reach real AWS.
 * Key material is generated and wrapped with the openssl CLI following AWS's RSA_AES_KEY_WRAP_SHA_256 recipe
 * (KMS-SPEC 2), independently of our own wrapping code; signatures are checked with `openssl dgst -verify` as in
 * the seed's step 7.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKmsServer } from '../../../src/kms/server/index.js';
import { AwsKms } from '../../../src/kms/client/aws-kms.js';
import {
  KmsAlreadyExistsError,
  KmsExpiredImportTokenError,
  KmsInvalidStateError,
  KmsNotFoundError,
  KmsServiceError,
  KmsUnrecognizedClientError,
} from '../../../src/kms/client/errors.js';
import { readImportParams, writeImportParams } from '../../../src/kms/client/import-params.js';
import { accountIdFromArn, keyPolicyJson } from '../../../src/kms/client/key-policy.js';
import type { ImportParameters, KmsKey } from '../../../src/kms/client/port.js';
import { writeSignatureFiles } from '../../../src/kms/client/signature-format.js';
import { kmsTargetFromOptions } from '../../../src/kms/client/target.js';
import { wrappingKeyDerToPem } from '../../../src/kms/client/wrapping-key.js';

type Server = Awaited<ReturnType<typeof startKmsServer>>;

const REGION = 'us-east-1';
const MESSAGE = Buffer.from('TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo=', 'base64'); // the seed's message-aws.txt

let dir: string;
const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

function adapter(server: Server, extra: { pageSize?: number; region?: string } = {}): AwsKms {
  return new AwsKms({
    target: kmsTargetFromOptions({ kms: server.url, region: extra.region ?? REGION, env: {} }),
    credentials: server.credentials[0],
    maxAttempts: 1,
    pageSize: extra.pageSize,
  });
}

/** A P-256 key made by openssl: PKCS#8 DER (the material) and SPKI DER (to compare with GetPublicKey). */
function opensslP256(name: string): { pkcs8: Uint8Array; spki: Uint8Array } {
  run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.pem`);
  run('pkcs8', '-topk8', '-nocrypt', '-in', `${name}.pem`, '-outform', 'DER', '-out', `${name}.p8`);
  run('pkey', '-in', `${name}.pem`, '-pubout', '-outform', 'DER', '-out', `${name}.spki`);
  run('pkey', '-in', `${name}.pem`, '-pubout', '-out', `${name}.pub`);
  return { pkcs8: new Uint8Array(readFileSync(join(dir, `${name}.p8`))), spki: new Uint8Array(readFileSync(join(dir, `${name}.spki`))) };
}

/** AWS's openssl recipe for RSA_AES_KEY_WRAP_SHA_256: OAEP-SHA-256(aes key) ‖ AES-KWP(aes key, PKCS#8). */
function opensslWrap(name: string, params: ImportParameters): Uint8Array {
  writeFileSync(join(dir, `${name}.wrapkey.der`), params.wrappingPublicKey);
  run('rand', '-out', `${name}.aes`, '32');
  const aesHex = readFileSync(join(dir, `${name}.aes`)).toString('hex');
  run('enc', '-id-aes256-wrap-pad', '-K', aesHex, '-iv', 'A65959A6', '-in', `${name}.p8`, '-out', `${name}.kwp`);
  run('pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', `${name}.wrapkey.der`, '-in', `${name}.aes`, '-out', `${name}.rsa`,
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
  return new Uint8Array(Buffer.concat([readFileSync(join(dir, `${name}.rsa`)), readFileSync(join(dir, `${name}.kwp`))]));
}

describe('AwsKms against the local KMS server', () => {
  let server: Server;
  let kms: AwsKms;
  let account: string;
  let key: KmsKey; // the seed's key: EXTERNAL, ECC_NIST_P256, SIGN_VERIFY, alias/key0x100
  let material: { pkcs8: Uint8Array; spki: Uint8Array };
  let policy: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hsm2kms-kms-it-'));
    server = await startKmsServer({ host: '127.0.0.1', port: 0 });
    kms = adapter(server);
    material = opensslP256('key0x100');
  });
  after(async () => {
    kms?.destroy();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the seed key (EXTERNAL ECC_NIST_P256 SIGN_VERIFY) with the administrator/user key policy', async () => {
    const probe = await kms.createKey({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', description: 'probe' });
    account = accountIdFromArn(probe.arn) ?? '';
    assert.equal(account, probe.accountId);
    const role = `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;
    policy = keyPolicyJson({ accountId: account, administrators: [role], users: [role], keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
    key = await kms.createKey({
      keySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      origin: 'EXTERNAL',
      description: 'YubiHSM Signing Key',
      tags: [{ key: 'hsm2kms:object-id', value: '0x0100' }],
      policy,
    });
    assert.equal(key.origin, 'EXTERNAL');
    assert.equal(key.keyState, 'PendingImport');
    assert.equal(key.enabled, false);
    assert.equal(key.expirationModel, undefined);
    assert.deepEqual(key.signingAlgorithms, ['ECDSA_SHA_256']);
    assert.equal(key.description, 'YubiHSM Signing Key');
    assert.match(key.arn, new RegExp(`^arn:aws:kms:${REGION}:${account}:key/${key.keyId}$`));
    assert.deepEqual(JSON.parse(await kms.getKeyPolicy(key.keyId)), JSON.parse(policy));
  });

  it('creates, finds, updates and deletes aliases; a second CreateAlias is AlreadyExists', async () => {
    await kms.createAlias('alias/key0x100', key.keyId);
    const found = await kms.findAlias('alias/key0x100');
    assert.equal(found?.targetKeyId, key.keyId);
    assert.equal(found?.aliasArn, `arn:aws:kms:${REGION}:${account}:alias/key0x100`);
    assert.equal(await kms.findAlias('alias/nothing-here'), undefined);
    await assert.rejects(kms.createAlias('alias/key0x100', key.keyId), (e: unknown) => e instanceof KmsAlreadyExistsError && e.code === 'KMS_ALREADY_EXISTS');
    const other = await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
    await kms.createAlias('alias/tmp', key.keyId);
    await kms.updateAlias('alias/tmp', other.keyId);
    assert.equal((await kms.findAlias('alias/tmp'))?.targetKeyId, other.keyId);
    assert.deepEqual((await kms.listAliases({ keyId: other.keyId })).map((a) => a.aliasName), ['alias/tmp']);
    await kms.deleteAlias('alias/tmp');
    assert.equal(await kms.findAlias('alias/tmp'), undefined);
    assert.equal((await kms.describeKey('alias/key0x100')).keyId, key.keyId);
  });

  it('maps a wrong alias to KmsNotFoundError with the AWS text and a hint', async () => {
    await assert.rejects(kms.describeKey('alias/key0x999'), (e: unknown) => {
      assert.ok(e instanceof KmsNotFoundError);
      assert.equal(e.awsName, 'NotFoundException');
      assert.equal(e.fault, 'client');
      assert.equal(
        e.message,
        `DescribeKey failed with NotFoundException: Alias arn:aws:kms:${REGION}:${account}:alias/key0x999 is not found; check the key id or alias alias/key0x999 and the Region (Region ${REGION}); keys and aliases exist in one Region only.`,
      );
      return true;
    });
  });

  it('knows the local server by its header, from an error answer too; another endpoint is not taken for one', async () => {
    const fresh = adapter(server);
    assert.equal(fresh.localKmsSeen(), false, 'nothing answered yet');
    await assert.rejects(fresh.describeKey('alias/key0x998'), KmsNotFoundError);
    assert.equal(fresh.localKmsSeen(), true);
    // A KMS-shaped endpoint that is not hsm2kms's (AWS sends no such header).
    const plain = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ Aliases: [], Truncated: false }));
      });
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const other = new AwsKms({
        target: kmsTargetFromOptions({ kms: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`, region: REGION, env: {} }),
        credentials: server.credentials[0],
        maxAttempts: 1,
      });
      assert.equal(await other.findAlias('alias/none'), undefined);
      assert.equal(other.localKmsSeen(), false);
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('refuses to sign with a key pending import (KMSInvalidStateException)', async () => {
    await assert.rejects(kms.sign({ keyRef: 'alias/key0x100', message: MESSAGE, messageType: 'RAW', signingAlgorithm: 'ECDSA_SHA_256' }), (e: unknown) => {
      assert.ok(e instanceof KmsInvalidStateError);
      assert.equal(e.code, 'KMS_INVALID_STATE');
      assert.equal(e.awsName, 'KMSInvalidStateException');
      assert.ok(e.message.startsWith(`Sign failed with KMSInvalidStateException: ${key.arn} is pending import; the key alias/key0x100 is not in a state that allows Sign;`), e.message);
      return true;
    });
  });

  it('fetches import parameters (RSA_4096, RSA_AES_KEY_WRAP_SHA_256) that survive a bundle round trip', async () => {
    const params = await kms.getParametersForImport({ keyId: key.keyId, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
    assert.equal(params.keyArn, key.arn);
    assert.ok(params.parametersValidTo.getTime() > Date.now());
    writeFileSync(join(dir, 'WrappingPublicKey.bin'), params.wrappingPublicKey);
    run('rsa', '-pubin', '-inform', 'DER', '-in', 'WrappingPublicKey.bin', '-out', 'wrappingkey-aws.pem');
    assert.equal(wrappingKeyDerToPem(params.wrappingPublicKey), readFileSync(join(dir, 'wrappingkey-aws.pem'), 'utf8'));
    assert.match(run('rsa', '-pubin', '-inform', 'DER', '-in', 'WrappingPublicKey.bin', '-text', '-noout').toString(), /Public-Key: \(4096 bit\)/);
    writeImportParams(join(dir, 'params.json'), params, { format: 'bundle' });
    const back = readImportParams(join(dir, 'params.json'));
    assert.deepEqual(back, { source: 'bundle', ...params });
  });

  it('imports openssl-wrapped material (KEY_MATERIAL_DOES_NOT_EXPIRE); the key becomes Enabled', async () => {
    const params = await kms.getParametersForImport({ keyId: key.arn, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
    const wrapped = opensslWrap('key0x100', params);
    const result = await kms.importKeyMaterial({
      keyId: key.keyId,
      importToken: params.importToken,
      encryptedKeyMaterial: wrapped,
      expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' },
    });
    assert.equal(result.keyArn, key.arn);
    const after = await kms.describeKey(key.keyId);
    assert.equal(after.keyState, 'Enabled');
    assert.equal(after.enabled, true);
    assert.equal(after.expirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(after.validTo, undefined);
  });

  it('returns the public key openssl derives from the private key', async () => {
    const pub = await kms.getPublicKey('alias/key0x100');
    assert.deepEqual(pub.publicKey, material.spki);
    assert.equal(pub.keyArn, key.arn);
    assert.equal(pub.keySpec, 'ECC_NIST_P256');
    assert.equal(pub.keyUsage, 'SIGN_VERIFY');
    assert.deepEqual(pub.signingAlgorithms, ['ECDSA_SHA_256']);
  });

  it('signs the seed message; openssl dgst -verify accepts the written files (steps 6-7); Verify agrees', async () => {
    writeFileSync(join(dir, 'message-aws.txt'), MESSAGE);
    const sig = await kms.sign({ keyRef: 'alias/key0x100', message: MESSAGE, messageType: 'RAW', signingAlgorithm: 'ECDSA_SHA_256' });
    assert.equal(sig.keyArn, key.arn);
    assert.equal(sig.signingAlgorithm, 'ECDSA_SHA_256');
    writeSignatureFiles(join(dir, 'message-aws.signature'), sig.signature, 'ECC_NIST_P256');
    assert.equal(run('dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt').toString(), 'Verified OK\n');
    const base = { keyRef: 'alias/key0x100', signingAlgorithm: 'ECDSA_SHA_256' as const, signature: sig.signature };
    assert.equal(await kms.verify({ ...base, message: MESSAGE, messageType: 'RAW' }), true);
    const digest = new Uint8Array(execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: MESSAGE }));
    assert.equal(await kms.verify({ ...base, message: digest, messageType: 'DIGEST' }), true);
    assert.equal(await kms.verify({ ...base, message: Buffer.from('Message signed by AWS KMS!\n'), messageType: 'RAW' }), false);
  });

  it('signs a digest (MessageType DIGEST) that openssl verifies', async () => {
    const digest = new Uint8Array(execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: MESSAGE }));
    const sig = await kms.sign({ keyRef: key.keyId, message: digest, messageType: 'DIGEST', signingAlgorithm: 'ECDSA_SHA_256' });
    writeFileSync(join(dir, 'digest.sig'), sig.signature);
    assert.equal(run('dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'digest.sig', 'message-aws.txt').toString(), 'Verified OK\n');
  });

  it('re-imports with KEY_MATERIAL_EXPIRES and shows ValidTo; DeleteImportedKeyMaterial returns it to PendingImport', async () => {
    const params = await kms.getParametersForImport({ keyId: key.keyId, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_2048' });
    const validTo = new Date(Math.floor(Date.now() / 1000) * 1000 + 30 * 24 * 3600 * 1000);
    await kms.importKeyMaterial({
      keyId: key.keyId,
      importToken: params.importToken,
      encryptedKeyMaterial: opensslWrap('key0x100', params),
      expiration: { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo },
    });
    const d = await kms.describeKey(key.keyId);
    assert.equal(d.expirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(d.validTo?.getTime(), validTo.getTime());
    await kms.deleteImportedKeyMaterial(key.keyId);
    const gone = await kms.describeKey(key.keyId);
    assert.equal(gone.keyState, 'PendingImport');
    assert.equal(gone.expirationModel, undefined);
    await assert.rejects(kms.sign({ keyRef: key.keyId, message: MESSAGE, messageType: 'RAW', signingAlgorithm: 'ECDSA_SHA_256' }), KmsInvalidStateError);
  });

  it('tags, untags and lists tags in order', async () => {
    await kms.tagResource(key.keyId, [{ key: 'purpose', value: 'seed' }, { key: 'owner', value: 'ops' }]);
    await kms.untagResource(key.keyId, ['owner']);
    assert.deepEqual(await kms.listResourceTags(key.keyId), [
      { key: 'hsm2kms:object-id', value: '0x0100' },
      { key: 'purpose', value: 'seed' },
    ]);
  });

  it('lists every key and alias across pages', async () => {
    const paged = adapter(server, { pageSize: 1 });
    try {
      const keys = await paged.listKeys();
      assert.ok(keys.length >= 3);
      assert.ok(keys.some((k) => k.keyId === key.keyId && k.keyArn === key.arn));
      assert.deepEqual(new Set(keys.map((k) => k.keyId)).size, keys.length);
      const aliases = await paged.listAliases();
      assert.ok(aliases.some((a) => a.aliasName === 'alias/key0x100'));
      assert.deepEqual(await paged.findAlias('alias/key0x100'), await kms.findAlias('alias/key0x100'));
    } finally {
      paged.destroy();
    }
  });

  it('creates keys of every spec and usage it supports, with both origins', async () => {
    const cases: [string, string][] = [
      ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT'],
      ['RSA_2048', 'SIGN_VERIFY'],
      ['RSA_3072', 'ENCRYPT_DECRYPT'],
      ['RSA_4096', 'SIGN_VERIFY'],
      ['ECC_NIST_P256', 'SIGN_VERIFY'],
      ['ECC_NIST_P384', 'SIGN_VERIFY'],
      ['ECC_NIST_P521', 'SIGN_VERIFY'],
      ['ECC_SECG_P256K1', 'SIGN_VERIFY'],
      ['HMAC_256', 'GENERATE_VERIFY_MAC'],
    ];
    for (const origin of ['EXTERNAL', 'AWS_KMS'] as const) {
      for (const [keySpec, keyUsage] of cases) {
        const k = await kms.createKey({ keySpec: keySpec as never, keyUsage: keyUsage as never, origin });
        assert.equal(k.keySpec, keySpec);
        assert.equal(k.keyUsage, keyUsage);
        assert.equal(k.origin, origin);
        assert.equal(k.keyState, origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled', `${origin} ${keySpec}`);
      }
    }
  });

  it('signs with an AWS_KMS RSA key and verifies with its public key in openssl', async () => {
    const rsa = await kms.createKey({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', origin: 'AWS_KMS' });
    const pub = await kms.getPublicKey(rsa.keyId);
    writeFileSync(join(dir, 'rsa.spki'), pub.publicKey);
    const sig = await kms.sign({ keyRef: rsa.arn, message: MESSAGE, messageType: 'RAW', signingAlgorithm: 'RSASSA_PSS_SHA_256' });
    writeFileSync(join(dir, 'rsa.sig'), sig.signature);
    const out = run('dgst', '-sha256', '-verify', 'rsa.spki', '-keyform', 'DER', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-signature', 'rsa.sig', 'message-aws.txt').toString();
    assert.equal(out, 'Verified OK\n');
  });

  it('encrypts and decrypts: symmetric round trip, and an imported RSA key interoperating with openssl OAEP-SHA-256', async () => {
    const secret = new Uint8Array(32).fill(0x5a);
    const sym = await kms.createKey({ keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS' });
    const enc = await kms.encrypt({ keyRef: sym.keyId, plaintext: secret, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    assert.equal(enc.keyArn, sym.arn);
    assert.deepEqual((await kms.decrypt({ keyRef: sym.arn, ciphertext: enc.ciphertext, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' })).plaintext, secret);

    run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsaenc.pem');
    run('pkcs8', '-topk8', '-nocrypt', '-in', 'rsaenc.pem', '-outform', 'DER', '-out', 'rsaenc.p8');
    run('pkey', '-in', 'rsaenc.pem', '-pubout', '-outform', 'DER', '-out', 'rsaenc.spki');
    const rk = await kms.createKey({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT', origin: 'EXTERNAL' });
    const params = await kms.getParametersForImport({ keyId: rk.keyId, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
    await kms.importKeyMaterial({ keyId: rk.keyId, importToken: params.importToken, encryptedKeyMaterial: opensslWrap('rsaenc', params), expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } });
    const oaep = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256'];
    const fromKms = await kms.encrypt({ keyRef: rk.keyId, plaintext: secret, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    writeFileSync(join(dir, 'rsaenc.ct'), fromKms.ciphertext);
    assert.deepEqual(new Uint8Array(run('pkeyutl', '-decrypt', '-inkey', 'rsaenc.pem', '-in', 'rsaenc.ct', ...oaep)), secret);
    writeFileSync(join(dir, 'secret.bin'), secret);
    run('pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', 'rsaenc.spki', '-in', 'secret.bin', '-out', 'to-kms.ct', ...oaep);
    const back = await kms.decrypt({ keyRef: rk.arn, ciphertext: new Uint8Array(readFileSync(join(dir, 'to-kms.ct'))), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    assert.deepEqual(back.plaintext, secret);
  });

  it('schedules and cancels deletion; the key comes back Disabled and can be enabled', async () => {
    const k = await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'AWS_KMS' });
    const s = await kms.scheduleKeyDeletion(k.keyId, 7);
    assert.equal(s.keyArn, k.arn);
    assert.equal(s.keyState, 'PendingDeletion');
    assert.equal(s.pendingWindowInDays, 7);
    assert.ok(s.deletionDate instanceof Date);
    assert.equal((await kms.describeKey(k.keyId)).keyState, 'PendingDeletion');
    assert.deepEqual(await kms.cancelKeyDeletion(k.keyId), { keyArn: k.arn });
    assert.equal((await kms.describeKey(k.keyId)).keyState, 'Disabled');
    await kms.enableKey(k.keyId);
    assert.equal((await kms.describeKey(k.keyId)).keyState, 'Enabled');
    await kms.disableKey(k.keyId);
    assert.equal((await kms.describeKey(k.keyId)).keyState, 'Disabled');
    await assert.rejects(kms.scheduleKeyDeletion(k.keyId, 3), { code: 'KMS_BAD_ARGUMENT' });
  });

  it('replicates a multi-Region EXTERNAL key; the replica is PendingImport in its Region and takes the same material', async () => {
    const primary = await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL', multiRegion: true });
    assert.match(primary.keyId, /^mrk-[0-9a-f]{32}$/);
    assert.equal(primary.multiRegionConfiguration?.multiRegionKeyType, 'PRIMARY');
    const { replicaKey } = await kms.replicateKey({ keyId: primary.keyId, replicaRegion: 'eu-west-1', description: 'replica' });
    assert.equal(replicaKey.keyId, primary.keyId);
    assert.equal(replicaKey.arn, `arn:aws:kms:eu-west-1:${account}:key/${primary.keyId}`);
    const eu = kms.forRegion('eu-west-1');
    try {
      assert.match(eu.target, /Region eu-west-1 \(forRegion\)/);
      const replica = await eu.describeKey(primary.keyId);
      assert.equal(replica.keyState, 'PendingImport');
      assert.equal(replica.multiRegionConfiguration?.multiRegionKeyType, 'REPLICA');
      const m = opensslP256('mrk');
      for (const port of [kms, eu]) {
        const params = await port.getParametersForImport({ keyId: primary.keyId, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_3072' });
        await port.importKeyMaterial({ keyId: primary.keyId, importToken: params.importToken, encryptedKeyMaterial: opensslWrap('mrk', params), expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } });
      }
      assert.deepEqual((await eu.getPublicKey(primary.keyId)).publicKey, m.spki);
      assert.deepEqual((await kms.getPublicKey(primary.keyId)).publicKey, m.spki);
    } finally {
      eu.destroy();
    }
  });

  it('takes credentials and Region from a profile through the standard AWS chain', async () => {
    const names = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION'];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    const c = server.credentials[0];
    writeFileSync(join(dir, 'credentials'), `[local]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n`);
    writeFileSync(join(dir, 'config'), '[profile local]\nregion = eu-west-2\n');
    for (const n of names) delete process.env[n];
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    const viaProfile = AwsKms.fromOptions({ kms: server.url, profile: 'local', env: {}, maxAttempts: 1 });
    try {
      assert.equal(viaProfile.target, `KMS endpoint ${server.url} (--kms), Region from profile local, profile local (--profile), credentials from the AWS chain`);
      const k = await viaProfile.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
      assert.equal(k.arn, `arn:aws:kms:eu-west-2:${c.accountId}:key/${k.keyId}`);
      assert.equal(await viaProfile.region(), 'eu-west-2');
      assert.ok(!viaProfile.target.includes(c.secretAccessKey) && !viaProfile.target.includes(c.accessKeyId));
    } finally {
      viaProfile.destroy();
      for (const n of names) {
        if (saved[n] === undefined) delete process.env[n];
        else process.env[n] = saved[n];
      }
    }
  });

  it('reports unknown credentials as KmsUnrecognizedClientError (authentication side)', async () => {
    const stranger = new AwsKms({
      target: kmsTargetFromOptions({ kms: server.url, region: REGION, env: {} }),
      credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'not-the-local-secret' },
      maxAttempts: 1,
    });
    try {
      await assert.rejects(stranger.listKeys(), (e: unknown) => {
        assert.ok(e instanceof KmsServiceError, String(e));
        assert.ok(e instanceof KmsUnrecognizedClientError, `${(e as KmsServiceError).awsName}: ${(e as Error).message}`);
        assert.equal(e.side, 'authentication');
        assert.ok(!e.message.includes('not-the-local-secret'));
        return true;
      });
    } finally {
      stranger.destroy();
    }
  });
});

describe('AwsKms: expired import token', () => {
  let server: Server;
  let kms: AwsKms;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hsm2kms-kms-exp-'));
    server = await startKmsServer({ host: '127.0.0.1', port: 0, tokenLifetimeMs: 0 });
    kms = adapter(server);
  });
  after(async () => {
    kms?.destroy();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps ExpiredImportTokenException to KmsExpiredImportTokenError with what to do', async () => {
    opensslP256('exp');
    const k = await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
    const params = await kms.getParametersForImport({ keyId: k.keyId, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_2048' });
    const wrapped = opensslWrap('exp', params);
    await assert.rejects(
      kms.importKeyMaterial({ keyId: k.keyId, importToken: params.importToken, encryptedKeyMaterial: wrapped, expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } }),
      (e: unknown) => {
        assert.ok(e instanceof KmsExpiredImportTokenError, String(e));
        assert.equal(e.code, 'KMS_EXPIRED_IMPORT_TOKEN');
        assert.equal(e.awsName, 'ExpiredImportTokenException');
        assert.equal(e.fault, 'client');
        assert.ok(e.message.startsWith('ImportKeyMaterial failed with ExpiredImportTokenException'), e.message);
        assert.ok(e.message.endsWith('; the import token expired; fetch new import parameters (hsm2kms kms params) and wrap again.'), e.message);
        return true;
      },
    );
    assert.equal((await kms.describeKey(k.keyId)).keyState, 'PendingImport');
  });
});
