/**
 * Every command the software device executes, by command code. CreateSession, AuthenticateSession and
 * SessionMessage are the session layer's (device.ts). A code without a handler here is INVALID_COMMAND.
 */
import type { Handler } from '../handler.js';
import { encryptAesEcbHandler, decryptAesEcbHandler, encryptAesCbcHandler, decryptAesCbcHandler } from './aes-modes.js';
import { blinkDeviceHandler } from './blink-device.js';
import { changeAuthenticationKeyHandler } from './change-authentication-key.js';
import { closeSessionHandler } from './close-session.js';
import { decryptOaepHandler } from './decrypt-oaep.js';
import { decryptPkcs1Handler } from './decrypt-pkcs1.js';
import { deleteObjectHandler } from './delete-object.js';
import { deriveEcdhHandler } from './derive-ecdh.js';
import { echoHandler } from './echo.js';
import { exportRsaWrappedHandler } from './export-rsa-wrapped.js';
import { exportWrappedHandler } from './export-wrapped.js';
import { generateAsymmetricKeyHandler } from './generate-asymmetric-key.js';
import { generateHmacKeyHandler } from './generate-hmac-key.js';
import { generateSymmetricKeyHandler } from './generate-symmetric-key.js';
import { generateWrapKeyHandler } from './generate-wrap-key.js';
import { getDeviceInfoHandler } from './get-device-info.js';
import { getDevicePublicKeyHandler } from './get-device-public-key.js';
import { getLogEntriesHandler } from './get-log-entries.js';
import { getObjectInfoHandler } from './get-object-info.js';
import { getOpaqueHandler } from './get-opaque.js';
import { getOptionHandler } from './get-option.js';
import { getPseudoRandomHandler } from './get-pseudo-random.js';
import { getPublicKeyHandler } from './get-public-key.js';
import { getRsaWrappedKeyHandler } from './get-rsa-wrapped-key.js';
import { getStorageInfoHandler } from './get-storage-info.js';
import { getTemplateHandler } from './get-template.js';
import { importRsaWrappedHandler } from './import-rsa-wrapped.js';
import { importWrappedHandler } from './import-wrapped.js';
import { listObjectsHandler } from './list-objects.js';
import { putOtpAeadKeyHandler, generateOtpAeadKeyHandler, createOtpAeadHandler, randomizeOtpAeadHandler, rewrapOtpAeadHandler, decryptOtpHandler } from './otp.js';
import { putAsymmetricKeyHandler } from './put-asymmetric-key.js';
import { putAuthenticationKeyHandler } from './put-authentication-key.js';
import { putHmacKeyHandler } from './put-hmac-key.js';
import { putOpaqueHandler } from './put-opaque.js';
import { putPublicWrapKeyHandler } from './put-public-wrap-key.js';
import { putRsaWrappedKeyHandler } from './put-rsa-wrapped-key.js';
import { putSymmetricKeyHandler } from './put-symmetric-key.js';
import { putTemplateHandler } from './put-template.js';
import { putWrapKeyHandler } from './put-wrap-key.js';
import { resetDeviceHandler } from './reset-device.js';
import { setLogIndexHandler } from './set-log-index.js';
import { setOptionHandler } from './set-option.js';
import { signAttestationCertificateHandler } from './sign-attestation-certificate.js';
import { signEcdsaHandler } from './sign-ecdsa.js';
import { signEddsaHandler } from './sign-eddsa.js';
import { signHmacHandler } from './sign-hmac.js';
import { signPkcs1Handler } from './sign-pkcs1.js';
import { signPssHandler } from './sign-pss.js';
import { signSshCertificateHandler } from './sign-ssh-certificate.js';
import { unwrapDataHandler } from './unwrap-data.js';
import { verifyHmacHandler } from './verify-hmac.js';
import { wrapDataHandler } from './wrap-data.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = Handler<any, any>;

const all: AnyHandler[] = [
  blinkDeviceHandler,
  changeAuthenticationKeyHandler,
  closeSessionHandler,
  createOtpAeadHandler,
  decryptAesCbcHandler,
  decryptAesEcbHandler,
  decryptOaepHandler,
  decryptOtpHandler,
  decryptPkcs1Handler,
  deleteObjectHandler,
  deriveEcdhHandler,
  echoHandler,
  encryptAesCbcHandler,
  encryptAesEcbHandler,
  exportRsaWrappedHandler,
  exportWrappedHandler,
  generateAsymmetricKeyHandler,
  generateHmacKeyHandler,
  generateOtpAeadKeyHandler,
  generateSymmetricKeyHandler,
  generateWrapKeyHandler,
  getDeviceInfoHandler,
  getDevicePublicKeyHandler,
  getLogEntriesHandler,
  getObjectInfoHandler,
  getOpaqueHandler,
  getOptionHandler,
  getPseudoRandomHandler,
  getPublicKeyHandler,
  getRsaWrappedKeyHandler,
  getStorageInfoHandler,
  getTemplateHandler,
  importRsaWrappedHandler,
  importWrappedHandler,
  listObjectsHandler,
  putAsymmetricKeyHandler,
  putAuthenticationKeyHandler,
  putHmacKeyHandler,
  putOpaqueHandler,
  putOtpAeadKeyHandler,
  putPublicWrapKeyHandler,
  putRsaWrappedKeyHandler,
  putSymmetricKeyHandler,
  putTemplateHandler,
  putWrapKeyHandler,
  randomizeOtpAeadHandler,
  resetDeviceHandler,
  rewrapOtpAeadHandler,
  setLogIndexHandler,
  setOptionHandler,
  signAttestationCertificateHandler,
  signEcdsaHandler,
  signEddsaHandler,
  signHmacHandler,
  signPkcs1Handler,
  signPssHandler,
  signSshCertificateHandler,
  unwrapDataHandler,
  verifyHmacHandler,
  wrapDataHandler,
];

export const handlers: ReadonlyMap<number, AnyHandler> = new Map(all.map((h) => [h.command.code, h]));
