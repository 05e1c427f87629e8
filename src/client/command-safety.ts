/**
 * Which commands the client may run again on a new session after the old one died mid-command (session loss
 * with reopen: 'idempotent'). Only commands that change nothing on the device qualify: reads, signs, decrypts,
 * exports under wrap, HMAC/AES/OTP computations. Creates, deletes, imports, option and log-index changes,
 * authentication-key changes, reset and blink are never re-run: the caller is told and decides.
 */
import { Command } from '../protocol/command-codes.js';

const SAFE = new Set<number>([
  Command.ECHO,
  Command.GET_DEVICE_INFO,
  Command.GET_STORAGE_INFO,
  Command.GET_OPAQUE,
  Command.LIST_OBJECTS,
  Command.GET_OBJECT_INFO,
  Command.GET_OPTION,
  Command.GET_PSEUDO_RANDOM,
  Command.GET_PUBLIC_KEY,
  Command.GET_TEMPLATE,
  Command.GET_LOG_ENTRIES,
  Command.SIGN_PKCS1,
  Command.SIGN_PSS,
  Command.SIGN_ECDSA,
  Command.SIGN_EDDSA,
  Command.SIGN_HMAC,
  Command.VERIFY_HMAC,
  Command.SIGN_SSH_CERTIFICATE,
  Command.SIGN_ATTESTATION_CERTIFICATE,
  Command.DECRYPT_PKCS1,
  Command.DECRYPT_OAEP,
  Command.DERIVE_ECDH,
  Command.DECRYPT_OTP,
  Command.CREATE_OTP_AEAD,
  Command.RANDOMIZE_OTP_AEAD,
  Command.REWRAP_OTP_AEAD,
  Command.WRAP_DATA,
  Command.UNWRAP_DATA,
  Command.ENCRYPT_ECB,
  Command.DECRYPT_ECB,
  Command.ENCRYPT_CBC,
  Command.DECRYPT_CBC,
  Command.EXPORT_WRAPPED,
  Command.GET_RSA_WRAPPED_KEY,
  Command.EXPORT_RSA_WRAPPED,
]);

/** True when running `command` twice leaves the device as running it once (and it changes no device state). */
export function isSafeToRerun(command: number): boolean {
  return SAFE.has(command);
}
