/**
 * Transport over the yubihsm-connector HTTP API (PROTOCOL.md 2.1; Yubico/yubihsm-connector api.go):
 * `GET /connector/status` once on connect (requires `status=OK`), then one `POST /connector/api` with
 * `Content-Type: application/octet-stream` per frame, on one keep-alive connection, one frame in flight.
 * Works against Yubico's yubihsm-connector and against `hsm2kms hsm serve` (src/simulator/connector-server.ts).
 */
import type tls from 'node:tls';
import { TransportError, UsageError } from '../errors.js';
import { parseConnectorStatus, type ConnectorStatus } from './connector-status.js';
import { ConnectorHttpError, TransportErrorCode, closedError } from './errors.js';
import { CONNECTOR_MAX_BODY, MAX_ENCODABLE_FRAME, checkRequestFrame, checkResponseFrame } from './frame-check.js';
import { KeepAliveClient, WireError, type HttpTarget, type WireResponse } from './http-keepalive.js';
import { SerialQueue } from './serial-queue.js';
import type { Transport } from './transport.js';

export const DEFAULT_CONNECTOR_URL = 'http://127.0.0.1:12345';
/** RSA-4096 key generation on a YubiHSM 2 can take minutes (PROTOCOL.md 8, client rule 7). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Below the 5 s idle limit of yubihsm-connector (Go server, ReadTimeout 5 s) and of node:http servers. */
export const DEFAULT_IDLE_TIMEOUT_MS = 4_000;
const MAX_STATUS_BODY = 4096;

export interface HttpConnectorOptions {
  /** `http(s)://host:port[/base-path]`; default `http://127.0.0.1:12345`. */
  url?: string;
  /** Longest wait for one answer (default 10 minutes). */
  requestTimeoutMs?: number;
  /** Longest wait for the TCP/TLS connection (default 5 s). */
  connectTimeoutMs?: number;
  /** Idle time after which the kept-alive connection is closed (default 4 s). */
  idleTimeoutMs?: number;
  /** https: CA certificate(s) that signed the connector's certificate (PEM). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** https: client certificate and key (PEM), when the connector or its proxy asks for one. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** https: verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
}

export class HttpConnectorTransport implements Transport {
  /** The connector's base URL, normalised (no trailing slash). */
  readonly url: string;
  readonly description: string;
  /** The status page read by the last connect()/checkStatus(). */
  status: ConnectorStatus | undefined;
  private readonly client: KeepAliveClient;
  private readonly queue = new SerialQueue();
  private readonly requestTimeoutMs: number;
  private readonly apiHead: Buffer;
  private readonly statusRequest: Buffer;
  private readonly hostHeader: string;
  private closed = false;

  /** Opens a transport and checks `GET /connector/status` answers `status=OK`. */
  static async connect(options: HttpConnectorOptions = {}): Promise<HttpConnectorTransport> {
    const t = new HttpConnectorTransport(options);
    try {
      await t.checkStatus();
    } catch (e) {
      await t.close();
      throw e;
    }
    return t;
  }

  /** Builds the transport without touching the network (connect() also checks the status page). */
  constructor(options: HttpConnectorOptions = {}) {
    const target = parseConnectorUrl(options.url ?? DEFAULT_CONNECTOR_URL);
    this.url = target.url;
    this.description = `yubihsm-connector at ${this.url}`;
    this.hostHeader = target.hostHeader;
    this.requestTimeoutMs = positive(options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, 'requestTimeoutMs');
    const tlsOptions: tls.ConnectionOptions = {};
    if (options.ca !== undefined) tlsOptions.ca = options.ca;
    if (options.cert !== undefined) tlsOptions.cert = options.cert;
    if (options.key !== undefined) tlsOptions.key = options.key;
    if (options.rejectUnauthorized !== undefined) tlsOptions.rejectUnauthorized = options.rejectUnauthorized;
    const http: HttpTarget = { secure: target.secure, host: target.host, port: target.port, tls: tlsOptions };
    this.client = new KeepAliveClient(http, {
      connectTimeoutMs: positive(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs'),
      idleTimeoutMs: positive(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs'),
    });
    this.apiHead = Buffer.from(
      `POST ${target.basePath}/connector/api HTTP/1.1\r\nHost: ${target.hostHeader}\r\n` +
        'Content-Type: application/octet-stream\r\nContent-Length: ',
      'latin1',
    );
    this.statusRequest = Buffer.from(
      `GET ${target.basePath}/connector/status HTTP/1.1\r\nHost: ${target.hostHeader}\r\nAccept: text/plain\r\n\r\n`,
      'latin1',
    );
  }

  /** Reads the status page (any status value). */
  getStatus(): Promise<ConnectorStatus> {
    return this.queue.run(async () => {
      if (this.closed) throw closedError(this.description);
      const res = await this.exchange(this.statusRequest, MAX_STATUS_BODY);
      if (res.status !== 200) throw this.httpError(res.status, 'status');
      const status = parseConnectorStatus(res.body.toString('utf8'));
      if (!status) {
        throw new TransportError(
          TransportErrorCode.CONNECTOR_BAD_STATUS,
          `${this.url}/connector/status is not a yubihsm-connector status page; check the connector URL.`,
        );
      }
      this.status = status;
      return status;
    });
  }

  /** Reads the status page and requires `status=OK` (what libyubihsm does on connect). */
  async checkStatus(): Promise<ConnectorStatus> {
    const status = await this.getStatus();
    if (status.status !== 'OK') {
      throw new TransportError(
        TransportErrorCode.CONNECTOR_NO_DEVICE,
        `${this.description} reports status=${printable(status.status)}: it reaches no YubiHSM 2; plug the device in ` +
          '(and check the connector\'s serial setting and USB permissions), then retry.',
      );
    }
    return status;
  }

  async send(frame: Uint8Array): Promise<Uint8Array> {
    checkRequestFrame(frame);
    return this.queue.run(async () => {
      if (this.closed) throw closedError(this.description);
      const res = await this.exchange(this.buildApiRequest(frame), MAX_ENCODABLE_FRAME);
      if (res.status !== 200) throw this.httpError(res.status, 'api', frame.length);
      const body = new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.length);
      checkResponseFrame(body, this.description);
      return body;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  private buildApiRequest(frame: Uint8Array): Buffer {
    const head = this.apiHead;
    const len = String(frame.length);
    const out = Buffer.allocUnsafe(head.length + len.length + 4 + frame.length);
    head.copy(out, 0);
    let off = head.length + out.write(len, head.length, 'latin1');
    out[off++] = 0x0d;
    out[off++] = 0x0a;
    out[off++] = 0x0d;
    out[off++] = 0x0a;
    out.set(frame, off);
    return out;
  }

  private async exchange(request: Buffer, maxBody: number): Promise<WireResponse> {
    try {
      return await this.client.request(request, this.requestTimeoutMs, maxBody);
    } catch (e) {
      throw e instanceof WireError ? this.wireError(e) : e;
    }
  }

  private wireError(e: WireError): TransportError {
    const C = TransportErrorCode;
    const detail = e.errno ?? e.message;
    switch (e.kind) {
      case 'connect':
      case 'connect-timeout':
        return new TransportError(
          C.CONNECTOR_UNREACHABLE,
          `Cannot reach yubihsm-connector at ${this.url} (${e.kind === 'connect' ? detail : 'connect timeout'}); ` +
            'start yubihsm-connector or run `hsm2kms hsm serve`, or pass the right connector URL.',
          { cause: e },
        );
      case 'tls':
        return new TransportError(
          C.CONNECTOR_TLS,
          `TLS with ${this.url} failed (${detail}); pass the CA certificate that signed the connector's certificate (ca option).`,
          { cause: e },
        );
      case 'timeout':
        return new TransportError(
          C.CONNECTOR_TIMEOUT,
          `No answer from ${this.description} within ${Math.round(this.requestTimeoutMs / 1000)} s; the device may still be ` +
            'busy (RSA key generation takes minutes): raise the request timeout, then reopen the session.',
          { cause: e },
        );
      case 'lost':
        return new TransportError(
          C.CONNECTOR_CONNECTION_LOST,
          `The connection to ${this.description} broke before a whole answer arrived (${detail}); the command may or may ` +
            'not have run: check the connector, reopen the session and check the device state.',
          { cause: e },
        );
      case 'too-large':
        return new TransportError(
          C.CONNECTOR_BAD_RESPONSE,
          `${this.description} sent an answer larger than any frame; check that the URL points at yubihsm-connector.`,
          { cause: e },
        );
      case 'malformed':
        return new TransportError(
          C.CONNECTOR_BAD_RESPONSE,
          `${this.description} sent an answer that is not valid HTTP/1.1 (${e.message}); check that the URL points at yubihsm-connector.`,
          { cause: e },
        );
      case 'closed':
        return closedError(this.description);
    }
  }

  private httpError(status: number, endpoint: 'api' | 'status', frameLength = 0): ConnectorHttpError {
    const where = `${this.url}/connector/${endpoint}`;
    let message: string;
    // A 400 to the status page (a GET with no body) comes from a server that is not a connector, e.g. a KMS endpoint.
    switch (endpoint === 'status' && status === 400 ? 404 : status) {
      case 400:
        message =
          `${this.description} refused the ${frameLength}-byte frame (HTTP 400); connectors accept 3 to ${CONNECTOR_MAX_BODY} ` +
          'bytes (2051 before version 3.0.5): upgrade the connector or send less data per command.';
        break;
      case 403:
        message =
          `${this.description} refused the request (HTTP 403): Host '${this.hostHeader}' is not on its Host allow-list; ` +
          'connect through an allowed name such as localhost or 127.0.0.1, or add this one to the allow-list.';
        break;
      case 404:
      case 405:
        message = `${where} is not a yubihsm-connector endpoint (HTTP ${status}); check the connector URL.`
        break;
      case 500:
        message =
          `${this.description} could not exchange the frame with the device (HTTP 500); check that the YubiHSM 2 is ` +
          'plugged in and not held by another program, then reopen the session.';
        break;
      default:
        message = `${where} answered HTTP ${status}; check the connector URL and the connector's log.`;
    }
    return new ConnectorHttpError(status, message);
  }
}

/** Opens a yubihsm-connector transport and checks its status page (see HttpConnectorTransport.connect). */
export function connectHttpConnector(options: HttpConnectorOptions = {}): Promise<HttpConnectorTransport> {
  return HttpConnectorTransport.connect(options);
}

export interface ConnectorUrl {
  /** Normalised base URL, e.g. `http://127.0.0.1:12345`. */
  url: string;
  secure: boolean;
  /** Host to connect to; IPv6 literals without brackets. */
  host: string;
  port: number;
  /** Value of the Host header (host[:port] as written in the URL). */
  hostHeader: string;
  /** Path prefix before `/connector/...`, no trailing slash (usually empty). */
  basePath: string;
}

/**
 * Parses a connector URL. `http://localhost:12345`, `https://hsm.example:8443/prefix` and a URL that already ends in
 * `/connector/api` or `/connector/status` are accepted; credentials, queries and fragments are refused.
 */
export function parseConnectorUrl(text: string): ConnectorUrl {
  const bad = (why: string): UsageError =>
    new UsageError(
      'CONNECTOR_BAD_URL',
      `Connector URL ${JSON.stringify(text.slice(0, 100))} ${why}; use the form http://127.0.0.1:12345 (or https://host:port).`,
    );
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad('is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad('must start with http:// or https://');
  if (u.username || u.password) throw bad('must not carry a user name or password');
  if (u.search || u.hash) throw bad('must not carry a query or fragment');
  if (!u.hostname) throw bad('has no host');
  const secure = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : secure ? 443 : 80;
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  let basePath = u.pathname.replace(/\/+$/, '');
  basePath = basePath.replace(/\/connector(\/(api|status))?$/, '');
  return { url: `${u.protocol}//${u.host}${basePath}`, secure, host, port, hostHeader: u.host, basePath };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > 2 ** 31 - 1) {
    throw new UsageError('CONNECTOR_BAD_OPTION', `${name} must be a positive number of milliseconds below 2^31, got ${value}.`);
  }
  return value;
}

function printable(text: string): string {
  return text.slice(0, 40).replace(/[^\x21-\x7e]/g, '?');
}
