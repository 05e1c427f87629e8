/** The secure channel: one SecureChannel type for the host (client) and device (simulator) roles. See secure-channel.ts. */
export {
  SecureChannel,
  type ChannelRole,
  type ChannelState,
  type SendFrame,
  type HostSymmetricOptions,
  type HostAsymmetricOptions,
  type DeviceSymmetricOptions,
  type DeviceAsymmetricOptions,
} from './secure-channel.js';
export { SessionAuthenticationError, deviceRefusal } from './errors.js';
export { sessionFrameLength, maxInnerLength } from './session-message.js';
