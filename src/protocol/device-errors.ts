/** Device error codes (PROTOCOL.md 1.3; https://developers.yubico.com/YubiHSM2/Concepts/Errors.html). */
export const DeviceErrorCode = {
  OK: 0x00,
  INVALID_COMMAND: 0x01,
  INVALID_DATA: 0x02,
  INVALID_SESSION: 0x03,
  AUTHENTICATION_FAILED: 0x04,
  SESSIONS_FULL: 0x05,
  SESSION_FAILED: 0x06,
  STORAGE_FAILED: 0x07,
  WRONG_LENGTH: 0x08,
  INSUFFICIENT_PERMISSIONS: 0x09,
  LOG_FULL: 0x0a,
  OBJECT_NOT_FOUND: 0x0b,
  INVALID_ID: 0x0c,
  SSH_CA_CONSTRAINT_VIOLATION: 0x0e,
  INVALID_OTP: 0x0f,
  DEMO_MODE: 0x10,
  OBJECT_EXISTS: 0x11,
  ALGORITHM_DISABLED: 0x12,
  COMMAND_UNEXECUTED: 0xff,
} as const;
export type DeviceErrorName = keyof typeof DeviceErrorCode;

const byCode = new Map<number, DeviceErrorName>(
  Object.entries(DeviceErrorCode).map(([k, v]) => [v, k as DeviceErrorName]),
);

export function deviceErrorName(code: number): string {
  return byCode.get(code) ?? `UNKNOWN_ERROR_0x${code.toString(16).padStart(2, '0')}`;
}

/** What each device error means for the person holding the HSM. */
export const deviceErrorAdvice: Record<DeviceErrorName, string> = {
  OK: 'no error',
  INVALID_COMMAND: 'the device does not know this command; check the firmware version (2.4 or later is needed)',
  INVALID_DATA: 'the device rejected the request data (wrong algorithm for this object, malformed field or invalid key)',
  INVALID_SESSION: 'the session is unknown or expired (30 s idle); open a new session',
  AUTHENTICATION_FAILED: 'session authentication failed; check the authentication key id and password',
  SESSIONS_FULL: 'all 16 session slots are in use; close other sessions or wait 30 s for idle ones to expire',
  SESSION_FAILED: 'the device could not set up the session; retry',
  STORAGE_FAILED: 'the device is out of object storage; delete unused objects',
  WRONG_LENGTH: 'the request had the wrong length for this command',
  INSUFFICIENT_PERMISSIONS: 'the authentication key or the object lacks a needed capability or domain',
  LOG_FULL: 'the audit log is full and force-audit is on; read the log and advance the log index (SetLogIndex)',
  OBJECT_NOT_FOUND: 'no such object is visible to this session; check the id, the type and the domains',
  INVALID_ID: 'the object id is not valid for this operation',
  SSH_CA_CONSTRAINT_VIOLATION: 'the SSH template constraints were not met',
  INVALID_OTP: 'the OTP could not be decrypted or failed its CRC',
  DEMO_MODE: 'this is a demo device; power-cycle it',
  OBJECT_EXISTS: 'an object with this type and id already exists; choose another id or delete the old object',
  ALGORITHM_DISABLED: 'the algorithm is disabled on this device (algorithm toggle or FIPS mode)',
  COMMAND_UNEXECUTED: 'the command has not finished executing',
};

/** The advice for a device error byte, or undefined for a code this library does not know. */
export function deviceErrorAdviceFor(code: number): string | undefined {
  const name = byCode.get(code);
  return name === undefined ? undefined : deviceErrorAdvice[name];
}
