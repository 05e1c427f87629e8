/**
 * Error codes raised by the transports (src/transport). Every failure that happens between this process and the
 * device (sockets, HTTP, USB) is a TransportError with one of these stable codes; a frame that the caller built
 * wrongly is a UsageError. Messages say what to do and never contain frame bytes.
 */
import { TransportError } from '../errors.js';

export const TransportErrorCode = {
  /** No TCP (or TLS) connection to the connector could be made. */
  CONNECTOR_UNREACHABLE: 'CONNECTOR_UNREACHABLE',
  /** The connector answered `status=NO_DEVICE` (or no `status=OK`). */
  CONNECTOR_NO_DEVICE: 'CONNECTOR_NO_DEVICE',
  /** The connector answered with an HTTP status other than 200. */
  CONNECTOR_HTTP_STATUS: 'CONNECTOR_HTTP_STATUS',
  /** The status page is not a yubihsm-connector status page. */
  CONNECTOR_BAD_STATUS: 'CONNECTOR_BAD_STATUS',
  /** The HTTP answer could not be parsed or is larger than any frame. */
  CONNECTOR_BAD_RESPONSE: 'CONNECTOR_BAD_RESPONSE',
  /** No whole answer within the request timeout. */
  CONNECTOR_TIMEOUT: 'CONNECTOR_TIMEOUT',
  /** The connection broke after the frame was sent and before the whole answer arrived. */
  CONNECTOR_CONNECTION_LOST: 'CONNECTOR_CONNECTION_LOST',
  /** TLS handshake or certificate verification failed. */
  CONNECTOR_TLS: 'CONNECTOR_TLS',
  /** The optional `usb` package (or its native part) cannot be loaded. */
  USB_UNAVAILABLE: 'USB_UNAVAILABLE',
  /** The USB bus could not be listed. */
  USB_ENUMERATION_FAILED: 'USB_ENUMERATION_FAILED',
  /** No YubiHSM 2 (1050:0030) is attached. */
  USB_NO_DEVICE: 'USB_NO_DEVICE',
  /** YubiHSM 2 devices are attached but none has the requested serial. */
  USB_SERIAL_NOT_FOUND: 'USB_SERIAL_NOT_FOUND',
  /** The device could not be opened or its interface claimed. */
  USB_OPEN_FAILED: 'USB_OPEN_FAILED',
  /** A bulk transfer failed. */
  USB_IO: 'USB_IO',
  /** A bulk transfer did not complete within the timeout. */
  USB_TIMEOUT: 'USB_TIMEOUT',
  /** The in-process frame handler threw instead of answering with a frame. */
  IN_PROCESS_HANDLER_FAILED: 'IN_PROCESS_HANDLER_FAILED',
  /** The answer is not one whole frame (shorter than 3 bytes, or its length field disagrees with its size). */
  TRANSPORT_BAD_RESPONSE_FRAME: 'TRANSPORT_BAD_RESPONSE_FRAME',
  /** send() after close(). */
  TRANSPORT_CLOSED: 'TRANSPORT_CLOSED',
} as const;
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/** A non-200 answer from the connector; `httpStatus` is the status code it sent. */
export class ConnectorHttpError extends TransportError {
  readonly httpStatus: number;
  constructor(httpStatus: number, message: string) {
    super(TransportErrorCode.CONNECTOR_HTTP_STATUS, message);
    this.httpStatus = httpStatus;
  }
}

/** Builds the TRANSPORT_CLOSED error every transport throws from send() after close(). */
export function closedError(description: string): TransportError {
  return new TransportError(
    TransportErrorCode.TRANSPORT_CLOSED,
    `The transport to ${description} is closed; open a new one before sending frames.`,
  );
}
