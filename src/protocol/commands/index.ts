/**
 * The command registry: every YubiHSM 2 command definition by camelCase name, and lookup by command code.
 * Covers every code of PROTOCOL.md 1.4 except SessionMessage (0x05, the session layer's envelope) and the
 * error response code 0x7F. Each definition and its request/response types are re-exported below.
 */
import type { CommandDef } from '../command.js';
import { authenticateSession } from './authenticate-session.js';
import { blinkDevice } from './blink-device.js';
import { changeAuthenticationKey } from './change-authentication-key.js';
import { closeSession } from './close-session.js';
import { createOtpAead } from './create-otp-aead.js';
import { createSession } from './create-session.js';
import { decryptAesCbc } from './decrypt-aes-cbc.js';
import { decryptAesEcb } from './decrypt-aes-ecb.js';
import { decryptOaep } from './decrypt-oaep.js';
import { decryptOtp } from './decrypt-otp.js';
import { decryptPkcs1 } from './decrypt-pkcs1.js';
import { deleteObject } from './delete-object.js';
import { deriveEcdh } from './derive-ecdh.js';
import { echo } from './echo.js';
import { encryptAesCbc } from './encrypt-aes-cbc.js';
import { encryptAesEcb } from './encrypt-aes-ecb.js';
import { exportRsaWrapped } from './export-rsa-wrapped.js';
import { exportWrapped } from './export-wrapped.js';
import { generateAsymmetricKey } from './generate-asymmetric-key.js';
import { generateHmacKey } from './generate-hmac-key.js';
import { generateOtpAeadKey } from './generate-otp-aead-key.js';
import { generateSymmetricKey } from './generate-symmetric-key.js';
import { generateWrapKey } from './generate-wrap-key.js';
import { getDeviceInfo } from './get-device-info.js';
import { getDevicePublicKey } from './get-device-public-key.js';
import { getLogEntries } from './get-log-entries.js';
import { getObjectInfo } from './get-object-info.js';
import { getOpaque } from './get-opaque.js';
import { getOption } from './get-option.js';
import { getPseudoRandom } from './get-pseudo-random.js';
import { getPublicKey } from './get-public-key.js';
import { getRsaWrappedKey } from './get-rsa-wrapped-key.js';
import { getStorageInfo } from './get-storage-info.js';
import { getTemplate } from './get-template.js';
import { importRsaWrapped } from './import-rsa-wrapped.js';
import { importWrapped } from './import-wrapped.js';
import { listObjects } from './list-objects.js';
import { putAsymmetricKey } from './put-asymmetric-key.js';
import { putAuthenticationKey } from './put-authentication-key.js';
import { putHmacKey } from './put-hmac-key.js';
import { putOpaque } from './put-opaque.js';
import { putOtpAeadKey } from './put-otp-aead-key.js';
import { putPublicWrapKey } from './put-public-wrap-key.js';
import { putRsaWrappedKey } from './put-rsa-wrapped-key.js';
import { putSymmetricKey } from './put-symmetric-key.js';
import { putTemplate } from './put-template.js';
import { putWrapKey } from './put-wrap-key.js';
import { randomizeOtpAead } from './randomize-otp-aead.js';
import { resetDevice } from './reset-device.js';
import { rewrapOtpAead } from './rewrap-otp-aead.js';
import { setLogIndex } from './set-log-index.js';
import { setOption } from './set-option.js';
import { signAttestationCertificate } from './sign-attestation-certificate.js';
import { signEcdsa } from './sign-ecdsa.js';
import { signEddsa } from './sign-eddsa.js';
import { signHmac } from './sign-hmac.js';
import { signPkcs1 } from './sign-pkcs1.js';
import { signPss } from './sign-pss.js';
import { signSshCertificate } from './sign-ssh-certificate.js';
import { unwrapData } from './unwrap-data.js';
import { verifyHmac } from './verify-hmac.js';
import { wrapData } from './wrap-data.js';

export const commands = {
  authenticateSession,
  blinkDevice,
  changeAuthenticationKey,
  closeSession,
  createOtpAead,
  createSession,
  decryptAesCbc,
  decryptAesEcb,
  decryptOaep,
  decryptOtp,
  decryptPkcs1,
  deleteObject,
  deriveEcdh,
  echo,
  encryptAesCbc,
  encryptAesEcb,
  exportRsaWrapped,
  exportWrapped,
  generateAsymmetricKey,
  generateHmacKey,
  generateOtpAeadKey,
  generateSymmetricKey,
  generateWrapKey,
  getDeviceInfo,
  getDevicePublicKey,
  getLogEntries,
  getObjectInfo,
  getOpaque,
  getOption,
  getPseudoRandom,
  getPublicKey,
  getRsaWrappedKey,
  getStorageInfo,
  getTemplate,
  importRsaWrapped,
  importWrapped,
  listObjects,
  putAsymmetricKey,
  putAuthenticationKey,
  putHmacKey,
  putOpaque,
  putOtpAeadKey,
  putPublicWrapKey,
  putRsaWrappedKey,
  putSymmetricKey,
  putTemplate,
  putWrapKey,
  randomizeOtpAead,
  resetDevice,
  rewrapOtpAead,
  setLogIndex,
  setOption,
  signAttestationCertificate,
  signEcdsa,
  signEddsa,
  signHmac,
  signPkcs1,
  signPss,
  signSshCertificate,
  unwrapData,
  verifyHmac,
  wrapData,
} as const;

export type CommandKey = keyof typeof commands;

const byCode = new Map<number, CommandDef<unknown, unknown>>(
  Object.values(commands).map((def) => [def.code, def as CommandDef<unknown, unknown>]),
);

/** The definition for a command code, or undefined (unknown code, SessionMessage, error code). */
export function commandByCode(code: number): CommandDef<unknown, unknown> | undefined {
  return byCode.get(code);
}

export type { KeyAndData, TypeAndId } from './shared.js';
export * from './aes-blocks.js';
export * from './auth-key-material.js';
export * from './authenticate-session.js';
export * from './blink-device.js';
export * from './ccm-wrapped.js';
export * from './change-authentication-key.js';
export * from './close-session.js';
export * from './create-otp-aead.js';
export * from './create-session.js';
export * from './decrypt-aes-cbc.js';
export * from './decrypt-aes-ecb.js';
export * from './decrypt-oaep.js';
export * from './decrypt-otp.js';
export * from './decrypt-pkcs1.js';
export * from './delete-object.js';
export * from './derive-ecdh.js';
export * from './echo.js';
export * from './encrypt-aes-cbc.js';
export * from './encrypt-aes-ecb.js';
export * from './export-rsa-wrapped.js';
export * from './export-wrapped.js';
export * from './generate-asymmetric-key.js';
export * from './generate-hmac-key.js';
export * from './generate-otp-aead-key.js';
export * from './generate-symmetric-key.js';
export * from './generate-wrap-key.js';
export * from './get-device-info.js';
export * from './get-device-public-key.js';
export * from './get-log-entries.js';
export * from './get-object-info.js';
export * from './get-opaque.js';
export * from './get-option.js';
export * from './get-pseudo-random.js';
export * from './get-public-key.js';
export * from './get-rsa-wrapped-key.js';
export * from './get-storage-info.js';
export * from './get-template.js';
export * from './import-rsa-wrapped.js';
export * from './import-wrapped.js';
export * from './list-objects.js';
export * from './option-values.js';
export * from './otp-aead.js';
export * from './put-asymmetric-key.js';
export * from './put-authentication-key.js';
export * from './put-hmac-key.js';
export * from './put-opaque.js';
export * from './put-otp-aead-key.js';
export * from './put-public-wrap-key.js';
export * from './put-rsa-wrapped-key.js';
export * from './put-symmetric-key.js';
export * from './put-template.js';
export * from './put-wrap-key.js';
export * from './randomize-otp-aead.js';
export * from './reset-device.js';
export * from './rewrap-otp-aead.js';
export * from './rsa-wrap-fields.js';
export * from './set-log-index.js';
export * from './set-option.js';
export * from './sign-attestation-certificate.js';
export * from './sign-ecdsa.js';
export * from './sign-eddsa.js';
export * from './sign-hmac.js';
export * from './sign-pkcs1.js';
export * from './sign-pss.js';
export * from './sign-ssh-certificate.js';
export * from './unwrap-data.js';
export * from './verify-hmac.js';
export * from './wrap-data.js';
