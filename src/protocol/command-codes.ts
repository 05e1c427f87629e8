/**
 * Command codes (PROTOCOL.md 1.4; https://developers.yubico.com/YubiHSM2/Commands/).
 * Names follow libyubihsm's `yh_cmd`; python-yubihsm's differing names are noted.
 */
export const Command = {
  ECHO: 0x01,
  CREATE_SESSION: 0x03,
  AUTHENTICATE_SESSION: 0x04,
  SESSION_MESSAGE: 0x05,
  GET_DEVICE_INFO: 0x06,
  RESET_DEVICE: 0x08,
  GET_DEVICE_PUBKEY: 0x0a,
  CLOSE_SESSION: 0x40,
  GET_STORAGE_INFO: 0x41,
  PUT_OPAQUE: 0x42,
  GET_OPAQUE: 0x43,
  PUT_AUTHENTICATION_KEY: 0x44,
  PUT_ASYMMETRIC_KEY: 0x45,
  GENERATE_ASYMMETRIC_KEY: 0x46,
  SIGN_PKCS1: 0x47,
  LIST_OBJECTS: 0x48,
  DECRYPT_PKCS1: 0x49,
  EXPORT_WRAPPED: 0x4a,
  IMPORT_WRAPPED: 0x4b,
  PUT_WRAP_KEY: 0x4c,
  GET_LOG_ENTRIES: 0x4d,
  GET_OBJECT_INFO: 0x4e,
  SET_OPTION: 0x4f,
  GET_OPTION: 0x50,
  GET_PSEUDO_RANDOM: 0x51,
  PUT_HMAC_KEY: 0x52,
  SIGN_HMAC: 0x53,
  GET_PUBLIC_KEY: 0x54,
  SIGN_PSS: 0x55,
  SIGN_ECDSA: 0x56,
  DERIVE_ECDH: 0x57,
  DELETE_OBJECT: 0x58,
  DECRYPT_OAEP: 0x59,
  GENERATE_HMAC_KEY: 0x5a,
  GENERATE_WRAP_KEY: 0x5b,
  VERIFY_HMAC: 0x5c,
  SIGN_SSH_CERTIFICATE: 0x5d,
  PUT_TEMPLATE: 0x5e,
  GET_TEMPLATE: 0x5f,
  DECRYPT_OTP: 0x60,
  CREATE_OTP_AEAD: 0x61,
  RANDOMIZE_OTP_AEAD: 0x62,
  REWRAP_OTP_AEAD: 0x63,
  SIGN_ATTESTATION_CERTIFICATE: 0x64,
  PUT_OTP_AEAD_KEY: 0x65,
  GENERATE_OTP_AEAD_KEY: 0x66,
  SET_LOG_INDEX: 0x67,
  WRAP_DATA: 0x68,
  UNWRAP_DATA: 0x69,
  SIGN_EDDSA: 0x6a,
  BLINK_DEVICE: 0x6b,
  CHANGE_AUTHENTICATION_KEY: 0x6c,
  PUT_SYMMETRIC_KEY: 0x6d,
  GENERATE_SYMMETRIC_KEY: 0x6e,
  DECRYPT_ECB: 0x6f,
  ENCRYPT_ECB: 0x70,
  DECRYPT_CBC: 0x71,
  ENCRYPT_CBC: 0x72,
  /** python: PUT_PUBLIC_WRAP_KEY */
  PUT_PUBLIC_WRAPKEY: 0x73,
  /** python: WRAP_KEY_RSA; docs: "export RSA wrapped key" */
  GET_RSA_WRAPPED_KEY: 0x74,
  /** python: UNWRAP_KEY_RSA; docs: "import RSA wrapped key" */
  PUT_RSA_WRAPPED_KEY: 0x75,
  /** python: EXPORT_WRAPPED_RSA */
  EXPORT_RSA_WRAPPED: 0x76,
  /** python: IMPORT_WRAPPED_RSA */
  IMPORT_RSA_WRAPPED: 0x77,
  /** Response code of an error frame. */
  ERROR: 0x7f,
} as const;
export type CommandName = keyof typeof Command;
export type CommandCode = (typeof Command)[CommandName];

const byCode = new Map<number, CommandName>(Object.entries(Command).map(([k, v]) => [v, k as CommandName]));

export function commandName(code: number): string {
  return byCode.get(code) ?? `UNKNOWN_0x${code.toString(16).padStart(2, '0')}`;
}

export function isKnownCommand(code: number): boolean {
  return byCode.has(code) && code !== Command.ERROR;
}

/** Success response code: request code with bit 7 set (PROTOCOL.md 1.1). */
export function responseCode(code: number): number {
  return (code | 0x80) & 0xff;
}
