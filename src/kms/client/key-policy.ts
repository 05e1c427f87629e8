/**
 * The key policy the seed guide's step 2 makes in the console ("Administrative Permissions" and "Key Users"):
 * the default statement that lets the account's IAM policies grant access (without it KMS refuses the policy as a
 * lockout), a key-administrators statement and a key-users statement whose actions follow the key usage.
 * Statement ids and administrator actions follow the console's default key policy
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html); `kms:ImportKeyMaterial` is added
 * for EXTERNAL keys because no wildcard of the administrator list covers it.
 */
import { KmsUsageError } from './errors.js';
import type { KeyUsageType } from './names.js';

export interface KeyPolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: '*';
}

export interface KeyPolicyDocument {
  Version: '2012-10-17';
  Id: string;
  Statement: KeyPolicyStatement[];
}

export interface KeyPolicyInput {
  /** The 12-digit account that owns the key (its root gets the IAM-enabling statement). */
  accountId: string;
  /** `aws` (default), `aws-cn`, `aws-us-gov`, … */
  partition?: string;
  /** Principal ARNs (IAM roles, users, or account roots) that administer the key. */
  administrators: readonly string[];
  /** Principal ARNs that use the key. */
  users: readonly string[];
  keyUsage: KeyUsageType;
  /** EXTERNAL adds kms:ImportKeyMaterial to the administrators. Default EXTERNAL (the ceremony's case). */
  origin?: 'EXTERNAL' | 'AWS_KMS';
  /** The policy `Id`; default `hsm2kms-key-policy-1`. */
  policyId?: string;
}

export const ROOT_STATEMENT_SID = 'Enable IAM User Permissions';
export const ADMINISTRATORS_STATEMENT_SID = 'Allow access for Key Administrators';
export const USERS_STATEMENT_SID = 'Allow use of the key';

/** The console's key-administrator actions. */
export const KEY_ADMINISTRATOR_ACTIONS: readonly string[] = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

const USER_ACTIONS: Record<KeyUsageType, readonly string[]> = {
  SIGN_VERIFY: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'],
  ENCRYPT_DECRYPT: [
    'kms:Encrypt',
    'kms:Decrypt',
    'kms:ReEncrypt*',
    'kms:GenerateDataKey*',
    'kms:DescribeKey',
    'kms:GetPublicKey',
  ],
  GENERATE_VERIFY_MAC: ['kms:GenerateMac', 'kms:VerifyMac', 'kms:DescribeKey'],
  KEY_AGREEMENT: ['kms:DeriveSharedSecret', 'kms:DescribeKey', 'kms:GetPublicKey'],
  ENCAPSULATE_DECAPSULATE: ['kms:Decapsulate', 'kms:DescribeKey', 'kms:GetPublicKey'],
};

/** The key-user actions for a key usage. */
export function keyUserActions(keyUsage: KeyUsageType): readonly string[] {
  const actions = USER_ACTIONS[keyUsage];
  if (!actions) {
    throw new KmsUsageError('KMS_POLICY_BAD_KEY_USAGE', `Unknown key usage ${JSON.stringify(keyUsage)}; use one of ${Object.keys(USER_ACTIONS).join(', ')}.`);
  }
  return actions;
}

const PARTITION = /^aws(-[a-z]+)*$/;
const ACCOUNT = /^\d{12}$/;
const PRINCIPAL = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):(root|(?:user|role)\/[\w+=,.@/-]+)$/;

/** The ARN of IAM role `roleName` in `accountId` (for the seed's "OrganizationAccountAccessRole"). */
export function roleArn(accountId: string, roleName: string, partition = 'aws'): string {
  checkAccount(accountId);
  checkPartition(partition);
  if (!/^[\w+=,.@/-]{1,512}$/.test(roleName) || roleName.startsWith('/') || roleName.endsWith('/')) {
    throw new KmsUsageError('KMS_POLICY_BAD_PRINCIPAL', `Role name ${JSON.stringify(roleName)} is not a valid IAM role name; use letters, digits and +=,.@_- (a path may precede it, e.g. admin/KmsAdmin).`);
  }
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The account id in an ARN (`arn:<partition>:<service>:<region>:<account>:…`), if it has one. */
export function accountIdFromArn(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && ACCOUNT.test(parts[4]) ? parts[4] : undefined;
}

/** Builds the key policy document. Principals are de-duplicated (first occurrence kept); empty groups are left out. */
export function buildKeyPolicy(input: KeyPolicyInput): KeyPolicyDocument {
  const partition = input.partition ?? 'aws';
  checkPartition(partition);
  checkAccount(input.accountId);
  const administrators = principals(input.administrators, 'administrator', partition);
  const users = principals(input.users, 'key user', partition);
  const statements: KeyPolicyStatement[] = [
    {
      Sid: ROOT_STATEMENT_SID,
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${input.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  if (administrators.length > 0) {
    const actions = [...KEY_ADMINISTRATOR_ACTIONS];
    if ((input.origin ?? 'EXTERNAL') === 'EXTERNAL') actions.push('kms:ImportKeyMaterial');
    statements.push({ Sid: ADMINISTRATORS_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: administrators }, Action: actions, Resource: '*' });
  }
  if (users.length > 0) {
    statements.push({ Sid: USERS_STATEMENT_SID, Effect: 'Allow', Principal: { AWS: users }, Action: [...keyUserActions(input.keyUsage)], Resource: '*' });
  }
  return { Version: '2012-10-17', Id: input.policyId ?? 'hsm2kms-key-policy-1', Statement: statements };
}

/** The policy as the JSON text CreateKey's `Policy` takes (two-space indented, as the console shows it). */
export function keyPolicyJson(input: KeyPolicyInput): string {
  return JSON.stringify(buildKeyPolicy(input), null, 2);
}

function principals(list: readonly string[], role: string, partition: string): string[] {
  if (!Array.isArray(list)) {
    throw new KmsUsageError('KMS_POLICY_BAD_PRINCIPAL', `The ${role} principals must be a list of ARNs.`);
  }
  const out: string[] = [];
  for (const p of list) {
    const m = typeof p === 'string' ? PRINCIPAL.exec(p) : null;
    if (!m) {
      throw new KmsUsageError(
        'KMS_POLICY_BAD_PRINCIPAL',
        `The ${role} principal ${JSON.stringify(p)} is not an IAM ARN; use arn:${partition}:iam::<account>:role/<name>, …:user/<name> or …:root.`,
      );
    }
    if (m[1] !== partition) {
      throw new KmsUsageError('KMS_POLICY_BAD_PRINCIPAL', `The ${role} principal ${p} is in partition ${m[1]}, but the key is in ${partition}; use an ARN of the key's partition.`);
    }
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function checkAccount(accountId: string): void {
  if (typeof accountId !== 'string' || !ACCOUNT.test(accountId)) {
    throw new KmsUsageError('KMS_POLICY_BAD_ACCOUNT', `The account id ${JSON.stringify(accountId)} is not 12 digits; give the AWS account that owns the key.`);
  }
}

function checkPartition(partition: string): void {
  if (!PARTITION.test(partition)) {
    throw new KmsUsageError('KMS_POLICY_BAD_PARTITION', `The partition ${JSON.stringify(partition)} is not an AWS partition; use aws, aws-cn or aws-us-gov.`);
  }
}
