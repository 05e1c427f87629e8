/**
 * Key lifecycle, aliases, tags and policies through @aws-sdk/client-kms (KMS-SPEC 1.1, 1.8, 4): CreateKey for every
 * key spec and origin, DescribeKey fields, the state matrix, deletion windows on the server's clock, paging, and the
 * separation of Regions (credential scope) and accounts (access key).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DeleteAliasCommand, DescribeKeyCommand,
  DisableKeyCommand, EnableKeyCommand, GetKeyPolicyCommand, GetPublicKeyCommand, ListAliasesCommand,
  ListKeyPoliciesCommand, ListKeysCommand, ListResourceTagsCommand, PutKeyPolicyCommand, ScheduleKeyDeletionCommand,
  SignCommand, TagResourceCommand, UntagResourceCommand, UpdateAliasCommand, UpdateKeyDescriptionCommand,
  type KeyMetadata, type KeySpec, type KeyUsageType,
} from '@aws-sdk/client-kms';
import { DAY, rejectsKms, startTestKms, type TestKms } from './helpers.js';

let t: TestKms;
before(async () => { t = await startTestKms(); });
after(async () => { await t.close(); });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function create(spec?: KeySpec, usage?: KeyUsageType, extra: Record<string, unknown> = {}): Promise<KeyMetadata> {
  return (await t.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage, ...extra }))).KeyMetadata as KeyMetadata;
}

async function describeKey(keyId: string, kms = t.kms): Promise<KeyMetadata> {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata as KeyMetadata;
}

describe('CreateKey and DescribeKey', () => {
  it('AWS_KMS symmetric key: the recorded fields', async () => {
    const sentAt = t.now();
    const md = await create(undefined, undefined, { Description: 'd', Tags: [{ TagKey: 'a', TagValue: '1' }] });
    const answeredAt = t.now();
    assert.match(md.KeyId as string, UUID);
    assert.equal(md.Arn, `arn:aws:kms:us-east-1:111122223333:key/${md.KeyId}`);
    assert.equal(md.AWSAccountId, '111122223333');
    // The server's clock read while the request was in flight: bracketed, so a slow machine needs no allowance.
    assert.ok(md.CreationDate instanceof Date, 'CreationDate is a Date');
    assert.ok(md.CreationDate.getTime() >= sentAt - 1 && md.CreationDate.getTime() <= answeredAt + 1, `CreationDate ${md.CreationDate.getTime()} within [${sentAt}, ${answeredAt}]`);
    assert.equal(md.Enabled, true);
    assert.equal(md.Description, 'd');
    assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.Origin, 'AWS_KMS');
    assert.equal(md.KeyManager, 'CUSTOMER');
    assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(md.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
    assert.deepEqual(md.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.equal(md.MultiRegion, false);
    assert.match(md.CurrentKeyMaterialId as string, /^[0-9a-f]{64}$/);
    assert.equal(md.ExpirationModel, undefined);
    assert.deepEqual(await describeKey(md.KeyId as string), md);
  });

  it('every key spec with every allowed usage, both origins; algorithms as recorded', async () => {
    const cases: Array<[KeySpec, KeyUsageType, Partial<KeyMetadata>]> = [
      ['HMAC_224', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_224'] }],
      ['HMAC_256', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_256'] }],
      ['HMAC_384', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_384'] }],
      ['HMAC_512', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_512'] }],
      ['ECC_NIST_P256', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
      ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
      ['ECC_NIST_P384', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_384'] }],
      ['ECC_NIST_P521', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_512'] }],
      ['ECC_NIST_P256', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }],
      ['RSA_2048', 'SIGN_VERIFY', {
        SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
      }],
      ['RSA_3072', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
    ];
    for (const [spec, usage, algorithms] of cases) {
      for (const origin of ['AWS_KMS', 'EXTERNAL'] as const) {
        const md = await create(spec, usage, { Origin: origin });
        assert.equal(md.KeySpec, spec);
        assert.equal(md.KeyUsage, usage);
        assert.equal(md.Origin, origin);
        assert.equal(md.KeyState, origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled');
        assert.equal(md.CurrentKeyMaterialId, undefined, 'no CurrentKeyMaterialId for asymmetric/HMAC keys');
        for (const field of ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'] as const) {
          assert.deepEqual(md[field], algorithms[field], `${spec} ${field}`);
        }
      }
    }
    // RSA_4096 generation is slow; one AWS_KMS key is enough.
    const rsa = await create('RSA_4096', 'ENCRYPT_DECRYPT');
    assert.equal(rsa.KeyState, 'Enabled');
    const pub = await t.kms.send(new GetPublicKeyCommand({ KeyId: rsa.KeyId }));
    assert.deepEqual(pub.EncryptionAlgorithms, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
  });

  it('refuses a missing KeyUsage, bad enums, usage/spec mismatches, custom key stores and unsupported specs', async () => {
    await rejectsKms(create('HMAC_256'), 'ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    await rejectsKms(create('ECC_NIST_P256'), 'ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    await rejectsKms(create('ECC_NIST_P999' as KeySpec, 'SIGN_VERIFY'), 'ValidationException',
      /^1 validation error detected: Value 'ECC_NIST_P999' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[/);
    await rejectsKms(create('HMAC_256', 'SIGNING' as KeyUsageType), 'ValidationException', /Value 'SIGNING' at 'keyUsage'/);
    await rejectsKms(create('SYMMETRIC_DEFAULT', 'SIGN_VERIFY'), 'ValidationException', /KeyUsage SIGN_VERIFY is not valid for KeySpec SYMMETRIC_DEFAULT/);
    await rejectsKms(create('ECC_SECG_P256K1', 'KEY_AGREEMENT'), 'ValidationException');
    await rejectsKms(create(undefined, undefined, { Origin: 'EXTERNAL', CustomKeyStoreId: 'cks-1234567890abcdef0' }), 'UnsupportedOperationException');
    await rejectsKms(create('SM2', 'SIGN_VERIFY'), 'UnsupportedOperationException');
    await rejectsKms(create(undefined, undefined, { Description: 'x'.repeat(8193) }), 'ValidationException',
      "1 validation error detected: Value '" + 'x'.repeat(8193) + "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192");
    await rejectsKms(create(undefined, undefined, { Policy: '{not json' }), 'MalformedPolicyDocumentException');
  });

  it('DescribeKey accepts key ID, key ARN, alias name and alias ARN; unknown and malformed ids are NotFoundException', async () => {
    const md = await create();
    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: md.KeyId }));
    for (const ref of [md.KeyId, md.Arn, 'alias/describe-me', 'arn:aws:kms:us-east-1:111122223333:alias/describe-me']) {
      assert.equal((await describeKey(ref as string)).KeyId, md.KeyId, String(ref));
    }
    await rejectsKms(describeKey('1234abcd-12ab-34cd-56ef-1234567890ab'), 'NotFoundException',
      "Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist");
    await rejectsKms(describeKey('fake-key-id'), 'NotFoundException', "Invalid keyId 'fake-key-id'");
    await rejectsKms(describeKey('alias/nope'), 'NotFoundException', 'Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.');
    await rejectsKms(t.kms.send(new DescribeKeyCommand({} as { KeyId: string })), 'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    await rejectsKms(describeKey(''), 'ValidationException',
      "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });
});

describe('key states (KMS-SPEC 1.8)', () => {
  it('Disable/Enable, crypto refused while Disabled; PendingImport cannot be enabled', async () => {
    const md = await create('ECC_NIST_P256', 'SIGN_VERIFY');
    const sign = () => t.kms.send(new SignCommand({ KeyId: md.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    await t.kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
    const off = await describeKey(md.KeyId as string);
    assert.equal(off.KeyState, 'Disabled');
    assert.equal(off.Enabled, false);
    await rejectsKms(sign(), 'DisabledException', `${md.Arn} is disabled.`);
    await rejectsKms(t.kms.send(new GetPublicKeyCommand({ KeyId: md.KeyId })), 'DisabledException', `${md.Arn} is disabled.`);
    await t.kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
    await sign();
    const ext = await create(undefined, undefined, { Origin: 'EXTERNAL' });
    await rejectsKms(t.kms.send(new EnableKeyCommand({ KeyId: ext.KeyId })), 'KMSInvalidStateException', `${ext.Arn} is pending import.`);
    await rejectsKms(t.kms.send(new DisableKeyCommand({ KeyId: ext.KeyId })), 'KMSInvalidStateException', `${ext.Arn} is pending import.`);
  });

  it('ScheduleKeyDeletion: 7-30 days, PendingDeletion refusals, cancel -> Disabled, deletion when the window ends', async () => {
    const md = await create('ECC_NIST_P256', 'SIGN_VERIFY');
    await rejectsKms(t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 6 })), 'ValidationException',
      "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7");
    await rejectsKms(t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 31 })), 'ValidationException', /less than or equal to 30/);
    const sentAt = t.now();
    const sched = await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    const answeredAt = t.now();
    assert.equal(sched.KeyId, md.Arn);
    assert.equal(sched.KeyState, 'PendingDeletion');
    assert.equal(sched.PendingWindowInDays, 7);
    const deletion = (sched.DeletionDate as Date).getTime();
    assert.ok(deletion >= sentAt + 7 * DAY - 1 && deletion <= answeredAt + 7 * DAY + 1, `DeletionDate ${deletion} is 7 days after [${sentAt}, ${answeredAt}]`);
    const pending = await describeKey(md.KeyId as string);
    assert.equal(pending.KeyState, 'PendingDeletion');
    assert.equal(pending.Enabled, false);
    assert.equal(pending.PendingDeletionWindowInDays, 7);
    assert.deepEqual(pending.DeletionDate, sched.DeletionDate);
    const msg = `${md.Arn} is pending deletion.`;
    await rejectsKms(t.kms.send(new SignCommand({ KeyId: md.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })), 'KMSInvalidStateException', msg);
    await rejectsKms(t.kms.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: md.KeyId })), 'KMSInvalidStateException', msg);
    await rejectsKms(t.kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] })), 'KMSInvalidStateException', msg);
    await rejectsKms(t.kms.send(new EnableKeyCommand({ KeyId: md.KeyId })), 'KMSInvalidStateException', msg);
    await rejectsKms(t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId })), 'KMSInvalidStateException', msg);
    await t.kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
    await t.kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }));

    assert.equal((await t.kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }))).KeyId, md.Arn);
    const back = await describeKey(md.KeyId as string);
    assert.equal(back.KeyState, 'Disabled');
    assert.equal(back.DeletionDate, undefined);
    await rejectsKms(t.kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId })), 'KMSInvalidStateException');

    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: md.KeyId }));
    await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId }));
    t.advance(30 * DAY - 60_000);
    assert.equal((await describeKey(md.KeyId as string)).KeyState, 'PendingDeletion');
    t.advance(120_000);
    await rejectsKms(describeKey(md.KeyId as string), 'NotFoundException', `Key '${md.Arn}' does not exist`);
    await rejectsKms(describeKey('alias/doomed'), 'NotFoundException');
    const keys = await t.kms.send(new ListKeysCommand({}));
    assert.ok(!keys.Keys?.some((k) => k.KeyId === md.KeyId));
  });
});

describe('aliases', () => {
  it('create, duplicate, bad names, update, list, delete', async () => {
    const a = await create();
    const b = await create();
    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.Arn }));
    await rejectsKms(t.kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.KeyId })), 'AlreadyExistsException',
      'An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app already exists');
    await rejectsKms(t.kms.send(new CreateAliasCommand({ AliasName: 'app', TargetKeyId: a.KeyId })), 'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
    await rejectsKms(t.kms.send(new CreateAliasCommand({ AliasName: 'alias/bad name', TargetKeyId: a.KeyId })), 'ValidationException',
      "1 validation error detected: Value 'alias/bad name' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
    await rejectsKms(t.kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: a.KeyId })), 'NotAuthorizedException');
    await rejectsKms(t.kms.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: '00000000-0000-0000-0000-000000000000' })), 'NotFoundException');
    await rejectsKms(t.kms.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: 'alias/app' })), 'NotFoundException', "Invalid keyId 'alias/app'");

    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: b.KeyId }));
    let list = await t.kms.send(new ListAliasesCommand({ KeyId: a.KeyId }));
    assert.deepEqual(list.Aliases?.map((x) => [x.AliasName, x.AliasArn, x.TargetKeyId]),
      [['alias/app', 'arn:aws:kms:us-east-1:111122223333:alias/app', a.KeyId]]);
    assert.ok(list.Aliases?.[0].CreationDate instanceof Date);

    await t.kms.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.KeyId }));
    assert.equal((await describeKey('alias/app')).KeyId, b.KeyId);
    await rejectsKms(t.kms.send(new UpdateAliasCommand({ AliasName: 'alias/missing', TargetKeyId: b.KeyId })), 'NotFoundException',
      'Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.');
    list = await t.kms.send(new ListAliasesCommand({ KeyId: b.Arn }));
    assert.deepEqual(list.Aliases?.map((x) => x.AliasName).sort(), ['alias/app', 'alias/other']);
    const page = await t.kms.send(new ListAliasesCommand({ KeyId: b.KeyId, Limit: 1 }));
    assert.equal(page.Aliases?.length, 1);
    assert.equal(page.Truncated, true);
    const rest = await t.kms.send(new ListAliasesCommand({ KeyId: b.KeyId, Limit: 1, Marker: page.NextMarker }));
    assert.equal(rest.Truncated, false);
    await rejectsKms(t.kms.send(new ListAliasesCommand({ Marker: 'garbage' })), 'InvalidMarkerException');

    // The new target must be of the same type and key usage (API reference); other families of one type are fine.
    const rsaSign = await create('RSA_2048', 'SIGN_VERIFY');
    const ecSign = await create('ECC_NIST_P256', 'SIGN_VERIFY');
    const rsaCrypt = await create('RSA_2048', 'ENCRYPT_DECRYPT');
    await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: rsaSign.KeyId }));
    await t.kms.send(new UpdateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: ecSign.KeyId }));
    await rejectsKms(t.kms.send(new UpdateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: rsaCrypt.KeyId })), 'ValidationException',
      `alias/signer points to an asymmetric key with key usage SIGN_VERIFY; the new target key ${rsaCrypt.Arn} (asymmetric, ENCRYPT_DECRYPT) must be of the same type and key usage.`);
    await rejectsKms(t.kms.send(new UpdateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: a.KeyId })), 'ValidationException',
      /^alias\/signer points to an asymmetric key with key usage SIGN_VERIFY; the new target key \S+ \(symmetric encryption, ENCRYPT_DECRYPT\) must be/);
    assert.equal((await describeKey('alias/signer')).KeyId, ecSign.KeyId, 'a refused update leaves the alias where it was');

    await t.kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
    await rejectsKms(describeKey('alias/app'), 'NotFoundException');
    await rejectsKms(t.kms.send(new DeleteAliasCommand({ AliasName: 'alias/app' })), 'NotFoundException');
  });
});

describe('tags, policy, description', () => {
  it('tags keep insertion order, updates keep their position; TagException rules', async () => {
    const md = await create(undefined, undefined, { Tags: [{ TagKey: 'b', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] });
    await t.kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'c', TagValue: '3' }, { TagKey: 'b', TagValue: 'new' }] }));
    let tags = await t.kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 'b', TagValue: 'new' }, { TagKey: 'a', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }]);
    assert.equal(tags.Truncated, false);
    await t.kms.send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['a', 'zzz'] }));
    tags = await t.kms.send(new ListResourceTagsCommand({ KeyId: md.KeyId }));
    assert.deepEqual(tags.Tags?.map((x) => x.TagKey), ['b', 'c']);

    await rejectsKms(t.kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'd', TagValue: '1' }, { TagKey: 'd', TagValue: '2' }] })), 'TagException', 'Duplicate tag keys');
    await rejectsKms(t.kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'AWS:x', TagValue: '1' }] })), 'TagException', 'Tags beginning with aws: are reserved');
    const many = Array.from({ length: 49 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    await rejectsKms(t.kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: many })), 'TagException', 'Too many tags');
    await rejectsKms(t.kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'k'.repeat(129), TagValue: 'v' }] })), 'ValidationException',
      /Value 'k{129}' at 'tags\.1\.member\.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128/);
    await rejectsKms(t.kms.send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'ok', TagValue: 'v' }, { TagKey: 'long', TagValue: 'v'.repeat(257) }] })), 'ValidationException',
      /Value 'v{257}' at 'tags\.2\.member\.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256/);
    await rejectsKms(create(undefined, undefined, { Tags: [{ TagKey: 'aws:reserved', TagValue: 'x' }] }), 'TagException', 'Tags beginning with aws: are reserved');
  });

  it('the default policy, a custom policy stored verbatim, ListKeyPolicies, UpdateKeyDescription', async () => {
    const md = await create();
    const def = await t.kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }));
    assert.equal(def.PolicyName, 'default');
    assert.deepEqual(JSON.parse(def.Policy as string), {
      Version: '2012-10-17', Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
    });
    const policy = '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Sid": "Key users", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole" }, "Action": ["kms:Sign", "kms:GetPublicKey"], "Resource": "*" } ]\n}';
    const custom = await create('ECC_NIST_P256', 'SIGN_VERIFY', { Policy: policy, Origin: 'EXTERNAL' });
    assert.equal((await t.kms.send(new GetKeyPolicyCommand({ KeyId: custom.KeyId, PolicyName: 'default' }))).Policy, policy);
    await t.kms.send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: policy }));
    assert.equal((await t.kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy, policy);
    assert.deepEqual((await t.kms.send(new ListKeyPoliciesCommand({ KeyId: md.KeyId }))).PolicyNames, ['default']);
    await rejectsKms(t.kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId, PolicyName: 'other' })), 'NotFoundException');
    // KMS-SPEC 4: a JSON object of at most 32 KB (32768 bytes) is stored; more, or not an object, is refused.
    const padded = (bytes: number) => { const head = '{"Version":"2012-10-17","Pad":"'; return head + 'p'.repeat(bytes - head.length - 2) + '"}'; };
    assert.equal(padded(32768).length, 32768);
    await t.kms.send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: padded(32768) }));
    assert.equal((await t.kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy, padded(32768));
    await rejectsKms(t.kms.send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: padded(32769) })), 'MalformedPolicyDocumentException', /larger than 32768 bytes/);
    await rejectsKms(create(undefined, undefined, { Policy: padded(32769) }), 'MalformedPolicyDocumentException', /larger than 32768 bytes/);
    await rejectsKms(t.kms.send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: '["kms:*"]' })), 'MalformedPolicyDocumentException', 'The key policy must be a JSON object.');
    assert.equal((await t.kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId }))).Policy, padded(32768), 'a refused policy leaves the stored one');
    await t.kms.send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'new words' }));
    assert.equal((await describeKey(md.KeyId as string)).Description, 'new words');
  });
});

describe('Regions and accounts', () => {
  it('keys live in the Region of the credential scope and the account of the access key; ListKeys pages', async () => {
    const west = t.client('us-west-2');
    const other = t.client('us-east-1', 1);
    const mine = await create();
    const westKey = (await west.send(new CreateKeyCommand({}))).KeyMetadata as KeyMetadata;
    assert.equal(westKey.Arn, `arn:aws:kms:us-west-2:111122223333:key/${westKey.KeyId}`);
    const theirs = (await other.send(new CreateKeyCommand({}))).KeyMetadata as KeyMetadata;
    assert.equal(theirs.AWSAccountId, '444455556666');
    await rejectsKms(describeKey(westKey.KeyId as string), 'NotFoundException');
    await rejectsKms(describeKey(westKey.Arn as string), 'NotFoundException', `Key '${westKey.Arn}' does not exist`);
    await rejectsKms(describeKey(theirs.KeyId as string), 'NotFoundException');
    await rejectsKms(describeKey(mine.KeyId as string, other), 'NotFoundException');
    assert.equal((await describeKey(westKey.KeyId as string, west)).KeyId, westKey.KeyId);

    const otherKeys = await other.send(new ListKeysCommand({}));
    assert.deepEqual(otherKeys.Keys, [{ KeyId: theirs.KeyId, KeyArn: theirs.Arn }]);
    const all: string[] = [];
    let marker: string | undefined;
    do {
      const page = await t.kms.send(new ListKeysCommand({ Limit: 3, Marker: marker }));
      assert.ok((page.Keys?.length ?? 0) <= 3);
      all.push(...(page.Keys ?? []).map((k) => k.KeyId as string));
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    assert.ok(all.includes(mine.KeyId as string));
    assert.ok(!all.includes(westKey.KeyId as string) && !all.includes(theirs.KeyId as string));
    assert.equal(new Set(all).size, all.length);
  });
});
