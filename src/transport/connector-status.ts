/**
 * The yubihsm-connector status page, `GET /connector/status` (PROTOCOL.md 2.1): text/plain, one `key=value` per
 * line in the order status, serial, version, pid, address, port. Pure parsing, no I/O.
 *
 * The version is parsed as plain `major.minor.patch` (PROTOCOL.md 10 #17: libyubihsm's parser discards a good
 * three-field parse and reports 0.0.0; we do not copy that).
 */

export interface ConnectorStatus {
  /** `OK` when the connector can reach a device, `NO_DEVICE` otherwise. */
  status: string;
  /** `*` when the connector serves any device, else the configured serial (the connector zero-pads it to 10 digits). */
  serial: string | undefined;
  /** Connector version text as sent, e.g. `3.0.7`. */
  version: string | undefined;
  /** Parsed version, when it is `x.y.z` (trailing text after the patch number is ignored). */
  versionNumbers: { major: number; minor: number; patch: number } | undefined;
  pid: number | undefined;
  address: string | undefined;
  port: number | undefined;
  /** Every key=value pair received, including keys this parser does not know. */
  fields: Record<string, string>;
}

/** Parses a status page; returns undefined when there is no `status=` line (not a connector status page). */
export function parseConnectorStatus(text: string): ConnectorStatus | undefined {
  const fields: Record<string, string> = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!(key in fields)) fields[key] = line.slice(eq + 1).trim();
  }
  if (fields.status === undefined) return undefined;
  return {
    status: fields.status,
    serial: fields.serial,
    version: fields.version,
    versionNumbers: parseVersion(fields.version),
    pid: parseDecimal(fields.pid),
    address: fields.address,
    port: parseDecimal(fields.port),
    fields,
  };
}

function parseVersion(text: string | undefined): ConnectorStatus['versionNumbers'] {
  const m = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})/.exec(text ?? '');
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

function parseDecimal(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
