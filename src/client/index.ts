/**
 * The YubiHSM 2 client library: connect (yubihsm-connector HTTP, USB, or any Transport), open authenticated
 * sessions, and use every command of PROTOCOL.md 5 through the object classes. See src/index.ts for the package API.
 */
export { YubiHsm, formatVersion, type ConnectOptions, type FirmwareVersion } from './yubihsm.js';
export type { TransportChoice } from './transports.js';
export {
  HsmSession,
  deriveAuthenticationKeys,
  SESSION_IDLE_LIMIT_MS,
  type AuditLog,
  type SessionCredentials,
  type SessionEvent,
  type SessionOptions,
} from './session.js';
export {
  HsmDeviceError,
  HsmErrorCode,
  HsmObjectNotFoundError,
  HsmPermissionError,
  HsmSessionLostError,
  type HsmErrorCodeValue,
  type MissingPermission,
  type SessionLossReason,
} from './errors.js';
export { isSafeToRerun } from './command-safety.js';
export { verifyAttestation, type VerifiedAttestation } from './attestation.js';
export { requirementsFor, type Requirements, type ObjectNeed } from './permissions.js';
export {
  YubiHsmObject,
  type AlgorithmInput,
  type CapabilitiesInput,
  type CreateOptions,
  type CreateOptionsDelegated,
  type DomainsInput,
  type ObjectDetails,
} from './objects/object.js';
export { AsymmetricKey, type PutAsymmetricKeyOptions } from './objects/asymmetric-key.js';
export { AuthenticationKey } from './objects/authentication-key.js';
export { HmacKey } from './objects/hmac-key.js';
export { Opaque } from './objects/opaque.js';
export { OtpAeadKey, type OtpAeadKeyOptions } from './objects/otp-aead-key.js';
export { PublicWrapKey, type PutPublicWrapKeyOptions } from './objects/public-wrap-key.js';
export { SymmetricKey } from './objects/symmetric-key.js';
export { Template } from './objects/template.js';
export { WrapKey, type PutRsaWrappedKeyOptions, type PutWrapKeyOptions } from './objects/wrap-key.js';
export { objectFor, type AnyObject } from './objects/factory.js';
export type { HsmPublicKey } from './objects/public-key.js';
export type { HashChoice, RsaUnwrapOptions, RsaWrapOptions } from './objects/rsa-wrap-options.js';
