/**
 * Checks of the port's arguments, made before anything is sent, so a caller's mistake is a KmsUsageError with what
 * to do rather than a KMS ValidationException. Limits are the API model's (message 1-4096 bytes, blobs up to 6144).
 */
import { KmsUsageError } from './errors.js';
import { isEnumValue, SigningAlgorithmSpec } from './names.js';
import type { KeyMaterialExpiration, SignRequest } from './port.js';

export function requireString(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new KmsUsageError('KMS_BAD_ARGUMENT', `${name} must be a non-empty string (a key id, key ARN, alias name or alias ARN as the operation allows).`);
  }
}

export function requireEnum<E extends Record<string, string>>(name: string, e: E, value: unknown): void {
  if (!isEnumValue(e, value)) {
    throw new KmsUsageError('KMS_BAD_ARGUMENT', `${name} ${JSON.stringify(value)} is not one of ${Object.values(e).join(', ')}.`);
  }
}

export function requireBytes(name: string, value: unknown, min: number, max: number): void {
  if (!(value instanceof Uint8Array)) throw new KmsUsageError('KMS_BAD_ARGUMENT', `${name} must be bytes (a Uint8Array).`);
  if (value.length < min || value.length > max) {
    throw new KmsUsageError('KMS_BAD_ARGUMENT', `${name} is ${value.length} bytes; KMS takes ${min} to ${max} bytes.`);
  }
}

export function requirePolicy(policy: unknown): void {
  if (typeof policy !== 'string') throw new KmsUsageError('KMS_BAD_ARGUMENT', 'policy must be the key policy JSON text (see keyPolicyJson).');
  try {
    JSON.parse(policy);
  } catch {
    throw new KmsUsageError('KMS_BAD_ARGUMENT', 'policy is not valid JSON; build it with keyPolicyJson or fix the policy file.');
  }
}

export function checkSignRequest(request: SignRequest, operation: string): void {
  requireString('keyRef', request.keyRef);
  requireEnum('signingAlgorithm', SigningAlgorithmSpec, request.signingAlgorithm);
  if (request.messageType !== 'RAW' && request.messageType !== 'DIGEST') {
    throw new KmsUsageError('KMS_BAD_ARGUMENT', `messageType must be RAW or DIGEST, not ${JSON.stringify(request.messageType)}.`);
  }
  if (!(request.message instanceof Uint8Array) || request.message.length < 1 || request.message.length > 4096) {
    const n = request.message instanceof Uint8Array ? `${request.message.length} bytes` : 'not bytes';
    throw new KmsUsageError('KMS_MESSAGE_LENGTH', `${operation}: the message is ${n}; KMS takes 1 to 4096 bytes, so for a longer message hash it and pass the digest with messageType DIGEST.`);
  }
}

/** The expiration the caller chose, checked: an explicit model, and a valid validTo exactly when it expires. */
export function checkExpiration(expiration: KeyMaterialExpiration | undefined): { expirationModel: KeyMaterialExpiration['expirationModel']; validTo?: Date } {
  const exp = expiration as { expirationModel?: unknown; validTo?: unknown } | undefined;
  const choose = 'choose KEY_MATERIAL_DOES_NOT_EXPIRE, or KEY_MATERIAL_EXPIRES with validTo (in the future, at most 365 days ahead)';
  if (!exp || (exp.expirationModel !== 'KEY_MATERIAL_DOES_NOT_EXPIRE' && exp.expirationModel !== 'KEY_MATERIAL_EXPIRES')) {
    throw new KmsUsageError('KMS_EXPIRATION_REQUIRED', `ImportKeyMaterial needs an explicit expiration model; ${choose}.`);
  }
  if (exp.expirationModel === 'KEY_MATERIAL_EXPIRES') {
    if (!(exp.validTo instanceof Date) || Number.isNaN(exp.validTo.getTime())) {
      throw new KmsUsageError('KMS_EXPIRATION_REQUIRED', `KEY_MATERIAL_EXPIRES needs validTo as a valid Date; ${choose}.`);
    }
    return { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: exp.validTo };
  }
  if (exp.validTo !== undefined) {
    throw new KmsUsageError('KMS_EXPIRATION_CONFLICT', `KEY_MATERIAL_DOES_NOT_EXPIRE takes no validTo; ${choose}.`);
  }
  return { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' };
}
