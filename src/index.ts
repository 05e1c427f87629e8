/**
 * hsm2kms library entry point. Other parts of the project add their exports below the client's.
 *
 *   import { YubiHsm, AsymmetricKey, PublicWrapKey } from 'hsm2kms';
 *   const hsm = await YubiHsm.connect();                                  // http://127.0.0.1:12345
 *   const s = await hsm.openSession({ authKeyId: 1, password: 'password' });
 */

// YubiHSM 2 client (src/client)
export * from './client/index.js';
export { Hsm2KmsError, TransportError, DeviceError, ProtocolError, AuthenticationError, UsageError } from './errors.js';
export { Algorithm, algorithmName, parseAlgorithm, type AlgorithmCode } from './protocol/algorithms.js';
export {
  capabilities,
  capabilityNames,
  formatCapabilities,
  parseCapabilities,
  ALL_DEFINED_CAPABILITIES,
  type Capabilities,
  type CapabilityName,
} from './protocol/capabilities.js';
export { ObjectType, objectTypeName, type ObjectTypeCode } from './protocol/object-types.js';
export { parseDomains, formatDomains, ALL_DOMAINS, type Domains } from './protocol/domains.js';
export { objectId, keyId, wrapKeyId, authKeyId, formatId, type ObjectId, type KeyId, type WrapKeyId, type AuthKeyId } from './protocol/ids.js';
export { DeviceErrorCode, type DeviceErrorName } from './protocol/device-errors.js';
export { DeviceOption, AuditMode, type OptionSetting } from './protocol/commands/option-values.js';
export type { ObjectInfo } from './protocol/commands/get-object-info.js';
export type { DeviceInfo } from './protocol/commands/get-device-info.js';
export type { ListFilter } from './protocol/list-filter.js';
export type { LogEntry } from './protocol/log-entry.js';
export type { StaticKeys } from './crypto/scp03.js';
export type { Transport } from './transport/transport.js';
export { HttpConnectorTransport, DEFAULT_CONNECTOR_URL } from './transport/http-connector.js';
export { InProcessTransport } from './transport/in-process.js';

// The ceremony (src/ceremony): everything `hsm2kms import` does.
export { runCeremony, configFingerprint, type RunCeremonyOptions, type CeremonyResult } from './ceremony/runner.js';
export { defaultConfig, applyConfig, validateConfig, type CeremonyConfig } from './ceremony/config.js';
export { makePlan, STEP_NAMES, type Plan, type StepName } from './ceremony/plan.js';
export type { CeremonyEvent } from './ceremony/events.js';
export { CeremonyError, VerificationError } from './ceremony/errors.js';

// KMS (src/kms): the adapter over @aws-sdk/client-kms and the local server.
export { AwsKms } from './kms/client/aws-kms.js';
export type { KmsPort } from './kms/client/port.js';
export { startKmsServer, DEFAULT_LOCAL_CREDENTIALS } from './kms/server/index.js';

// The software YubiHSM 2 (a simulator for rehearsal and tests, not an HSM).
export { SoftwareYubiHsm } from './simulator/device.js';
export { startConnectorServer } from './simulator/connector-server.js';
