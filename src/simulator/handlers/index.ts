/**
 * Every command the software device executes, by command code. CreateSession, AuthenticateSession and
 * SessionMessage are the session layer's (device.ts); a code missing here is INVALID_COMMAND.
 */
import type { Handler } from '../handler.js';
import { blinkDeviceHandler } from './blink-device.js';
import { changeAuthenticationKeyHandler } from './change-authentication-key.js';
import { closeSessionHandler } from './close-session.js';
import { deleteObjectHandler } from './delete-object.js';
import { echoHandler } from './echo.js';
import { putOtpAeadKeyHandler, generateOtpAeadKeyHandler, createOtpAeadHandler, randomizeOtpAeadHandler, rewrapOtpAeadHandler, decryptOtpHandler } from './otp.js';
import { verifyHmacHandler } from './verify-hmac.js';
import { signHmacHandler } from './sign-hmac.js';
import { generateHmacKeyHandler } from './generate-hmac-key.js';
import { putHmacKeyHandler } from './put-hmac-key.js';
import { encryptAesEcbHandler, decryptAesEcbHandler, encryptAesCbcHandler, decryptAesCbcHandler } from './aes-modes.js';
import { generateSymmetricKeyHandler } from './generate-symmetric-key.js';
import { putSymmetricKeyHandler } from './put-symmetric-key.js';
import { signAttestationCertificateHandler } from './sign-attestation-certificate.js';
import { importRsaWrappedHandler } from './import-rsa-wrapped.js';
import { exportRsaWrappedHandler } from './export-rsa-wrapped.js';
import { unwrapDataHandler } from './unwrap-data.js';
import { wrapDataHandler } from './wrap-data.js';
import { importWrappedHandler } from './import-wrapped.js';
import { exportWrappedHandler } from './export-wrapped.js';
import { getTemplateHandler } from './get-template.js';
import { putTemplateHandler } from './put-template.js';
import { getOpaqueHandler } from './get-opaque.js';
import { putOpaqueHandler } from './put-opaque.js';
import { deriveEcdhHandler } from './derive-ecdh.js';
import { decryptOaepHandler } from './decrypt-oaep.js';
import { decryptPkcs1Handler } from './decrypt-pkcs1.js';
import { signPssHandler } from './sign-pss.js';
import { signPkcs1Handler } from './sign-pkcs1.js';
import { putWrapKeyHandler } from './put-wrap-key.js';
import { putRsaWrappedKeyHandler } from './put-rsa-wrapped-key.js';
import { putPublicWrapKeyHandler } from './put-public-wrap-key.js';
import { getRsaWrappedKeyHandler } from './get-rsa-wrapped-key.js';
import { generateWrapKeyHandler } from './generate-wrap-key.js';
import { generateAsymmetricKeyHandler } from './generate-asymmetric-key.js';
import { getDeviceInfoHandler } from './get-device-info.js';
import { getDevicePublicKeyHandler } from './get-device-public-key.js';
import { getLogEntriesHandler } from './get-log-entries.js';
import { getObjectInfoHandler } from './get-object-info.js';
import { getOptionHandler } from './get-option.js';
import { getPseudoRandomHandler } from './get-pseudo-random.js';
import { getPublicKeyHandler } from './get-public-key.js';
import { getStorageInfoHandler } from './get-storage-info.js';
import { listObjectsHandler } from './list-objects.js';
import { putAsymmetricKeyHandler } from './put-asymmetric-key.js';
import { putAuthenticationKeyHandler } from './put-authentication-key.js';
import { resetDeviceHandler } from './reset-device.js';
import { setLogIndexHandler } from './set-log-index.js';
import { setOptionHandler } from './set-option.js';
import { signEcdsaHandler } from './sign-ecdsa.js';
import { signEddsaHandler } from './sign-eddsa.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = Handler<any, any>;

const all: AnyHandler[] = [
  blinkDeviceHandler,
  changeAuthenticationKeyHandler,
  closeSessionHandler,
  deleteObjectHandler,
  echoHandler,
  putOtpAeadKeyHandler,
  generateOtpAeadKeyHandler,
  createOtpAeadHandler,
  randomizeOtpAeadHandler,
  rewrapOtpAeadHandler,
  decryptOtpHandler,
  verifyHmacHandler,
  signHmacHandler,
  generateHmacKeyHandler,
  putHmacKeyHandler,
  encryptAesEcbHandler,
  decryptAesEcbHandler,
  encryptAesCbcHandler,
  decryptAesCbcHandler,
  generateSymmetricKeyHandler,
  putSymmetricKeyHandler,
  signAttestationCertificateHandler,
  importRsaWrappedHandler,
  exportRsaWrappedHandler,
  unwrapDataHandler,
  wrapDataHandler,
  importWrappedHandler,
  exportWrappedHandler,
  getTemplateHandler,
  putTemplateHandler,
  getOpaqueHandler,
  putOpaqueHandler,
  deriveEcdhHandler,
  decryptOaepHandler,
  decryptPkcs1Handler,
  signPssHandler,
  signPkcs1Handler,
  putWrapKeyHandler,
  putRsaWrappedKeyHandler,
  putPublicWrapKeyHandler,
  getRsaWrappedKeyHandler,
  generateWrapKeyHandler,
  generateAsymmetricKeyHandler,
  getDeviceInfoHandler,
  getDevicePublicKeyHandler,
  getLogEntriesHandler,
  getObjectInfoHandler,
  getOptionHandler,
  getPseudoRandomHandler,
  getPublicKeyHandler,
  getStorageInfoHandler,
  listObjectsHandler,
  putAsymmetricKeyHandler,
  putAuthenticationKeyHandler,
  resetDeviceHandler,
  setLogIndexHandler,
  setOptionHandler,
  signEcdsaHandler,
  signEddsaHandler,
];

export const handlers: ReadonlyMap<number, AnyHandler> = new Map(all.map((h) => [h.command.code, h]));
