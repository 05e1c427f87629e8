/**
 * EXTERNAL-origin keys in every key state through @aws-sdk/client-kms (KMS-SPEC 1.1, 1.4, 1.5, 1.8): the DescribeKey
 * fields the spec records for each state (KeyState, Enabled, Origin, ExpirationModel, ValidTo, CurrentKeyMaterialId,
 * DeletionDate), and every operation of the state matrix of 1.8 in every state, with AWS's exception and message.
 * Expected values come from the spec's tables and from values the test chose (ValidTo, material), never from the
 * server's own answers, except the KeyMaterialId that ImportKeyMaterial returned.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, EncryptCommand, GenerateMacCommand, GetKeyPolicyCommand,
  GetParametersForImportCommand, GetPublicKeyCommand, ImportKeyMaterialCommand, ListResourceTagsCommand,
  ScheduleKeyDeletionCommand, SignCommand, TagResourceCommand, VerifyCommand, VerifyMacCommand,
  type KeyMetadata, type KeySpec, type KeyUsageType,
} from '@aws-sdk/client-kms';
import { asymmetricMaterial, DAY, HOUR, importMaterial, rejectsKms, startTestKms, wrapMaterial, type TestKms } from './helpers.js';

let t: TestKms;
before(async () => { t = await startTestKms(); });
after(async () => { await t.close(); });

async function createExternal(spec: KeySpec, usage?: KeyUsageType): Promise<KeyMetadata> {
  return (await t.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage, Origin: 'EXTERNAL' }))).KeyMetadata as KeyMetadata;
}

async function describeKey(keyId: string): Promise<KeyMetadata> {
  return (await t.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata as KeyMetadata;
}

/** The fields of KMS-SPEC 1.1's table that change with the state; `undefined` means the member is absent. */
interface Expected {
  KeyState: string;
  Enabled: boolean;
  ExpirationModel?: string;
  ValidTo?: number;
  CurrentKeyMaterialId?: string;
  deleting?: boolean;
}

async function assertFields(keyId: string, want: Expected, label: string): Promise<void> {
  const md = await describeKey(keyId);
  assert.equal(md.Origin, 'EXTERNAL', `${label}: Origin`);
  assert.equal(md.KeyState, want.KeyState, `${label}: KeyState`);
  assert.equal(md.Enabled, want.Enabled, `${label}: Enabled`);
  assert.equal(md.ExpirationModel, want.ExpirationModel, `${label}: ExpirationModel`);
  assert.equal(md.ValidTo?.getTime(), want.ValidTo, `${label}: ValidTo`);
  assert.equal(md.CurrentKeyMaterialId, want.CurrentKeyMaterialId, `${label}: CurrentKeyMaterialId`);
  assert.equal(md.DeletionDate !== undefined, want.deleting === true, `${label}: DeletionDate present only while PendingDeletion`);
  assert.equal(md.PendingDeletionWindowInDays !== undefined, want.deleting === true, `${label}: PendingDeletionWindowInDays`);
}

/** A whole second in the future (the wire carries epoch seconds). */
function validToIn(ms: number): Date {
  return new Date(Math.ceil((t.now() + ms) / 1000) * 1000);
}

describe('DescribeKey of EXTERNAL keys in every state (KMS-SPEC 1.1, 1.4, 1.5)', () => {
  for (const [spec, usage] of [['SYMMETRIC_DEFAULT', undefined], ['ECC_NIST_P256', 'SIGN_VERIFY'], ['HMAC_256', 'GENERATE_VERIFY_MAC']] as const) {
    it(`${spec}: created, imported (expiring), Disabled, PendingDeletion, cancelled, expired, deleted, re-imported`, async () => {
      const symmetric = spec === 'SYMMETRIC_DEFAULT';
      const md = await createExternal(spec, usage);
      const keyId = md.KeyId as string;
      const material = spec === 'ECC_NIST_P256' ? asymmetricMaterial(spec).pkcs8 : randomBytes(32);
      await assertFields(keyId, { KeyState: 'PendingImport', Enabled: false }, 'created');
      assert.equal(md.KeyState, 'PendingImport', 'CreateKey answer');
      assert.equal(md.Enabled, false, 'CreateKey answer');
      assert.equal(md.ExpirationModel, undefined, 'CreateKey answer');

      const validTo = validToIn(3 * HOUR);
      const out = await importMaterial(t.kms, keyId, material, 'RSAES_OAEP_SHA_256', 'RSA_2048', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo });
      if (symmetric) assert.match(out.KeyMaterialId as string, /^[0-9a-f]{64}$/);
      else assert.equal(out.KeyMaterialId, undefined);
      const current = symmetric ? out.KeyMaterialId : undefined;
      const expiring = { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo.getTime(), CurrentKeyMaterialId: current };
      await assertFields(keyId, { KeyState: 'Enabled', Enabled: true, ...expiring }, 'imported');

      await t.kms.send(new DisableKeyCommand({ KeyId: keyId }));
      await assertFields(keyId, { KeyState: 'Disabled', Enabled: false, ...expiring }, 'disabled');
      // Re-importing the same material into a Disabled key is allowed (1.8) and does not enable it.
      const later = validToIn(4 * HOUR);
      await importMaterial(t.kms, keyId, material, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: later });
      const expiringLater = { ...expiring, ValidTo: later.getTime() };
      await assertFields(keyId, { KeyState: 'Disabled', Enabled: false, ...expiringLater }, 're-imported while disabled');

      await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      await assertFields(keyId, { KeyState: 'PendingDeletion', Enabled: false, deleting: true, ...expiringLater }, 'pending deletion');
      await t.kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
      await assertFields(keyId, { KeyState: 'Disabled', Enabled: false, ...expiringLater }, 'deletion cancelled');
      await t.kms.send(new EnableKeyCommand({ KeyId: keyId }));
      await assertFields(keyId, { KeyState: 'Enabled', Enabled: true, ...expiringLater }, 'enabled again');

      // ValidTo passes: the material is deleted as by DeleteImportedKeyMaterial (1.5).
      t.advance(4 * HOUR + 1000);
      await assertFields(keyId, { KeyState: 'PendingImport', Enabled: false, CurrentKeyMaterialId: current }, 'expired');

      // A key without material whose deletion is cancelled has nothing to be Disabled with: PendingImport again.
      await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
      await assertFields(keyId, { KeyState: 'PendingDeletion', Enabled: false, deleting: true, CurrentKeyMaterialId: current }, 'expired, pending deletion');
      await t.kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
      await assertFields(keyId, { KeyState: 'PendingImport', Enabled: false, CurrentKeyMaterialId: current }, 'expired, deletion cancelled');

      const again = await importMaterial(t.kms, keyId, material);
      assert.equal(again.KeyMaterialId, out.KeyMaterialId, 'the same material keeps its KeyMaterialId');
      await assertFields(keyId, { KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', CurrentKeyMaterialId: current }, 're-imported');

      await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
      await assertFields(keyId, { KeyState: 'PendingImport', Enabled: false, CurrentKeyMaterialId: current }, 'material deleted');
    });
  }
});

describe('ValidTo of a symmetric key with several materials (KMS-SPEC 1.5, 1.6)', () => {
  it('is the earliest expiry over the imported materials, the pending one included', async () => {
    const md = await createExternal('SYMMETRIC_DEFAULT');
    const keyId = md.KeyId as string;
    const first = validToIn(5 * HOUR);
    const id1 = (await importMaterial(t.kms, keyId, randomBytes(32), 'RSAES_OAEP_SHA_256', 'RSA_2048', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: first })).KeyMaterialId;
    const second = validToIn(2 * HOUR);
    await importMaterial(t.kms, keyId, randomBytes(32), 'RSAES_OAEP_SHA_256', 'RSA_2048', { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: second, ImportType: 'NEW_KEY_MATERIAL' });
    await assertFields(keyId, { KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: second.getTime(), CurrentKeyMaterialId: id1 }, 'two materials');
    t.advance(2 * HOUR + 1000);
    await assertFields(keyId, { KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: first.getTime(), CurrentKeyMaterialId: id1 }, 'pending material expired');
    t.advance(3 * HOUR);
    await assertFields(keyId, { KeyState: 'PendingImport', Enabled: false, CurrentKeyMaterialId: id1 }, 'current material expired');
  });
});

describe('the state matrix of KMS-SPEC 1.8 for EXTERNAL keys', () => {
  it('every listed operation in Enabled, Disabled, PendingDeletion and PendingImport', async () => {
    const ec = await createExternal('ECC_NIST_P256', 'SIGN_VERIFY');
    const sym = await createExternal('SYMMETRIC_DEFAULT');
    const mac = await createExternal('HMAC_256', 'GENERATE_VERIFY_MAC');
    const ecMaterial = asymmetricMaterial('ECC_NIST_P256');
    const materials = new Map<KeyMetadata, Uint8Array>([[ec, ecMaterial.pkcs8], [sym, randomBytes(32)], [mac, randomBytes(32)]]);
    for (const [k, m] of materials) await importMaterial(t.kms, k.KeyId as string, m);

    // Made while Enabled, used in every state.
    const message = Buffer.from('state matrix');
    const signature = (await t.kms.send(new SignCommand({ KeyId: ec.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature as Uint8Array;
    assert.ok(verify('sha256', message, { key: createPublicKey({ key: ecMaterial.spki, format: 'der', type: 'spki' }), dsaEncoding: 'der' }, Buffer.from(signature)));
    const ciphertext = (await t.kms.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: message }))).CiphertextBlob as Uint8Array;
    const macValue = createHmac('sha256', materials.get(mac) as Uint8Array).update(message).digest();

    const crypto: Array<[string, KeyMetadata, () => Promise<unknown>]> = [
      ['Sign', ec, () => t.kms.send(new SignCommand({ KeyId: ec.KeyId, Message: createHash('sha256').update(message).digest(), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }))],
      ['Verify', ec, async () => assert.equal((await t.kms.send(new VerifyCommand({ KeyId: ec.KeyId, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }))).SignatureValid, true)],
      ['GetPublicKey', ec, () => t.kms.send(new GetPublicKeyCommand({ KeyId: ec.KeyId }))],
      ['Encrypt', sym, () => t.kms.send(new EncryptCommand({ KeyId: sym.KeyId, Plaintext: message }))],
      ['Decrypt', sym, () => t.kms.send(new DecryptCommand({ CiphertextBlob: ciphertext }))],
      ['GenerateMac', mac, () => t.kms.send(new GenerateMacCommand({ KeyId: mac.KeyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }))],
      ['VerifyMac', mac, async () => assert.equal((await t.kms.send(new VerifyMacCommand({ KeyId: mac.KeyId, Message: message, Mac: macValue, MacAlgorithm: 'HMAC_SHA_256' }))).MacValid, true)],
    ];
    const reimport = async (k: KeyMetadata): Promise<void> => { await importMaterial(t.kms, k.KeyId as string, materials.get(k) as Uint8Array); };
    const parameters = (k: KeyMetadata) => t.kms.send(new GetParametersForImportCommand({ KeyId: k.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    let n = 0;
    const administrative = (k: KeyMetadata): Array<[string, () => Promise<unknown>]> => [
      ['DescribeKey', () => t.kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))],
      ['ListResourceTags', () => t.kms.send(new ListResourceTagsCommand({ KeyId: k.KeyId }))],
      ['GetKeyPolicy', () => t.kms.send(new GetKeyPolicyCommand({ KeyId: k.KeyId, PolicyName: 'default' }))],
      ['CreateAlias', () => t.kms.send(new CreateAliasCommand({ AliasName: `alias/matrix-${n++}`, TargetKeyId: k.KeyId }))],
      ['TagResource', () => t.kms.send(new TagResourceCommand({ KeyId: k.KeyId, Tags: [{ TagKey: 'state', TagValue: String(n++) }] }))],
    ];
    const states = async (want: string): Promise<void> => {
      for (const k of materials.keys()) assert.equal((await describeKey(k.KeyId as string)).KeyState, want, `${k.KeySpec} is ${want}`);
    };

    // Enabled: everything works.
    await states('Enabled');
    for (const [, , call] of crypto) await call();
    for (const k of materials.keys()) {
      for (const [, call] of administrative(k)) await call();
      await parameters(k);
      await reimport(k);
    }

    // Disabled: crypto -> DisabledException; import and administration work.
    for (const k of materials.keys()) await t.kms.send(new DisableKeyCommand({ KeyId: k.KeyId }));
    await states('Disabled');
    for (const [op, k, call] of crypto) await rejectsKms(call(), 'DisabledException', `${k.Arn} is disabled.`).catch((e: Error) => { throw new Error(`${op}: ${e.message}`); });
    for (const k of materials.keys()) {
      for (const [, call] of administrative(k)) await call();
      await parameters(k);
      await reimport(k);
    }
    await states('Disabled');

    // PendingDeletion: crypto, import, CreateAlias and TagResource -> "is pending deletion."; reading works.
    for (const k of materials.keys()) {
      await t.kms.send(new EnableKeyCommand({ KeyId: k.KeyId }));
      await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 30 }));
    }
    await states('PendingDeletion');
    for (const [op, k, call] of crypto) {
      await rejectsKms(call(), 'KMSInvalidStateException', `${k.Arn} is pending deletion.`).catch((e: Error) => { throw new Error(`${op}: ${e.message}`); });
    }
    for (const k of materials.keys()) {
      for (const [op, call] of administrative(k)) {
        if (op === 'CreateAlias' || op === 'TagResource') await rejectsKms(call(), 'KMSInvalidStateException', `${k.Arn} is pending deletion.`);
        else await call();
      }
      await rejectsKms(parameters(k), 'KMSInvalidStateException', `${k.Arn} is pending deletion.`);
    }
    await states('PendingDeletion');

    // Back to Disabled, then DeleteImportedKeyMaterial (allowed in Disabled) -> PendingImport.
    for (const k of materials.keys()) {
      await t.kms.send(new CancelKeyDeletionCommand({ KeyId: k.KeyId }));
      await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: k.KeyId }));
    }
    await states('PendingImport');
    for (const [op, k, call] of crypto) {
      await rejectsKms(call(), 'KMSInvalidStateException', `${k.Arn} is pending import.`).catch((e: Error) => { throw new Error(`${op}: ${e.message}`); });
    }
    for (const k of materials.keys()) {
      for (const [, call] of administrative(k)) await call();
      await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: k.KeyId }));
      await reimport(k);
    }
    await states('Enabled');
    for (const [, , call] of crypto) await call();
  });

  it('PendingDeletion: ImportKeyMaterial with a token issued before the deletion was scheduled is refused, state kept', async () => {
    const k = await createExternal('SYMMETRIC_DEFAULT');
    const p = await t.kms.send(new GetParametersForImportCommand({ KeyId: k.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: k.KeyId, PendingWindowInDays: 7 }));
    await rejectsKms(t.kms.send(new ImportKeyMaterialCommand({
      KeyId: k.KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapMaterial(p.PublicKey as Uint8Array, 'RSAES_OAEP_SHA_256', randomBytes(32)),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    })), 'KMSInvalidStateException', `${k.Arn} is pending deletion.`);
    await assertFields(k.KeyId as string, { KeyState: 'PendingDeletion', Enabled: false, deleting: true }, 'after refused import');
    t.advance(7 * DAY + 1000);
    await rejectsKms(describeKey(k.KeyId as string), 'NotFoundException', `Key '${k.Arn}' does not exist`);
  });
});
