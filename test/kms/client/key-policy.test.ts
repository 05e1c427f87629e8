import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountIdFromArn, buildKeyPolicy, keyPolicyJson, keyUserActions, roleArn } from '../../../src/kms/client/key-policy.js';

const ACCOUNT = '111122223333';
const ROLE = 'arn:aws:iam::111122223333:role/OrganizationAccountAccessRole';

describe('key policy (seed step 2)', () => {
  it('builds the seed policy: root, administrators (with ImportKeyMaterial), key users for SIGN_VERIFY', () => {
    const doc = buildKeyPolicy({ accountId: ACCOUNT, administrators: [ROLE], users: [ROLE], keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
    // Expected document written out by hand from the console's default key policy.
    assert.deepEqual(doc, {
      Version: '2012-10-17',
      Id: 'hsm2kms-key-policy-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'Allow access for Key Administrators',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:role/OrganizationAccountAccessRole'] },
          Action: [
            'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
            'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource',
            'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:ImportKeyMaterial',
          ],
          Resource: '*',
        },
        {
          Sid: 'Allow use of the key',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:role/OrganizationAccountAccessRole'] },
          Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'],
          Resource: '*',
        },
      ],
    });
  });

  it('gives ENCRYPT_DECRYPT users the encryption actions and leaves ImportKeyMaterial out for AWS_KMS keys', () => {
    const doc = buildKeyPolicy({
      accountId: ACCOUNT,
      administrators: ['arn:aws:iam::111122223333:user/alice'],
      users: ['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::444455556666:root'],
      keyUsage: 'ENCRYPT_DECRYPT',
      origin: 'AWS_KMS',
    });
    assert.equal(doc.Statement.length, 3);
    assert.ok(!(doc.Statement[1].Action as string[]).includes('kms:ImportKeyMaterial'));
    assert.deepEqual(doc.Statement[2].Principal, { AWS: ['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::444455556666:root'] });
    assert.deepEqual(doc.Statement[2].Action, [
      'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:GetPublicKey',
    ]);
  });

  it('leaves out empty groups, de-duplicates principals and keeps their order', () => {
    const only = buildKeyPolicy({ accountId: ACCOUNT, administrators: [], users: [], keyUsage: 'SIGN_VERIFY' });
    assert.deepEqual(only.Statement.map((s) => s.Sid), ['Enable IAM User Permissions']);
    const dup = buildKeyPolicy({
      accountId: ACCOUNT,
      administrators: ['arn:aws:iam::111122223333:role/b', 'arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'],
      users: [],
      keyUsage: 'SIGN_VERIFY',
    });
    assert.deepEqual(dup.Statement[1].Principal.AWS, ['arn:aws:iam::111122223333:role/b', 'arn:aws:iam::111122223333:role/a']);
  });

  it('uses the partition of the key in every ARN', () => {
    const doc = buildKeyPolicy({ accountId: ACCOUNT, partition: 'aws-cn', administrators: ['arn:aws-cn:iam::111122223333:role/x'], users: [], keyUsage: 'SIGN_VERIFY' });
    assert.equal(doc.Statement[0].Principal.AWS, 'arn:aws-cn:iam::111122223333:root');
  });

  it('serialises as the JSON text CreateKey takes', () => {
    const text = keyPolicyJson({ accountId: ACCOUNT, administrators: [ROLE], users: [ROLE], keyUsage: 'SIGN_VERIFY' });
    assert.ok(text.startsWith('{\n  "Version": "2012-10-17",\n  "Id": "hsm2kms-key-policy-1",\n  "Statement": [\n'));
    assert.deepEqual(JSON.parse(text).Statement[2].Action, ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify']);
  });

  it('maps each key usage to its user actions', () => {
    assert.deepEqual(keyUserActions('GENERATE_VERIFY_MAC'), ['kms:GenerateMac', 'kms:VerifyMac', 'kms:DescribeKey']);
    assert.deepEqual(keyUserActions('KEY_AGREEMENT'), ['kms:DeriveSharedSecret', 'kms:DescribeKey', 'kms:GetPublicKey']);
  });

  it('rejects principals that are not IAM ARNs, wrong partitions and bad account ids, with codes', () => {
    assert.throws(
      () => buildKeyPolicy({ accountId: ACCOUNT, administrators: ['OrganizationAccountAccessRole'], users: [], keyUsage: 'SIGN_VERIFY' }),
      { code: 'KMS_POLICY_BAD_PRINCIPAL', message: 'The administrator principal "OrganizationAccountAccessRole" is not an IAM ARN; use arn:aws:iam::<account>:role/<name>, …:user/<name> or …:root.' },
    );
    assert.throws(
      () => buildKeyPolicy({ accountId: ACCOUNT, administrators: [], users: ['arn:aws-cn:iam::111122223333:role/x'], keyUsage: 'SIGN_VERIFY' }),
      { code: 'KMS_POLICY_BAD_PRINCIPAL', message: "The key user principal arn:aws-cn:iam::111122223333:role/x is in partition aws-cn, but the key is in aws; use an ARN of the key's partition." },
    );
    assert.throws(() => buildKeyPolicy({ accountId: '12345', administrators: [], users: [], keyUsage: 'SIGN_VERIFY' }), {
      code: 'KMS_POLICY_BAD_ACCOUNT',
      message: 'The account id "12345" is not 12 digits; give the AWS account that owns the key.',
    });
  });

  it('builds role ARNs from names and reads account ids out of ARNs', () => {
    assert.equal(roleArn(ACCOUNT, 'OrganizationAccountAccessRole'), ROLE);
    assert.equal(roleArn(ACCOUNT, 'admins/KmsAdmin', 'aws-us-gov'), 'arn:aws-us-gov:iam::111122223333:role/admins/KmsAdmin');
    assert.throws(() => roleArn(ACCOUNT, 'bad name'), { code: 'KMS_POLICY_BAD_PRINCIPAL' });
    assert.equal(accountIdFromArn('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'), ACCOUNT);
    assert.equal(accountIdFromArn(ROLE), ACCOUNT);
    assert.equal(accountIdFromArn('not-an-arn'), undefined);
  });
});
