/** Object types (PROTOCOL.md 4.2; https://developers.yubico.com/YubiHSM2/Concepts/Object.html). */
export const ObjectType = {
  OPAQUE: 0x01,
  AUTHENTICATION_KEY: 0x02,
  ASYMMETRIC_KEY: 0x03,
  WRAP_KEY: 0x04,
  HMAC_KEY: 0x05,
  TEMPLATE: 0x06,
  OTP_AEAD_KEY: 0x07,
  SYMMETRIC_KEY: 0x08,
  PUBLIC_WRAP_KEY: 0x09,
} as const;
export type ObjectTypeName = keyof typeof ObjectType;
export type ObjectTypeCode = (typeof ObjectType)[ObjectTypeName];

/** Names as yubihsm-shell spells them. */
export const objectTypeShellName: Record<ObjectTypeCode, string> = {
  0x01: 'opaque',
  0x02: 'authentication-key',
  0x03: 'asymmetric-key',
  0x04: 'wrap-key',
  0x05: 'hmac-key',
  0x06: 'template',
  0x07: 'otp-aead-key',
  0x08: 'symmetric-key',
  0x09: 'public-wrap-key',
};

const shellToCode = new Map<string, ObjectTypeCode>(
  Object.entries(objectTypeShellName).map(([k, v]) => [v, Number(k) as ObjectTypeCode]),
);
// Aliases yubihsm-shell accepts.
shellToCode.set('authkey', 0x02);
shellToCode.set('asymmetric', 0x03);
shellToCode.set('wrapkey', 0x04);
shellToCode.set('hmackey', 0x05);
shellToCode.set('symmetric', 0x08);
shellToCode.set('wrapkey-public', 0x09);
shellToCode.set('public-wrapkey', 0x09);

export function isObjectType(v: number): v is ObjectTypeCode {
  return v >= 0x01 && v <= 0x09;
}

export function objectTypeName(v: number): string {
  return isObjectType(v) ? objectTypeShellName[v] : `unknown-type-0x${v.toString(16).padStart(2, '0')}`;
}

export function parseObjectType(name: string): ObjectTypeCode | undefined {
  return shellToCode.get(name.trim().toLowerCase());
}
