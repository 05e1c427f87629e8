/**
 * ImportKeyMaterial failure rows of KMS-SPEC 1.3 (and 1.4, 1.6), each through @aws-sdk/client-kms: the exception
 * name, HTTP 400, AWS's message where recorded, and that a failed attempt leaves the key exactly as it was.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand, CreateKeyCommand, DecryptCommand, DeleteImportedKeyMaterialCommand, EnableKeyRotationCommand, DescribeKeyCommand, EncryptCommand,
  GetParametersForImportCommand, ImportKeyMaterialCommand, ListKeyRotationsCommand, RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand, type AlgorithmSpec, type ImportKeyMaterialCommandInput, type KeySpec, type KeyUsageType,
} from '@aws-sdk/client-kms';
import { asymmetricMaterial, DAY, importMaterial, rejectsKms, startTestKms, wrapMaterial, type TestKms } from './helpers.js';

let t: TestKms;
before(async () => { t = await startTestKms(); });
after(async () => { await t.close(); });

interface Key {
  KeyId: string;
  Arn: string;
}

async function external(spec: KeySpec = 'SYMMETRIC_DEFAULT', usage?: KeyUsageType): Promise<Key> {
  return (await t.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage, Origin: 'EXTERNAL' }))).KeyMetadata as Key;
}

async function metadata(keyId: string): Promise<unknown> {
  return (await t.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
}

async function params(keyId: string, algorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256') {
  const p = await t.kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: 'RSA_2048' }));
  return { token: p.ImportToken as Uint8Array, publicKey: p.PublicKey as Uint8Array, algorithm };
}

/** Runs a failing import and checks that DescribeKey is unchanged by it. */
async function failsUnchanged(keyId: string, input: Partial<ImportKeyMaterialCommandInput>, name: string, message?: string | RegExp) {
  const before_ = await metadata(keyId);
  await rejectsKms(t.kms.send(new ImportKeyMaterialCommand({ KeyId: keyId, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ...input } as ImportKeyMaterialCommandInput)), name, message);
  assert.deepEqual(await metadata(keyId), before_, 'a failed import leaves the key unchanged');
}

describe('ImportKeyMaterial failures (KMS-SPEC 1.3)', () => {
  it('#1 unknown and malformed key ids', async () => {
    const k = await external();
    const p = await params(k.KeyId);
    const id = randomUUID();
    const send = (KeyId: string) => t.kms.send(new ImportKeyMaterialCommand({
      KeyId, ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, randomBytes(32)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }));
    await rejectsKms(send(id), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:111122223333:key/${id}' does not exist`);
    await rejectsKms(send('not-a-key'), 'NotFoundException', "Invalid keyId 'not-a-key'");
    // Import operations take a key ID or key ARN only, not an alias, even one that exists (KMS-SPEC 4).
    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/import-target', TargetKeyId: k.KeyId }));
    for (const alias of ['alias/import-target', 'arn:aws:kms:us-east-1:111122223333:alias/import-target']) {
      await failsUnchanged(k.KeyId, { KeyId: alias, ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, randomBytes(32)) },
        'NotFoundException', `Invalid keyId '${alias}'`);
      await rejectsKms(t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: alias })), 'NotFoundException', `Invalid keyId '${alias}'`);
    }
  });

  it('#2 AWS_KMS origin, #3 pending deletion', async () => {
    const kmsKey = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata as Key;
    const k = await external();
    const p = await params(k.KeyId);
    const input = { ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, randomBytes(32)) };
    await failsUnchanged(kmsKey.KeyId, input, 'UnsupportedOperationException', `${kmsKey.Arn} origin is AWS_KMS which is not valid for this operation.`);
    await rejectsKms(t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: kmsKey.KeyId })),
      'UnsupportedOperationException', `${kmsKey.Arn} origin is AWS_KMS which is not valid for this operation.`);
    await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 7 }));
    await failsUnchanged(k.KeyId, input, 'KMSInvalidStateException', `${k.Arn} is pending deletion.`);
    await rejectsKms(t.kms.send(new GetParametersForImportCommand({ KeyId: k.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })),
      'KMSInvalidStateException', `${k.Arn} is pending deletion.`);
  });

  it('#4 ExpirationModel omitted without ValidTo is refused before the token is used; the same token then works', async () => {
    const k = await external();
    const p = await params(k.KeyId);
    const blob = wrapMaterial(p.publicKey, p.algorithm, randomBytes(32));
    const before_ = await metadata(k.KeyId);
    await rejectsKms(t.kms.send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: p.token, EncryptedKeyMaterial: blob })),
      'ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
    await rejectsKms(t.kms.send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: p.token, EncryptedKeyMaterial: blob, ExpirationModel: 'KEY_MATERIAL_EXPIRES' })),
      'ValidationException', 'A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
    assert.deepEqual(await metadata(k.KeyId), before_);
    await t.kms.send(new ImportKeyMaterialCommand({ KeyId: k.KeyId, ImportToken: p.token, EncryptedKeyMaterial: blob, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
  });

  it('#5 DOES_NOT_EXPIRE with ValidTo, #6 ValidTo in the past or more than 365 days ahead', async () => {
    const k = await external();
    const p = await params(k.KeyId);
    const blob = wrapMaterial(p.publicKey, p.algorithm, randomBytes(32));
    const base = { ImportToken: p.token, EncryptedKeyMaterial: blob };
    await failsUnchanged(k.KeyId, { ...base, ValidTo: new Date(t.now() + DAY) }, 'ValidationException', /must not be set/);
    await failsUnchanged(k.KeyId, { ...base, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(t.now() - 60_000) }, 'ValidationException', /future/);
    await failsUnchanged(k.KeyId, { ...base, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(t.now() + 366 * DAY) }, 'ValidationException', /365 days/);
  });

  it('#7 garbage, tampered and other-key tokens are InvalidImportTokenException', async () => {
    const k = await external();
    const other = await external();
    const p = await params(k.KeyId);
    const q = await params(other.KeyId);
    const material = randomBytes(32);
    const tampered = Buffer.from(p.token);
    tampered[tampered.length - 3] ^= 1;
    for (const token of [randomBytes(200), tampered, q.token, Buffer.from([1])]) {
      await failsUnchanged(k.KeyId, { ImportToken: token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, material) },
        'InvalidImportTokenException', `The import token is not valid for ${k.Arn}: use the ImportToken that GetParametersForImport returned for this key.`);
    }
    // The other key's token with material wrapped for the other key: still refused for this key.
    await failsUnchanged(k.KeyId, { ImportToken: q.token, EncryptedKeyMaterial: wrapMaterial(q.publicKey, q.algorithm, material) }, 'InvalidImportTokenException');
  });

  it('#8 an expired token is ExpiredImportTokenException', async () => {
    const k = await external();
    const p = await params(k.KeyId);
    t.advance(DAY + 1000);
    await failsUnchanged(k.KeyId, { ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, randomBytes(32)) },
      'ExpiredImportTokenException', /^The import token expired at \d{4}-\d\d-\d\dT/);
  });

  it('#9 blobs that do not unwrap are InvalidCiphertextException (wrong key, wrong hash, tampered, garbage, wrong size)', async () => {
    const k = await external();
    const other = await external();
    const material = randomBytes(32);
    const oaep256 = await params(k.KeyId, 'RSAES_OAEP_SHA_256');
    const wrapped = await params(k.KeyId, 'RSA_AES_KEY_WRAP_SHA_256');
    const foreign = await params(other.KeyId, 'RSAES_OAEP_SHA_256');
    const tamperedKwp = wrapMaterial(wrapped.publicKey, 'RSA_AES_KEY_WRAP_SHA_256', material);
    tamperedKwp[tamperedKwp.length - 1] ^= 0x80;
    const cases: Array<[Uint8Array, Uint8Array, RegExp]> = [
      [oaep256.token, wrapMaterial(foreign.publicKey, 'RSAES_OAEP_SHA_256', material), /cannot be unwrapped with the RSAES_OAEP_SHA_256 wrapping key/],
      [oaep256.token, wrapMaterial(oaep256.publicKey, 'RSAES_OAEP_SHA_1', material), /cannot be unwrapped/],
      [wrapped.token, wrapMaterial(wrapped.publicKey, 'RSA_AES_KEY_WRAP_SHA_1', material), /cannot be unwrapped/],
      [wrapped.token, tamperedKwp, /cannot be unwrapped/],
      [wrapped.token, wrapMaterial(wrapped.publicKey, 'RSAES_OAEP_SHA_256', material), /RSA_AES_KEY_WRAP needs 256 bytes/],
      [oaep256.token, randomBytes(256), /cannot be unwrapped/],
      [oaep256.token, randomBytes(255), /255 bytes, not the 256 bytes/],
    ];
    for (const [token, blob, message] of cases) {
      await failsUnchanged(k.KeyId, { ImportToken: token, EncryptedKeyMaterial: blob }, 'InvalidCiphertextException', message);
    }
  });

  it('#10 material that does not fit the key spec is IncorrectKeyMaterialException', async () => {
    const p256 = asymmetricMaterial('ECC_NIST_P256');
    const p384 = asymmetricMaterial('ECC_NIST_P384');
    // A P-256 PKCS#8 whose embedded public key belongs to another private key.
    const mismatched = Buffer.from(p256.pkcs8);
    const otherPoint = asymmetricMaterial('ECC_NIST_P256').pkcs8.subarray(-64);
    mismatched.set(otherPoint, mismatched.length - 64);
    const rsa2048 = asymmetricMaterial('RSA_2048');
    const cases: Array<[KeySpec, KeyUsageType | undefined, Uint8Array, AlgorithmSpec, RegExp]> = [
      ['SYMMETRIC_DEFAULT', undefined, randomBytes(31), 'RSAES_OAEP_SHA_256', /SYMMETRIC_DEFAULT KMS key: it is 31 bytes/],
      ['SYMMETRIC_DEFAULT', undefined, randomBytes(33), 'RSAES_OAEP_SHA_1', /it is 33 bytes/],
      ['HMAC_224', 'GENERATE_VERIFY_MAC', randomBytes(27), 'RSAES_OAEP_SHA_256', /HMAC_224 key material is 28 to 64 bytes/],
      ['HMAC_256', 'GENERATE_VERIFY_MAC', randomBytes(65), 'RSAES_OAEP_SHA_256', /it is 65 bytes/],
      ['HMAC_512', 'GENERATE_VERIFY_MAC', randomBytes(129), 'RSA_AES_KEY_WRAP_SHA_256', /it is 129 bytes/],
      ['ECC_NIST_P256', 'SIGN_VERIFY', p384.pkcs8, 'RSAES_OAEP_SHA_256', /secp384r1, but the KMS key spec needs an EC key on prime256v1/],
      ['ECC_NIST_P256', 'SIGN_VERIFY', randomBytes(138), 'RSAES_OAEP_SHA_256', /not a valid, self-consistent DER PKCS#8/],
      ['ECC_NIST_P256', 'SIGN_VERIFY', mismatched, 'RSAES_OAEP_SHA_256', /PUBLIC_KEY_MISMATCH/],
      ['ECC_NIST_P256', 'SIGN_VERIFY', Buffer.concat([p256.pkcs8, Buffer.of(0)]), 'RSAES_OAEP_SHA_256', /not a valid/],
      ['ECC_NIST_P256', 'SIGN_VERIFY', rsa2048.pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', /RSA 2048-bit key/],
      ['RSA_3072', 'SIGN_VERIFY', rsa2048.pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', /needs an RSA 3072-bit key/],
      ['RSA_2048', 'SIGN_VERIFY', p256.pkcs8, 'RSAES_OAEP_SHA_256', /EC key on prime256v1/],
      ['ECC_SECG_P256K1', 'SIGN_VERIFY', p256.pkcs8, 'RSAES_OAEP_SHA_256', /needs an EC key on secp256k1/],
    ];
    for (const [spec, usage, material, alg, message] of cases) {
      const k = await external(spec, usage);
      const p = await params(k.KeyId, alg);
      await failsUnchanged(k.KeyId, { ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, alg, material) },
        'IncorrectKeyMaterialException', message);
    }
    assert.ok(createPrivateKey({ key: mismatched, format: 'der', type: 'pkcs8' }), 'OpenSSL alone would have loaded the mismatched key');
  });

  it('#11 different material after a first import (asymmetric, HMAC, symmetric EXISTING)', async () => {
    const ec = await external('ECC_NIST_P256', 'SIGN_VERIFY');
    await importMaterial(t.kms, ec.KeyId, asymmetricMaterial('ECC_NIST_P256').pkcs8);
    await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: ec.KeyId }));
    const p = await params(ec.KeyId);
    await failsUnchanged(ec.KeyId, { ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, asymmetricMaterial('ECC_NIST_P256').pkcs8) },
      'IncorrectKeyMaterialException', `The key material does not match the key material previously imported into ${ec.Arn}; import the same key material.`);

    const mac = await external('HMAC_256', 'GENERATE_VERIFY_MAC');
    await importMaterial(t.kms, mac.KeyId, randomBytes(32));
    const q = await params(mac.KeyId);
    await failsUnchanged(mac.KeyId, { ImportToken: q.token, EncryptedKeyMaterial: wrapMaterial(q.publicKey, q.algorithm, randomBytes(32)) }, 'IncorrectKeyMaterialException');

    const sym = await external();
    await importMaterial(t.kms, sym.KeyId, randomBytes(32));
    const r = await params(sym.KeyId);
    await failsUnchanged(sym.KeyId, { ImportToken: r.token, EncryptedKeyMaterial: wrapMaterial(r.publicKey, r.algorithm, randomBytes(32)) },
      'IncorrectKeyMaterialException', /does not match the key material [0-9a-f]{64}/);
    await failsUnchanged(sym.KeyId, { ImportToken: r.token, EncryptedKeyMaterial: wrapMaterial(r.publicKey, r.algorithm, randomBytes(32)), ImportType: 'EXISTING_KEY_MATERIAL' },
      'IncorrectKeyMaterialException');
  });

  it('#12-#14 and RotateKeyOnDemand: pending rotation, duplicate NEW material, symmetric-only members', async () => {
    const k = await external();
    const m1 = randomBytes(32);
    const m2 = randomBytes(32);
    const id1 = (await importMaterial(t.kms, k.KeyId, m1)).KeyMaterialId as string;
    const c1 = await t.kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('one') }));

    await rejectsKms(t.kms.send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId })),
      'KMSInvalidStateException', `No available key material pending rotation for the key: ${k.Arn}.`);
    const p = await params(k.KeyId);
    await failsUnchanged(k.KeyId, { ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, m1), ImportType: 'NEW_KEY_MATERIAL' },
      'IncorrectKeyMaterialException', /already associated/);
    await failsUnchanged(k.KeyId, { ImportToken: p.token, EncryptedKeyMaterial: wrapMaterial(p.publicKey, p.algorithm, m2), ImportType: 'NEW_KEY_MATERIAL', KeyMaterialId: id1 },
      'ValidationException', /KeyMaterialId cannot be used with ImportType NEW_KEY_MATERIAL/);

    const id2 = (await importMaterial(t.kms, k.KeyId, m2, 'RSAES_OAEP_SHA_256', 'RSA_2048', { ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'second one' })).KeyMaterialId as string;
    assert.notEqual(id2, id1);
    assert.equal(((await metadata(k.KeyId)) as { CurrentKeyMaterialId: string }).CurrentKeyMaterialId, id1, 'pending material is not current yet');

    const m3 = randomBytes(32);
    const q = await params(k.KeyId);
    const before_ = await metadata(k.KeyId);
    await assert.rejects(t.kms.send(new ImportKeyMaterialCommand({
      KeyId: k.KeyId, ImportToken: q.token, EncryptedKeyMaterial: wrapMaterial(q.publicKey, q.algorithm, m3), ImportType: 'NEW_KEY_MATERIAL', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    })), (err: Error) => {
      assert.equal(err.name, 'KMSInvalidStateException');
      assert.match(err.message, new RegExp(`^New key material \\(id: [0-9a-f]{64}\\) cannot be imported into KMS key ${k.Arn}, because another key material \\(id: ${id2}\\) is pending rotation\\.$`));
      return true;
    });
    assert.deepEqual(await metadata(k.KeyId), before_);

    const rotations = await t.kms.send(new ListKeyRotationsCommand({ KeyId: k.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
    assert.deepEqual(rotations.Rotations?.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState]), [[id1, 'CURRENT', 'IMPORTED'], [id2, 'PENDING_ROTATION', 'IMPORTED']]);
    assert.equal(rotations.Rotations?.[1].KeyMaterialDescription, 'second one');

    assert.equal((await t.kms.send(new RotateKeyOnDemandCommand({ KeyId: k.KeyId }))).KeyId, k.Arn);
    assert.equal(((await metadata(k.KeyId)) as { CurrentKeyMaterialId: string }).CurrentKeyMaterialId, id2);
    const old = await t.kms.send(new DecryptCommand({ CiphertextBlob: c1.CiphertextBlob }));
    assert.equal(Buffer.from(old.Plaintext as Uint8Array).toString(), 'one');
    assert.equal(old.KeyMaterialId, id1);
    const c2 = await t.kms.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('two') }));
    assert.equal((await t.kms.send(new DecryptCommand({ CiphertextBlob: c2.CiphertextBlob }))).KeyMaterialId, id2);
    const after_ = await t.kms.send(new ListKeyRotationsCommand({ KeyId: k.KeyId }));
    assert.deepEqual(after_.Rotations?.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.RotationType]), [[id2, 'CURRENT', 'ON_DEMAND']]);

    // Re-import of the non-current material by id.
    await importMaterial(t.kms, k.KeyId, m1, 'RSAES_OAEP_SHA_256', 'RSA_2048', { ImportType: 'EXISTING_KEY_MATERIAL', KeyMaterialId: id1 });

    const ec = await external('ECC_NIST_P256', 'SIGN_VERIFY');
    const e = await params(ec.KeyId);
    const blob = wrapMaterial(e.publicKey, e.algorithm, asymmetricMaterial('ECC_NIST_P256').pkcs8);
    await failsUnchanged(ec.KeyId, { ImportToken: e.token, EncryptedKeyMaterial: blob, ImportType: 'NEW_KEY_MATERIAL' }, 'ValidationException', /only to SYMMETRIC_DEFAULT keys/);
    await failsUnchanged(ec.KeyId, { ImportToken: e.token, EncryptedKeyMaterial: blob, KeyMaterialDescription: 'x' }, 'ValidationException', /only to SYMMETRIC_DEFAULT keys/);
    await rejectsKms(t.kms.send(new RotateKeyOnDemandCommand({ KeyId: ec.KeyId })), 'UnsupportedOperationException');

    const empty = await external();
    await rejectsKms(t.kms.send(new RotateKeyOnDemandCommand({ KeyId: empty.KeyId })), 'KMSInvalidStateException', `${empty.Arn} is pending import.`);
    const del = await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: empty.KeyId }));
    assert.equal(del.KeyId, empty.Arn);
    assert.equal(((await metadata(empty.KeyId)) as { KeyState: string }).KeyState, 'PendingImport');
  });

  it('EnableKeyRotation: UnsupportedOperationException for EXTERNAL keys in any state (KMS-SPEC 1.6), asymmetric and HMAC keys', async () => {
    const k = await external();
    const refused = (keyId: string, message: string | RegExp) =>
      rejectsKms(t.kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), 'UnsupportedOperationException', message);
    await refused(k.KeyId, `${k.Arn} origin is EXTERNAL which is not valid for this operation.`);
    await importMaterial(t.kms, k.KeyId, randomBytes(32));
    await refused(k.KeyId, `${k.Arn} origin is EXTERNAL which is not valid for this operation.`);
    await rejectsKms(t.kms.send(new EnableKeyRotationCommand({ KeyId: k.KeyId, RotationPeriodInDays: 89 })), 'ValidationException',
      "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90");
    const ec = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata as Key;
    await refused(ec.KeyId, /ECC_NIST_P256 key; automatic key rotation works only for symmetric encryption keys/);
    // This server never rotates by itself, and says so for AWS_KMS symmetric keys too (server README).
    const generated = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata as Key;
    await refused(generated.KeyId, /does not rotate keys automatically; rotate .* with RotateKeyOnDemand instead\.$/);
  });

  it('an imported key in PendingDeletion: material deletion allowed, state stays PendingDeletion', async () => {
    const k = await external();
    await importMaterial(t.kms, k.KeyId, randomBytes(32));
    await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 7 }));
    await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: k.KeyId }));
    const md = (await metadata(k.KeyId)) as { KeyState: string; ExpirationModel?: string };
    assert.equal(md.KeyState, 'PendingDeletion');
    assert.equal(md.ExpirationModel, undefined);
  });
});
