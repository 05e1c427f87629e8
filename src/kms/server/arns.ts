/**
 * KMS key and alias ARNs and the forms a `KeyId` member may take: key ID (UUID or `mrk-` + 32 hex), key ARN,
 * alias name `alias/...` and alias ARN. https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id
 */

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function keyArn(region: string, account: string, keyId: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:key/${keyId}`;
}

/** `aliasName` includes the `alias/` prefix. */
export function aliasArn(region: string, account: string, aliasName: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:${aliasName}`;
}

export function isKeyId(value: string): boolean {
  return KEY_ID.test(value);
}

export type KeyReference =
  | { kind: 'key'; keyId: string; region?: string; account?: string }
  | { kind: 'alias'; aliasName: string; region?: string; account?: string }
  | { kind: 'invalid' };

/** Classifies a KeyId member value; ARNs carry their region and account. */
export function parseKeyReference(value: string): KeyReference {
  if (value.startsWith('arn:')) {
    const m = ARN.exec(value);
    if (!m) return { kind: 'invalid' };
    const [, , region, account, type, rest] = m;
    if (type === 'key') return isKeyId(rest) ? { kind: 'key', keyId: rest, region, account } : { kind: 'invalid' };
    return { kind: 'alias', aliasName: `alias/${rest}`, region, account };
  }
  if (value.startsWith('alias/')) return { kind: 'alias', aliasName: value };
  return isKeyId(value) ? { kind: 'key', keyId: value } : { kind: 'invalid' };
}
