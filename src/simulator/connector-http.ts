/**
 * Small pure pieces of the yubihsm-connector compatible server (connector-server.ts): the status page text, the
 * serial as the connector shows it, X-Request-ID handling and the Host-header allow-list.
 */
import { randomUuid } from '../crypto/random.js';
import { UsageError } from '../errors.js';

/** yubihsm-connector's default Host allow-list (main.go), used when the allow-list is switched on. */
export const DEFAULT_HOST_ALLOWLIST: readonly string[] = ['localhost', 'localhost.', '127.0.0.1', '[::1]'];

/**
 * The serial as the connector prints it: `*` when none is configured, else the decimal serial zero-padded to 10
 * digits (main.go ensureSerial: at most 10 digits).
 */
export function normaliseSerial(serial: string | undefined): string {
  if (serial === undefined || serial === '' || serial === '*') return '*';
  if (!/^\d{1,10}$/.test(serial)) {
    throw new UsageError('CONNECTOR_SERVER_BAD_OPTION', `Serial must be 1 to 10 decimal digits, got ${JSON.stringify(serial.slice(0, 20))}.`);
  }
  return serial.padStart(10, '0');
}

export interface StatusFields {
  serial: string;
  version: string;
  pid: number;
  address: string;
  port: number;
}

/** `GET /connector/status` body: six `key=value\n` lines in the connector's order. */
export function statusBody(f: StatusFields): Buffer {
  return Buffer.from(
    `status=OK\nserial=${f.serial}\nversion=${f.version}\npid=${f.pid}\naddress=${f.address}\nport=${f.port}\n`,
    'utf8',
  );
}

/** Echo the client's X-Request-ID when it is a sane header value, else make a UUID (as the connector does). */
export function requestIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value.length > 0 && value.length <= 200 && /^[\x21-\x7e]+$/.test(value)) return value;
  return randomUuid();
}

/** Host header minus its port, compared case-insensitively with the allow-list (connector: extractHost). */
export function hostAllowed(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  let host = (hostHeader ?? '').toLowerCase();
  const colon = host.lastIndexOf(':');
  const bracket = host.indexOf(']');
  if (colon > bracket) host = host.slice(0, colon);
  return allowed.includes(host);
}
