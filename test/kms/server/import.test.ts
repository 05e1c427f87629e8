/**
 * Import flow (KMS-SPEC 1.1-1.5, 2) through @aws-sdk/client-kms: every key spec with Origin EXTERNAL, wrapped in the
 * test with node:crypto by every wrapping algorithm, then used (Sign checked by node:crypto against the public key
 * we derived ourselves, MACs against node's HMAC, RSA encryption with node's OAEP); DescribeKey fields before,
 * after import and after DeleteImportedKeyMaterial; expiry; KeyMaterialId rules; multi-Region replicas.
 */
import assert from 'node:assert/strict';
import { constants, createHash, createHmac, createPublicKey, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, DeleteImportedKeyMaterialCommand, DescribeKeyCommand, EncryptCommand,
  GenerateMacCommand, GetParametersForImportCommand, GetPublicKeyCommand, ImportKeyMaterialCommand, ReplicateKeyCommand,
  SignCommand, type AlgorithmSpec, type SigningAlgorithmSpec, type KeySpec, type KeyUsageType, type MacAlgorithmSpec, type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { asymmetricMaterial, DAY, HOUR, importMaterial, rejectsKms, startTestKms, wrapMaterial, type TestKms } from './helpers.js';

let t: TestKms;
before(async () => { t = await startTestKms(); });
after(async () => { await t.close(); });

async function createExternal(spec: KeySpec, usage?: KeyUsageType, kms = t.kms): Promise<string> {
  const out = await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage, Origin: 'EXTERNAL' }));
  return out.KeyMetadata?.KeyId as string;
}

async function describe_(keyId: string, kms = t.kms) {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata as unknown as Record<string, unknown>;
}

const HEX64 = /^[0-9a-f]{64}$/;

describe('GetParametersForImport', () => {
  it('returns the key ARN, an RSA SPKI of the requested size, a fresh token each call, valid for 24 hours', async () => {
    const keyId = await createExternal('ECC_NIST_P256', 'SIGN_VERIFY');
    const md = await describe_(keyId);
    for (const [spec, bits] of [['RSA_2048', 2048], ['RSA_3072', 3072], ['RSA_4096', 4096]] as const) {
      const before_ = t.now();
      const a = await t.kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: spec }));
      const b = await t.kms.send(new GetParametersForImportCommand({ KeyId: md.Arn as string, WrappingAlgorithm: 'RSAES_OAEP_SHA_1', WrappingKeySpec: spec }));
      assert.equal(a.KeyId, md.Arn);
      assert.equal(b.KeyId, md.Arn);
      const pub = createPublicKey({ key: Buffer.from(a.PublicKey as Uint8Array), format: 'der', type: 'spki' });
      assert.equal(pub.asymmetricKeyType, 'rsa');
      assert.equal(pub.asymmetricKeyDetails?.modulusLength, bits);
      assert.notDeepEqual(Buffer.from(a.ImportToken as Uint8Array), Buffer.from(b.ImportToken as Uint8Array));
      assert.ok((a.ImportToken as Uint8Array).length <= 6144);
      const validTo = (a.ParametersValidTo as Date).getTime();
      assert.ok(validTo >= before_ + DAY - 1000 && validTo <= t.now() + DAY + 1000, 'ParametersValidTo = now + 24 h');
    }
  });

  it('refuses AWS_KMS keys, pending deletion, PKCS1 v1.5 and SM2, unknown enums and aliases', async () => {
    const kmsKey = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata as { KeyId: string; Arn: string };
    await rejectsKms(t.kms.send(new GetParametersForImportCommand({ KeyId: kmsKey.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })),
      'UnsupportedOperationException', `${kmsKey.Arn} origin is AWS_KMS which is not valid for this operation.`);
    const keyId = await createExternal('SYMMETRIC_DEFAULT');
    await rejectsKms(t.kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_PKCS1_V1_5', WrappingKeySpec: 'RSA_2048' })),
      'ValidationException', /RSAES_PKCS1_V1_5/);
    await rejectsKms(t.kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'SM2PKE', WrappingKeySpec: 'SM2' })),
      'ValidationException', /China/);
    await rejectsKms(t.kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSA_OAEP' as AlgorithmSpec, WrappingKeySpec: 'RSA_2048' })),
      'ValidationException', /^1 validation error detected: Value 'RSA_OAEP' at 'wrappingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    await rejectsKms(t.kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_1024' as WrappingKeySpec })),
      'ValidationException', /Value 'RSA_1024' at 'wrappingKeySpec'/);
    await rejectsKms(t.kms.send(new GetParametersForImportCommand({ KeyId: 'alias/whatever', WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })),
      'NotFoundException', "Invalid keyId 'alias/whatever'");
  });
});

describe('ImportKeyMaterial, every key spec', () => {
  it('SYMMETRIC_DEFAULT with every wrapping algorithm: fields before, after, after deletion', async () => {
    const cases: Array<[AlgorithmSpec, WrappingKeySpec]> = [
      ['RSAES_OAEP_SHA_1', 'RSA_2048'], ['RSAES_OAEP_SHA_256', 'RSA_3072'],
      ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048'], ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048'],
    ];
    for (const [alg, spec] of cases) {
      const keyId = await createExternal('SYMMETRIC_DEFAULT');
      const fresh = await describe_(keyId);
      assert.equal(fresh.Origin, 'EXTERNAL');
      assert.equal(fresh.KeyState, 'PendingImport');
      assert.equal(fresh.Enabled, false);
      assert.equal(fresh.KeyUsage, 'ENCRYPT_DECRYPT');
      assert.deepEqual(fresh.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
      for (const absent of ['ExpirationModel', 'ValidTo', 'CurrentKeyMaterialId']) assert.equal(fresh[absent], undefined, absent);

      const material = randomBytes(32);
      const out = await importMaterial(t.kms, keyId, material, alg, spec);
      assert.equal(out.KeyId, fresh.Arn);
      assert.match(out.KeyMaterialId as string, HEX64);
      const md = await describe_(keyId);
      assert.equal(md.KeyState, 'Enabled');
      assert.equal(md.Enabled, true);
      assert.equal(md.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
      assert.equal(md.ValidTo, undefined);
      assert.equal(md.CurrentKeyMaterialId, out.KeyMaterialId);

      const plaintext = Buffer.from(`secret for ${alg}`);
      const ct = await t.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
      const pt = await t.kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }));
      assert.deepEqual(Buffer.from(pt.Plaintext as Uint8Array), plaintext);
      assert.equal(pt.KeyMaterialId, out.KeyMaterialId);

      const del = await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
      assert.equal(del.KeyId, fresh.Arn);
      const gone = await describe_(keyId);
      assert.equal(gone.KeyState, 'PendingImport');
      assert.equal(gone.Enabled, false);
      assert.equal(gone.ExpirationModel, undefined);
      assert.equal(gone.ValidTo, undefined);
      assert.equal(gone.CurrentKeyMaterialId, out.KeyMaterialId, 'CurrentKeyMaterialId is kept after deletion');
      await rejectsKms(t.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })), 'KMSInvalidStateException', `${fresh.Arn} is pending import.`);
      await rejectsKms(t.kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob })), 'KMSInvalidStateException', `${fresh.Arn} is pending import.`);

      // Restore = the same material again; old ciphertexts decrypt again.
      const again = await importMaterial(t.kms, keyId, material, 'RSAES_OAEP_SHA_256', 'RSA_2048');
      assert.equal(again.KeyMaterialId, out.KeyMaterialId);
      const pt2 = await t.kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }));
      assert.deepEqual(Buffer.from(pt2.Plaintext as Uint8Array), plaintext);
    }
  });

  it('HMAC_224/256/384/512 at both ends of their length ranges; GenerateMac equals node HMAC', async () => {
    const specs: Array<[KeySpec, MacAlgorithmSpec, string, number, number]> = [
      ['HMAC_224', 'HMAC_SHA_224', 'sha224', 28, 64], ['HMAC_256', 'HMAC_SHA_256', 'sha256', 32, 64],
      ['HMAC_384', 'HMAC_SHA_384', 'sha384', 48, 128], ['HMAC_512', 'HMAC_SHA_512', 'sha512', 64, 128],
    ];
    for (const [spec, alg, hash, min, max] of specs) {
      for (const [len, wrapAlg] of [[min, 'RSAES_OAEP_SHA_256'], [max, 'RSA_AES_KEY_WRAP_SHA_256']] as const) {
        const keyId = await createExternal(spec, 'GENERATE_VERIFY_MAC');
        const fresh = await describe_(keyId);
        assert.deepEqual(fresh.MacAlgorithms, [alg]);
        const material = randomBytes(len);
        const out = await importMaterial(t.kms, keyId, material, wrapAlg, 'RSA_2048');
        assert.equal(out.KeyMaterialId, undefined, 'no KeyMaterialId for HMAC keys');
        const md = await describe_(keyId);
        assert.equal(md.KeyState, 'Enabled');
        assert.equal(md.CurrentKeyMaterialId, undefined);
        const message = Buffer.from('mac me');
        const mac = await t.kms.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: alg }));
        assert.deepEqual(Buffer.from(mac.Mac as Uint8Array), createHmac(hash, material).update(message).digest(), `${spec} ${len}`);
      }
    }
  });

  it('ECC P-256/P-384/P-521/secp256k1: GetPublicKey is our SPKI byte for byte, signatures verify with node', async () => {
    const cases: Array<[KeySpec, AlgorithmSpec, WrappingKeySpec, string]> = [
      ['ECC_NIST_P256', 'RSAES_OAEP_SHA_256', 'RSA_2048', 'sha256'],
      ['ECC_SECG_P256K1', 'RSAES_OAEP_SHA_1', 'RSA_2048', 'sha256'],
      ['ECC_NIST_P384', 'RSAES_OAEP_SHA_1', 'RSA_2048', 'sha384'],
      ['ECC_NIST_P521', 'RSAES_OAEP_SHA_256', 'RSA_3072', 'sha512'],
      ['ECC_NIST_P521', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048', 'sha512'],
      ['ECC_NIST_P256', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048', 'sha256'],
    ];
    for (const [spec, alg, wrapSpec, hash] of cases) {
      const keyId = await createExternal(spec, 'SIGN_VERIFY');
      const { pkcs8, spki } = asymmetricMaterial(spec);
      const out = await importMaterial(t.kms, keyId, pkcs8, alg, wrapSpec);
      assert.equal(out.KeyMaterialId, undefined);
      const pub = await t.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      assert.deepEqual(Buffer.from(pub.PublicKey as Uint8Array), spki, `${spec} SPKI`);
      assert.equal(pub.KeySpec, spec);
      assert.equal(pub.KeyUsage, 'SIGN_VERIFY');
      const signingAlg = `ECDSA_SHA_${hash.slice(3)}` as SigningAlgorithmSpec;
      assert.deepEqual(pub.SigningAlgorithms, [signingAlg]);
      const message = Buffer.from(`message for ${spec}`);
      const sig = await t.kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: signingAlg }));
      const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      assert.ok(verify(hash, message, { key, dsaEncoding: 'der' }, Buffer.from(sig.Signature as Uint8Array)), `${spec} signature`);
      const md = await describe_(keyId);
      assert.equal(md.KeyState, 'Enabled');
      assert.equal(md.CurrentKeyMaterialId, undefined);
    }
  });

  it('an EC PKCS#8 without the optional public key imports and yields the same SPKI', async () => {
    const { pkcs8, spki } = asymmetricMaterial('ECC_NIST_P256');
    // OpenSSL's P-256 PKCS#8 is 138 bytes with the [1] publicKey; rebuild it without (RFC 5915 makes it optional).
    const d = pkcs8.subarray(36, 68);
    const stripped = Buffer.concat([Buffer.from('3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex'), d]);
    assert.equal(stripped.length, 67);
    const keyId = await createExternal('ECC_NIST_P256', 'SIGN_VERIFY');
    await importMaterial(t.kms, keyId, stripped);
    const pub = await t.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    assert.deepEqual(Buffer.from(pub.PublicKey as Uint8Array), spki);
  });

  it('RSA 2048/3072/4096 SIGN_VERIFY and RSA_4096 ENCRYPT_DECRYPT via RSA_AES_KEY_WRAP', async () => {
    const cases = [
      ['RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048'], ['RSA_3072', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048'],
      ['RSA_4096', 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_4096'],
    ] as const;
    for (const [spec, alg, wrapSpec] of cases) {
      const keyId = await createExternal(spec, 'SIGN_VERIFY');
      const { pkcs8, spki } = asymmetricMaterial(spec);
      await importMaterial(t.kms, keyId, pkcs8, alg, wrapSpec);
      const pub = await t.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      assert.deepEqual(Buffer.from(pub.PublicKey as Uint8Array), spki);
      assert.deepEqual(pub.SigningAlgorithms, [
        'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
        'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
      ]);
      const message = Buffer.from('rsa message');
      const sig = await t.kms.send(new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }));
      const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      assert.ok(verify('sha256', message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(sig.Signature as Uint8Array)));
    }
    const keyId = await createExternal('RSA_4096', 'ENCRYPT_DECRYPT');
    const { pkcs8, spki } = asymmetricMaterial('RSA_4096');
    await importMaterial(t.kms, keyId, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048');
    const md = await describe_(keyId);
    assert.deepEqual(md.EncryptionAlgorithms, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    const ct = publicEncrypt({ key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('to kms'));
    const pt = await t.kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: ct, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    assert.equal(Buffer.from(pt.Plaintext as Uint8Array).toString(), 'to kms');
  });

  it('ECC key with KEY_AGREEMENT usage imports', async () => {
    const keyId = await createExternal('ECC_NIST_P384', 'KEY_AGREEMENT');
    await importMaterial(t.kms, keyId, asymmetricMaterial('ECC_NIST_P384').pkcs8);
    const md = await describe_(keyId);
    assert.equal(md.KeyState, 'Enabled');
    assert.deepEqual(md.KeyAgreementAlgorithms, ['ECDH']);
  });

  it('asymmetric keys: DescribeKey after deletion, re-import of the same material restores the same public key', async () => {
    const keyId = await createExternal('ECC_NIST_P256', 'SIGN_VERIFY');
    const { pkcs8, spki } = asymmetricMaterial('ECC_NIST_P256');
    await importMaterial(t.kms, keyId, pkcs8);
    await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
    const md = await describe_(keyId);
    assert.equal(md.KeyState, 'PendingImport');
    assert.equal(md.ExpirationModel, undefined);
    assert.equal(md.CurrentKeyMaterialId, undefined);
    await rejectsKms(t.kms.send(new GetPublicKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException', `${md.Arn} is pending import.`);
    await importMaterial(t.kms, keyId, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048');
    const pub = await t.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    assert.deepEqual(Buffer.from(pub.PublicKey as Uint8Array), spki);
  });
});

describe('expiry and re-import', () => {
  it('ValidTo: shown while imported, re-import of the same material changes it, expiry returns the key to PendingImport', async () => {
    const keyId = await createExternal('ECC_NIST_P256', 'SIGN_VERIFY');
    const { pkcs8 } = asymmetricMaterial('ECC_NIST_P256');
    const validTo = new Date(Math.floor((t.now() + 2 * HOUR) / 1000) * 1000);
    await importMaterial(t.kms, keyId, pkcs8, 'RSAES_OAEP_SHA_256', 'RSA_2048', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo });
    let md = await describe_(keyId);
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal((md.ValidTo as Date).getTime(), validTo.getTime());

    const later = new Date(validTo.getTime() + HOUR);
    await importMaterial(t.kms, keyId, pkcs8, 'RSAES_OAEP_SHA_256', 'RSA_2048', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: later });
    md = await describe_(keyId);
    assert.equal((md.ValidTo as Date).getTime(), later.getTime());
    await importMaterial(t.kms, keyId, pkcs8);
    md = await describe_(keyId);
    assert.equal(md.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(md.ValidTo, undefined);

    await importMaterial(t.kms, keyId, pkcs8, 'RSAES_OAEP_SHA_256', 'RSA_2048', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo });
    t.advance(2 * HOUR + 1000);
    md = await describe_(keyId);
    assert.equal(md.KeyState, 'PendingImport');
    assert.equal(md.Enabled, false);
    assert.equal(md.ExpirationModel, undefined);
    assert.equal(md.ValidTo, undefined);
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('x'), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'KMSInvalidStateException', `${md.Arn} is pending import.`);
  });

  it('KeyMaterialId: same key and material give the same id, the same material in another key another id', async () => {
    const material = randomBytes(32);
    const a = await createExternal('SYMMETRIC_DEFAULT');
    const b = await createExternal('SYMMETRIC_DEFAULT');
    const idA1 = (await importMaterial(t.kms, a, material)).KeyMaterialId;
    const idA2 = (await importMaterial(t.kms, a, material, 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048')).KeyMaterialId;
    const idB = (await importMaterial(t.kms, b, material)).KeyMaterialId;
    assert.equal(idA1, idA2);
    assert.notEqual(idA1, idB);
  });

  it('a token may be reused for the same key within its validity; a token issued 24 hours ago has expired', async () => {
    const keyId = await createExternal('HMAC_256', 'GENERATE_VERIFY_MAC');
    const material = randomBytes(32);
    const p = await t.kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    const send = () => t.kms.send(new ImportKeyMaterialCommand({
      KeyId: keyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapMaterial(p.PublicKey as Uint8Array, 'RSAES_OAEP_SHA_256', material),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }));
    await send();
    t.advance(DAY - 60_000);
    await send();
    t.advance(60_000);
    await rejectsKms(send(), 'ExpiredImportTokenException', /^The import token expired at /);
  });
});

describe('multi-Region keys with imported material', () => {
  it('replica: mrk- id, Creating then PendingImport, only the primary material imports, signatures agree', async () => {
    const created = await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL', MultiRegion: true }));
    const primary = created.KeyMetadata as { KeyId: string; Arn: string; MultiRegion: boolean; MultiRegionConfiguration: unknown };
    assert.match(primary.KeyId, /^mrk-[0-9a-f]{32}$/);
    assert.equal(primary.MultiRegion, true);
    assert.deepEqual(primary.MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: primary.Arn, Region: 'us-east-1' }, ReplicaKeys: [],
    });
    const { pkcs8, spki } = asymmetricMaterial('ECC_NIST_P256');
    await importMaterial(t.kms, primary.KeyId, pkcs8);

    const rep = await t.kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1', Description: 'replica' }));
    const replicaArn = primary.Arn.replace('us-east-1', 'eu-west-1');
    assert.equal(rep.ReplicaKeyMetadata?.KeyState, 'Creating');
    assert.equal(rep.ReplicaKeyMetadata?.Arn, replicaArn);
    assert.equal(rep.ReplicaKeyMetadata?.Origin, 'EXTERNAL');
    assert.equal(typeof rep.ReplicaPolicy, 'string');
    await rejectsKms(t.kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' })), 'AlreadyExistsException');

    const eu = t.client('eu-west-1');
    const md = await describe_(primary.KeyId, eu);
    assert.equal(md.KeyState, 'PendingImport');
    assert.equal(md.Description, 'replica');
    assert.deepEqual(md.MultiRegionConfiguration, {
      MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: primary.Arn, Region: 'us-east-1' }, ReplicaKeys: [{ Arn: replicaArn, Region: 'eu-west-1' }],
    });
    await rejectsKms(eu.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'ap-south-1' })),
      'UnsupportedOperationException', `${replicaArn} is not a multi-region primary key.`);

    await rejectsKms(importMaterial(eu, primary.KeyId, asymmetricMaterial('ECC_NIST_P256').pkcs8), 'IncorrectKeyMaterialException');
    await importMaterial(eu, primary.KeyId, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048');
    const pub = await eu.send(new GetPublicKeyCommand({ KeyId: primary.KeyId }));
    assert.deepEqual(Buffer.from(pub.PublicKey as Uint8Array), spki);
    const sig = await eu.send(new SignCommand({ KeyId: primary.KeyId, Message: createHash('sha256').update('m').digest(), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.ok(verify('sha256', Buffer.from('m'), { key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), dsaEncoding: 'der' }, Buffer.from(sig.Signature as Uint8Array)));
    const primaryNow = await describe_(primary.KeyId);
    assert.deepEqual((primaryNow.MultiRegionConfiguration as { ReplicaKeys: unknown }).ReplicaKeys, [{ Arn: replicaArn, Region: 'eu-west-1' }]);
  });

  it('replicated before any import: every Region must take the same material, whichever Region imports first', async () => {
    // Asymmetric: the replica imports first; the primary then takes only that material.
    const ec = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL', MultiRegion: true }))).KeyMetadata!;
    await t.kms.send(new ReplicateKeyCommand({ KeyId: ec.KeyId, ReplicaRegion: 'eu-west-2' }));
    const eu = t.client('eu-west-2');
    const a = asymmetricMaterial('ECC_NIST_P256');
    await importMaterial(eu, ec.KeyId!, a.pkcs8);
    await rejectsKms(importMaterial(t.kms, ec.KeyId!, asymmetricMaterial('ECC_NIST_P256').pkcs8), 'IncorrectKeyMaterialException',
      `The key material does not match the key material of multi-Region key ${ec.Arn} in eu-west-2; import the same key material into every Region.`);
    assert.equal((await describe_(ec.KeyId!)).KeyState, 'PendingImport', 'the refused import changed nothing');
    await importMaterial(t.kms, ec.KeyId!, a.pkcs8);
    const pub = await t.kms.send(new GetPublicKeyCommand({ KeyId: ec.KeyId }));
    assert.deepEqual(Buffer.from(pub.PublicKey as Uint8Array), a.spki);

    // Symmetric: the primary imports after the replica was made; the replica takes only the primary's material,
    // so a ciphertext of one Region decrypts in the other.
    const sym = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'EXTERNAL', MultiRegion: true }))).KeyMetadata!;
    await t.kms.send(new ReplicateKeyCommand({ KeyId: sym.KeyId, ReplicaRegion: 'eu-west-2' }));
    const material = randomBytes(32);
    await importMaterial(t.kms, sym.KeyId!, material);
    await rejectsKms(importMaterial(eu, sym.KeyId!, randomBytes(32)), 'IncorrectKeyMaterialException',
      `The key material does not match the key material of multi-Region key ${sym.Arn!.replace('us-east-1', 'eu-west-2')} in us-east-1; import the same key material into every Region.`);
    await importMaterial(eu, sym.KeyId!, material);
    const ct = await t.kms.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: Buffer.from('hello') }));
    const pt = await eu.send(new DecryptCommand({ KeyId: sym.KeyId, CiphertextBlob: ct.CiphertextBlob }));
    assert.equal(Buffer.from(pt.Plaintext as Uint8Array).toString(), 'hello');
  });
});
