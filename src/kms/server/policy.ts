/**
 * Key policies are stored verbatim and never enforced (KMS-SPEC 4): a policy must be a JSON object of at most
 * 32 KB. Without one, CreateKey and ReplicateKey attach AWS's default key policy for the account.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
import { KmsException } from './kms-exception.js';

export const MAX_POLICY_BYTES = 32 * 1024;

export function defaultKeyPolicy(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    }],
  });
}

/** The policy to store: `policy` when given and well-formed, else the default one. */
export function checkedPolicy(policy: string | undefined, account: string): string {
  if (policy === undefined) return defaultKeyPolicy(account);
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) {
    throw new KmsException('MalformedPolicyDocumentException', `The key policy is larger than ${MAX_POLICY_BYTES} bytes; shorten it.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw new KmsException('MalformedPolicyDocumentException', 'The key policy is not valid JSON; fix its syntax.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new KmsException('MalformedPolicyDocumentException', 'The key policy must be a JSON object.');
  }
  return policy;
}
