/** The transports: one interface, `send(frame) -> frame`, over yubihsm-connector HTTP, direct USB or in-process. */
export type { Transport } from './transport.js';
export { openTransport, type OpenTransportOptions } from './open.js';
export {
  HttpConnectorTransport,
  connectHttpConnector,
  parseConnectorUrl,
  DEFAULT_CONNECTOR_URL,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  type HttpConnectorOptions,
  type ConnectorUrl,
} from './http-connector.js';
export { parseConnectorStatus, type ConnectorStatus } from './connector-status.js';
export {
  UsbTransport,
  UsbTimeout,
  openUsbTransport,
  parseUsbUrl,
  parseUsbSerial,
  decodeBcdFirmware,
  type UsbTransportOptions,
  type UsbBackend,
  type UsbCandidate,
  type UsbEndpoints,
  type UsbDeviceInfo,
  type UsbUrl,
} from './usb.js';
export { InProcessTransport, type FrameHandler, type InProcessOptions } from './in-process.js';
export { TransportErrorCode, ConnectorHttpError } from './errors.js';
export { SerialQueue } from './serial-queue.js';
export { CONNECTOR_MAX_BODY, CONNECTOR_MIN_BODY } from './frame-check.js';
