/**
 * Branded object ids, made only through validating parsers, so that a wrap-key id cannot be passed where a
 * key id is expected (STYLE.md habit 6). On the wire they are plain u16 values.
 */
import { UsageError } from '../errors.js';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Any object id, 0x0001-0xFFFE (0 asks the device to choose, where allowed). */
export type ObjectId = Brand<number, 'ObjectId'>;
/** Id of an asymmetric, symmetric, HMAC... key that is used or exported. */
export type KeyId = Brand<number, 'KeyId'>;
/** Id of a wrap key (type 4) or public wrap key (type 9). */
export type WrapKeyId = Brand<number, 'WrapKeyId'>;
/** Id of an authentication key (type 2). */
export type AuthKeyId = Brand<number, 'AuthKeyId'>;

function parseRaw(input: string | number, what: string, allowZero: boolean): number {
  let n: number;
  if (typeof input === 'number') n = input;
  else {
    const t = input.trim().toLowerCase();
    if (/^0x[0-9a-f]{1,4}$/.test(t)) n = Number.parseInt(t, 16);
    else if (/^[0-9]{1,5}$/.test(t)) n = Number(t);
    else n = Number.NaN;
  }
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 0xfffe) {
    throw new UsageError(
      'BAD_OBJECT_ID',
      `${what} "${input}" is not valid; use a number from ${allowZero ? '0 (device chooses)' : '1'} to 0xfffe, e.g. 0x100.`,
    );
  }
  return n;
}

export function objectId(input: string | number, opts: { allowZero?: boolean } = {}): ObjectId {
  return parseRaw(input, 'Object id', opts.allowZero ?? false) as ObjectId;
}
export function keyId(input: string | number, opts: { allowZero?: boolean } = {}): KeyId {
  return parseRaw(input, 'Key id', opts.allowZero ?? false) as KeyId;
}
export function wrapKeyId(input: string | number, opts: { allowZero?: boolean } = {}): WrapKeyId {
  return parseRaw(input, 'Wrap key id', opts.allowZero ?? false) as WrapKeyId;
}
export function authKeyId(input: string | number): AuthKeyId {
  return parseRaw(input, 'Authentication key id', false) as AuthKeyId;
}

export function formatId(id: number): string {
  return `0x${id.toString(16).padStart(4, '0')}`;
}
