/**
 * What a handler gets: the caller's account (from its access key) and Region (from its SigV4 credential scope),
 * the request time, and the server state. Plus the lookups and checks every handler shares, each throwing the
 * KmsException AWS answers with (KMS-SPEC 1.3 row 1, 1.8, 3).
 */
import type { KeyUsageType } from '../model/enums.js';
import { aliasArn, keyArn, parseKeyReference } from './arns.js';
import type { KmsState } from './kms-state.js';
import { KmsException } from './kms-exception.js';
import { keyState, type KeyRecord } from './records.js';

export interface KmsContext {
  account: string;
  region: string;
  /** Request time (the injectable clock), epoch milliseconds. */
  now: number;
  kms: KmsState;
}

/** A handler for one KMS operation: validated input in, response members out. */
export type Handler = (input: Record<string, unknown>, ctx: KmsContext) => object | undefined | Promise<object | undefined>;

/**
 * Finds the key a `KeyId` member names. `aliases` allows alias names and alias ARNs (DescribeKey, Sign, Encrypt...);
 * the import and administrative operations take only key IDs and key ARNs.
 */
export function resolveKey(ctx: KmsContext, value: string, aliases: boolean): KeyRecord {
  const ref = parseKeyReference(value);
  const region = ctx.region;
  if (ref.kind === 'invalid' || (ref.kind === 'alias' && !aliases)) {
    throw new KmsException('NotFoundException', `Invalid keyId '${value}'`);
  }
  const sameScope = (ref.region === undefined || ref.region === region) && (ref.account === undefined || ref.account === ctx.account);
  if (ref.kind === 'alias') {
    const alias = sameScope ? ctx.kms.store.getAlias(ctx.account, region, ref.aliasName) : undefined;
    const key = alias && ctx.kms.findKey(ctx.account, region, alias.targetKeyId, ctx.now);
    if (!key) {
      throw new KmsException('NotFoundException',
        `Alias ${aliasArn(ref.region ?? region, ref.account ?? ctx.account, ref.aliasName)} is not found.`);
    }
    return key;
  }
  const key = sameScope ? ctx.kms.findKey(ctx.account, region, ref.keyId, ctx.now) : undefined;
  if (!key) {
    throw new KmsException('NotFoundException',
      `Key '${keyArn(ref.region ?? region, ref.account ?? ctx.account, ref.keyId)}' does not exist`);
  }
  return key;
}

/** The key must not be PendingDeletion (administrative changes, import). */
export function assertNotPendingDeletion(key: KeyRecord): void {
  if (key.deletionDate !== undefined) throw new KmsException('KMSInvalidStateException', `${key.arn} is pending deletion.`);
}

/** The key must be usable for a cryptographic operation: Enabled (KMS-SPEC 1.8). */
export function assertUsable(key: KeyRecord): void {
  const state = keyState(key);
  if (state === 'Enabled') return;
  if (state === 'Disabled') throw new KmsException('DisabledException', `${key.arn} is disabled.`);
  if (state === 'PendingDeletion') throw new KmsException('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  if (state === 'PendingImport') throw new KmsException('KMSInvalidStateException', `${key.arn} is pending import.`);
  throw new KmsException('KMSInvalidStateException', `${key.arn} is ${state}.`);
}

export function assertUsage(key: KeyRecord, usage: KeyUsageType, operation: string): void {
  if (key.keyUsage !== usage) {
    throw new KmsException('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
  }
}

/** Import operations need an EXTERNAL-origin key (KMS-SPEC 1.2, 1.3 row 2). */
export function assertExternal(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL') {
    throw new KmsException('UnsupportedOperationException', `${key.arn} origin is ${key.origin} which is not valid for this operation.`);
  }
}

/** DryRun: every check passed, nothing is done. */
export function dryRunDone(): never {
  throw new KmsException('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

/** Epoch milliseconds to the wire's epoch seconds. */
export function seconds(ms: number): number {
  return ms / 1000;
}

/** Base64 for a blob member of a response. */
export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
