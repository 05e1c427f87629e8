/**
 * Picks and opens the transport for `YubiHsm.connect` (PROTOCOL.md 2): a yubihsm-connector URL (the default,
 * http://127.0.0.1:12345), direct USB, or a Transport the caller built (e.g. InProcessTransport to the software
 * device). `connections` opens several HTTP connections to one connector so that sessions can have frames in flight
 * at the same time; the connector (and `hsm2kms hsm serve`) still hands them to the device one at a time.
 */
import { UsageError } from '../errors.js';
import { DEFAULT_CONNECTOR_URL, HttpConnectorTransport, type HttpConnectorOptions } from '../transport/http-connector.js';
import type { Transport } from '../transport/transport.js';

export type TransportChoice =
  | ({ connector?: string; usb?: undefined; transport?: undefined; connections?: number } & Omit<HttpConnectorOptions, 'url'>)
  /** `true` (the only attached device), a serial number, or a `yhusb://serial=N` URL. */
  | { usb: true | string | number; connector?: undefined; transport?: undefined; requestTimeoutMs?: number }
  | { transport: Transport | Transport[]; connector?: undefined; usb?: undefined };

/** Opens the transports for a choice; every returned transport reaches the same device. */
export async function openTransports(choice: TransportChoice): Promise<Transport[]> {
  if (choice.transport !== undefined) {
    const list = Array.isArray(choice.transport) ? choice.transport : [choice.transport];
    if (list.length === 0) throw new UsageError('HSM_BAD_OPTION', 'Pass at least one transport.');
    return list;
  }
  if (choice.usb !== undefined) {
    const { openUsbTransport } = await import('../transport/usb.js');
    const { usb, requestTimeoutMs: timeoutMs } = choice;
    if (typeof usb === 'number') return [await openUsbTransport({ serial: usb, timeoutMs })];
    if (typeof usb === 'string') {
      if (/^\d{1,10}$/.test(usb.trim())) return [await openUsbTransport({ serial: Number(usb.trim()), timeoutMs })];
      return [await openUsbTransport({ url: usb, timeoutMs })];
    }
    return [await openUsbTransport({ timeoutMs })];
  }
  const { connector, connections = 1, ...http } = choice;
  if (!Number.isInteger(connections) || connections < 1 || connections > 16) {
    throw new UsageError('HSM_BAD_OPTION', `connections must be an integer from 1 to 16, got ${String(connections)}.`);
  }
  const url = connector ?? DEFAULT_CONNECTOR_URL;
  const first = await HttpConnectorTransport.connect({ ...http, url });
  const rest = Array.from({ length: connections - 1 }, () => new HttpConnectorTransport({ ...http, url }));
  return [first, ...rest];
}
