/**
 * Sign/Verify/GetPublicKey (KMS-SPEC 3) through @aws-sdk/client-kms: every asymmetric spec and signing algorithm,
 * RAW and DIGEST messages, every signature checked by node:crypto over the original message with the public key we
 * generated (so a digest hashed twice, a wrong PSS salt or a non-DER ECDSA signature would fail), plus the failure
 * rows: digest length, 4096-byte limit, key usage, algorithm/spec mismatch, invalid signatures without a message.
 * Encrypt/Decrypt/GenerateDataKey and MACs at the end.
 */
import assert from 'node:assert/strict';
import { constants, createHash, createHmac, createPrivateKey, createPublicKey, privateDecrypt, randomBytes, sign as nodeSign, verify, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand, GenerateRandomCommand, GetPublicKeyCommand, SignCommand, VerifyCommand, VerifyMacCommand,
  type KeyMetadata, type KeySpec, type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { asymmetricMaterial, importMaterial, rejectsKms, startTestKms, type TestKms } from './helpers.js';

let t: TestKms;
before(async () => { t = await startTestKms(); });
after(async () => { await t.close(); });

interface Imported {
  md: KeyMetadata;
  publicKey: KeyObject;
  privatePkcs8: Buffer;
}

async function importedSigningKey(spec: KeySpec): Promise<Imported> {
  const md = (await t.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }))).KeyMetadata as KeyMetadata;
  const { pkcs8, spki } = asymmetricMaterial(spec);
  await importMaterial(t.kms, md.KeyId as string, pkcs8, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048');
  return { md, publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }), privatePkcs8: pkcs8 };
}

function nodeVerify(alg: SigningAlgorithmSpec, key: KeyObject, message: Buffer, signature: Uint8Array): boolean {
  const hash = `sha${alg.slice(-3)}`;
  if (alg.startsWith('RSASSA_PSS')) {
    return verify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(-3)) / 8 }, signature);
  }
  return verify(hash, message, { key, dsaEncoding: 'der' }, signature);
}

const specs: Array<[KeySpec, SigningAlgorithmSpec[]]> = [
  ['ECC_NIST_P256', ['ECDSA_SHA_256']],
  ['ECC_SECG_P256K1', ['ECDSA_SHA_256']],
  ['ECC_NIST_P384', ['ECDSA_SHA_384']],
  ['ECC_NIST_P521', ['ECDSA_SHA_512']],
  ['RSA_2048', ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512']],
  ['RSA_3072', ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_512']],
];

describe('Sign and Verify', () => {
  for (const [spec, algorithms] of specs) {
    it(`${spec}: RAW and DIGEST with ${algorithms.join(', ')}`, async () => {
      const k = await importedSigningKey(spec);
      for (const alg of algorithms) {
        const hash = `sha${alg.slice(-3)}`;
        for (const message of [Buffer.from('Message signed by AWS KMS\n'), randomBytes(4096), Buffer.alloc(1)]) {
          const digest = createHash(hash).update(message).digest();
          const raw = await t.kms.send(new SignCommand({ KeyId: k.md.KeyId, Message: message, SigningAlgorithm: alg }));
          assert.equal(raw.KeyId, k.md.Arn);
          assert.equal(raw.SigningAlgorithm, alg);
          assert.ok(nodeVerify(alg, k.publicKey, message, raw.Signature as Uint8Array), `${alg} RAW`);
          const dig = await t.kms.send(new SignCommand({ KeyId: k.md.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: alg }));
          assert.ok(nodeVerify(alg, k.publicKey, message, dig.Signature as Uint8Array), `${alg} DIGEST is signed as is, not hashed again`);
          if (spec.startsWith('RSA')) {
            assert.equal((raw.Signature as Uint8Array).length, Number(spec.slice(4)) / 8);
          }
          // KMS verifies its own and node's signatures, with MessageType crossed over.
          const v = await t.kms.send(new VerifyCommand({ KeyId: k.md.KeyId, Message: digest, MessageType: 'DIGEST', Signature: raw.Signature, SigningAlgorithm: alg }));
          assert.deepEqual([v.KeyId, v.SignatureValid, v.SigningAlgorithm], [k.md.Arn, true, alg]);
          const v2 = await t.kms.send(new VerifyCommand({ KeyId: k.md.KeyId, Message: message, Signature: dig.Signature, SigningAlgorithm: alg }));
          assert.equal(v2.SignatureValid, true, `${alg}: KMS verifies the DIGEST signature over the RAW message`);
        }
      }
      if (spec.startsWith('ECC')) {
        const sig = nodeSign(`sha${algorithms[0].slice(-3)}`, Buffer.from('from node'), { key: k.privatePkcs8, format: 'der', type: 'pkcs8', dsaEncoding: 'der' });
        const v = await t.kms.send(new VerifyCommand({ KeyId: k.md.KeyId, Message: Buffer.from('from node'), Signature: sig, SigningAlgorithm: algorithms[0] }));
        assert.equal(v.SignatureValid, true, 'KMS verifies a signature node made with the same private key');
      }
    });
  }

  it('failures: digest length, size limit, wrong algorithm, wrong usage, invalid signatures, DryRun', async () => {
    const k = await importedSigningKey('ECC_NIST_P256');
    const keyId = k.md.KeyId as string;
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: randomBytes(31), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })),
      'ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
    await rejectsKms(t.kms.send(new VerifyCommand({ KeyId: keyId, Message: randomBytes(48), MessageType: 'DIGEST', Signature: randomBytes(70), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: randomBytes(4097), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'ValidationException', "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096");
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: new Uint8Array(0), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'ValidationException', "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384' })),
      'InvalidKeyUsageException', 'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.');
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
      'InvalidKeyUsageException', 'Algorithm RSASSA_PSS_SHA_256 is incompatible with key spec ECC_NIST_P256.');
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_257' as SigningAlgorithmSpec })),
      'ValidationException', /^1 validation error detected: Value 'ECDSA_SHA_257' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true })),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');

    const good = await t.kms.send(new SignCommand({ KeyId: keyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    const flipped = Buffer.from(good.Signature as Uint8Array);
    flipped[flipped.length - 1] ^= 1;
    const other = await importedSigningKey('ECC_NIST_P256');
    for (const [message, signature, id] of [
      [Buffer.from('n'), good.Signature, keyId], [Buffer.from('m'), flipped, keyId], [Buffer.from('m'), randomBytes(64), keyId],
      [Buffer.from('m'), good.Signature, other.md.KeyId],
    ] as const) {
      await rejectsKms(t.kms.send(new VerifyCommand({ KeyId: id, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' })),
        'KMSInvalidSignatureException');
    }

    const symmetric = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata as KeyMetadata;
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: symmetric.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException', `${symmetric.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`);
    const mac = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata as KeyMetadata;
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: mac.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException', `${mac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Sign.`);
    await rejectsKms(t.kms.send(new VerifyCommand({ KeyId: symmetric.KeyId, Message: Buffer.from('m'), Signature: randomBytes(64), SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException', `${symmetric.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`);
    await rejectsKms(t.kms.send(new GetPublicKeyCommand({ KeyId: symmetric.KeyId })), 'UnsupportedOperationException');
    await rejectsKms(t.kms.send(new GetPublicKeyCommand({ KeyId: mac.KeyId })), 'UnsupportedOperationException');
  });
});

describe('Encrypt, Decrypt, GenerateDataKey, MACs', () => {
  it('symmetric: round trips, encryption context binding, data keys, wrong keys', async () => {
    const md = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata as KeyMetadata;
    const context = { purpose: 'test', app: 'hsm2kms' };
    const ct = await t.kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('hello'), EncryptionContext: context }));
    assert.equal(ct.KeyId, md.Arn);
    assert.equal(ct.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const pt = await t.kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob, EncryptionContext: { app: 'hsm2kms', purpose: 'test' } }));
    assert.equal(Buffer.from(pt.Plaintext as Uint8Array).toString(), 'hello');
    assert.equal(pt.KeyId, md.Arn);
    await rejectsKms(t.kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob })), 'InvalidCiphertextException');
    await rejectsKms(t.kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob, EncryptionContext: { ...context, purpose: 'other' } })), 'InvalidCiphertextException');
    await rejectsKms(t.kms.send(new DecryptCommand({ CiphertextBlob: randomBytes(100) })), 'InvalidCiphertextException');
    const tampered = Buffer.from(ct.CiphertextBlob as Uint8Array);
    tampered[tampered.length - 1] ^= 1;
    await rejectsKms(t.kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })), 'InvalidCiphertextException');
    const other = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata as KeyMetadata;
    await rejectsKms(t.kms.send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob, EncryptionContext: context, KeyId: other.KeyId })), 'IncorrectKeyException');

    const dk = await t.kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' }));
    assert.equal((dk.Plaintext as Uint8Array).length, 32);
    const back = await t.kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, KeyId: md.Arn }));
    assert.deepEqual(Buffer.from(back.Plaintext as Uint8Array), Buffer.from(dk.Plaintext as Uint8Array));
    const n = await t.kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId, NumberOfBytes: 7 }));
    assert.equal((n.Plaintext as Uint8Array).length, 7);
    const wp = await t.kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, KeySpec: 'AES_128' }));
    assert.equal((wp as unknown as Record<string, unknown>).Plaintext, undefined);
    assert.equal((await t.kms.send(new DecryptCommand({ CiphertextBlob: wp.CiphertextBlob }))).Plaintext?.length, 16);
    await rejectsKms(t.kms.send(new GenerateDataKeyCommand({ KeyId: md.KeyId })), 'ValidationException', 'Please specify either number of bytes or key spec.');
    assert.equal((await t.kms.send(new GenerateRandomCommand({ NumberOfBytes: 33 }))).Plaintext?.length, 33);

    const signing = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata as KeyMetadata;
    await rejectsKms(t.kms.send(new EncryptCommand({ KeyId: signing.KeyId, Plaintext: Buffer.from('x') })), 'InvalidKeyUsageException',
      `${signing.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`);
    await rejectsKms(t.kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      'InvalidKeyUsageException', 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.');
  });

  it('RSA ENCRYPT_DECRYPT: KMS ciphertexts decrypt with node OAEP and back; oversize plaintext and garbage refused', async () => {
    const md = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'EXTERNAL' }))).KeyMetadata as KeyMetadata;
    const { pkcs8 } = asymmetricMaterial('RSA_2048');
    await importMaterial(t.kms, md.KeyId as string, pkcs8, 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048');
    for (const alg of ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const) {
      const ct = await t.kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('secret'), EncryptionAlgorithm: alg }));
      const pt = privateDecrypt({ key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg.endsWith('1') ? 'sha1' : 'sha256' }, ct.CiphertextBlob as Uint8Array);
      assert.equal(pt.toString(), 'secret');
      const back = await t.kms.send(new DecryptCommand({ KeyId: md.KeyId, CiphertextBlob: ct.CiphertextBlob, EncryptionAlgorithm: alg }));
      assert.equal(Buffer.from(back.Plaintext as Uint8Array).toString(), 'secret');
    }
    await rejectsKms(t.kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: randomBytes(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'ValidationException');
    await rejectsKms(t.kms.send(new DecryptCommand({ KeyId: md.KeyId, CiphertextBlob: randomBytes(256), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })), 'InvalidCiphertextException');
  });

  it('HMAC: GenerateMac equals node HMAC, VerifyMac, algorithm mismatch', async () => {
    const md = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', Origin: 'EXTERNAL' }))).KeyMetadata as KeyMetadata;
    const material = randomBytes(100);
    await importMaterial(t.kms, md.KeyId as string, material);
    const message = randomBytes(4096);
    const mac = await t.kms.send(new GenerateMacCommand({ KeyId: md.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_384' }));
    assert.deepEqual(Buffer.from(mac.Mac as Uint8Array), createHmac('sha384', material).update(message).digest());
    const ok = await t.kms.send(new VerifyMacCommand({ KeyId: md.KeyId, Message: message, Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_384' }));
    assert.equal(ok.MacValid, true);
    await rejectsKms(t.kms.send(new VerifyMacCommand({ KeyId: md.KeyId, Message: Buffer.from('x'), Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_384' })), 'KMSInvalidMacException');
    await rejectsKms(t.kms.send(new GenerateMacCommand({ KeyId: md.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
      'InvalidKeyUsageException', 'Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_384.');
  });
});
