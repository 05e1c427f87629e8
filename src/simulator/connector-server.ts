/**
 * An HTTP front-end that speaks the yubihsm-connector 3.0.x API (PROTOCOL.md 2.1; Yubico/yubihsm-connector api.go,
 * main.go), so Yubico's clients (yubihsm-shell/libyubihsm via curl, python-yubihsm via requests) and ours can use a
 * frame handler such as the software YubiHSM 2 unchanged:
 *
 *   GET  /connector/status  200 text/plain `status=OK\nserial=*\nversion=…\npid=…\naddress=…\nport=…\n`
 *   POST /connector/api     body = one frame (3..3139 bytes) -> 200 application/octet-stream answer frame
 *   other methods           405 with `Allow: GET` / `Allow: POST`; other paths 404; bad body length 400;
 *                           Host not on the optional allow-list 403; handler failure 500 (the connector's USB failure)
 *
 * Every answer echoes `X-Request-ID` (a UUID is made when the request has none). One frame is in flight device-wide.
 * Bodies are never buffered beyond the limit; slow, malformed and vanishing clients cannot crash the process.
 */
import http from 'node:http';
import type net from 'node:net';
import { UsageError } from '../errors.js';
import { CONNECTOR_MAX_BODY, CONNECTOR_MIN_BODY } from '../transport/frame-check.js';
import { SerialQueue } from '../transport/serial-queue.js';
import { DEFAULT_HOST_ALLOWLIST, hostAllowed, normaliseSerial, requestIdFor, statusBody } from './connector-http.js';

/** The connector version this front-end reports (the 3.0.x API, with the 3136 + 3 byte body limit of >= 3.0.5). */
export const CONNECTOR_COMPAT_VERSION = '3.0.7';
export const DEFAULT_CONNECTOR_PORT = 12345;

export interface ConnectorServerOptions {
  /** Answers one whole frame with one whole frame (the software device's `handleFrame`). */
  handler: (frame: Uint8Array) => Promise<Uint8Array>;
  /** Listen address; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Listen port; default 12345, 0 picks a free port. */
  port?: number;
  /** Serial shown on the status page (decimal, zero-padded to 10 digits as the connector does); default `*`. */
  serial?: string;
  /** Enables the Host-header allow-list (403 for other hosts), e.g. DEFAULT_HOST_ALLOWLIST. */
  allowedHosts?: string[];
  /** Receives one line per notable event (errors, refused requests); never frame contents. */
  log?: (line: string) => void;
  /** Version shown on the status page; default CONNECTOR_COMPAT_VERSION. */
  version?: string;
  /**
   * A client must deliver its whole request within this time (head within two thirds of it), else the connection is
   * closed; default 15 s (yubihsm-connector allows 5 s). Slow device commands are not limited by it.
   */
  slowClientTimeoutMs?: number;
}

export interface ConnectorServer {
  /** Base URL clients use, e.g. `http://127.0.0.1:12345`. */
  url: string;
  host: string;
  port: number;
  /** Stops listening, lets a frame in flight finish (up to 2 s), closes every connection. Idempotent. */
  close(): Promise<void>;
}

export { DEFAULT_HOST_ALLOWLIST };

const STATUS_PATH = '/connector/status';
const API_PATH = '/connector/api';
const CLOSE_GRACE_MS = 2_000;
/** Lingering close after refusing a body: keep discarding for this long so the client reads the answer. */
const LINGER_MS = 500;

export async function startConnectorServer(options: ConnectorServerOptions): Promise<ConnectorServer> {
  if (typeof options?.handler !== 'function') {
    throw new UsageError('CONNECTOR_SERVER_BAD_OPTION', 'startConnectorServer needs a frame handler function.');
  }
  const host = options.host ?? '127.0.0.1';
  const wantedPort = options.port ?? DEFAULT_CONNECTOR_PORT;
  if (!Number.isInteger(wantedPort) || wantedPort < 0 || wantedPort > 65535) {
    throw new UsageError('CONNECTOR_SERVER_BAD_OPTION', `Port must be an integer from 0 to 65535, got ${wantedPort}.`);
  }
  const serial = normaliseSerial(options.serial);
  const allowed = options.allowedHosts && options.allowedHosts.length > 0 ? options.allowedHosts.map((h) => h.toLowerCase()) : undefined;
  const log = options.log ?? (() => undefined);
  const version = options.version ?? CONNECTOR_COMPAT_VERSION;
  const handler = options.handler;
  const device = new SerialQueue();
  let closing = false;
  let boundPort = wantedPort;

  const slowClientMs = options.slowClientTimeoutMs ?? 15_000;
  if (!Number.isFinite(slowClientMs) || slowClientMs < 10) {
    throw new UsageError('CONNECTOR_SERVER_BAD_OPTION', `slowClientTimeoutMs must be at least 10 ms, got ${slowClientMs}.`);
  }
  const server = http.createServer(
    {
      // Slow clients: the whole request within slowClientMs, its head within two thirds of that.
      headersTimeout: Math.round((slowClientMs * 2) / 3),
      requestTimeout: slowClientMs,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.max(5, Math.min(5_000, Math.round(slowClientMs / 3))),
      maxHeaderSize: 16 * 1024,
      noDelay: true,
    },
    (req, res) => {
      try {
        onRequest(req, res);
      } catch (e) {
        log(`connector: internal error ${errorSummary(e)}`);
        safeError(res, 500);
      }
    },
  );

  function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const id = requestIdFor(req.headers['x-request-id']);
    if (closing) res.setHeader('Connection', 'close');

    if (allowed && !hostAllowed(req.headers.host, allowed)) {
      log(`connector: 403 host not allowed (${JSON.stringify(String(req.headers.host ?? '').slice(0, 80))}) request ${id}`);
      refuse(req, res, 403, id);
      return;
    }
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);

    if (path === STATUS_PATH) {
      if (req.method !== 'GET') {
        res.setHeader('Allow', 'GET');
        refuse(req, res, 405, id);
        return;
      }
      const body = statusBody({ serial, version, pid: process.pid, address: host, port: boundPort });
      res.writeHead(200, ['Content-Type', 'text/plain; charset=utf-8', 'Content-Length', String(body.length), 'X-Request-ID', id]);
      res.end(body);
      return;
    }
    if (path === API_PATH) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        refuse(req, res, 405, id);
        return;
      }
      onApi(req, res, id);
      return;
    }
    refuse(req, res, 404, id);
  }

  function onApi(req: http.IncomingMessage, res: http.ServerResponse, id: string): void {
    const lengthHeader = req.headers['content-length'];
    if (lengthHeader !== undefined) {
      const declared = Number(lengthHeader);
      if (!(declared >= CONNECTOR_MIN_BODY && declared <= CONNECTOR_MAX_BODY)) {
        log(`connector: 400 body of ${lengthHeader.slice(0, 20)} bytes refused (limits ${CONNECTOR_MIN_BODY}..${CONNECTOR_MAX_BODY}) request ${id}`);
        refuse(req, res, 400, id);
        return;
      }
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      received += chunk.length;
      if (received > CONNECTOR_MAX_BODY) {
        refused = true;
        chunks.length = 0;
        log(`connector: 400 body over ${CONNECTOR_MAX_BODY} bytes refused request ${id}`);
        refuse(req, res, 400, id);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      if (received < CONNECTOR_MIN_BODY) {
        log(`connector: 400 body of ${received} bytes refused request ${id}`);
        safeError(res, 400, id);
        return;
      }
      const frame = new Uint8Array(received);
      let off = 0;
      for (const c of chunks) {
        frame.set(c, off);
        off += c.length;
      }
      void device.run(() => exchange(frame, res, id));
    });
  }

  async function exchange(frame: Uint8Array, res: http.ServerResponse, id: string): Promise<void> {
    let answer: Uint8Array;
    try {
      answer = await handler(frame);
      if (!(answer instanceof Uint8Array)) throw new TypeError('handler answered something other than a Uint8Array');
    } catch (e) {
      log(`connector: 500 frame handler failed (${errorSummary(e)}) request ${id}`);
      safeError(res, 500, id);
      return;
    }
    if (res.destroyed || res.writableEnded) return; // the client went away; the frame was still delivered
    res.writeHead(200, ['Content-Type', 'application/octet-stream', 'Content-Length', String(answer.length), 'X-Request-ID', id]);
    res.end(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength));
  }

  /** Answers an error and, if the request body was not read, closes the connection after a short lingering read. */
  function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, id: string): void {
    const declared = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (declared !== undefined && declared !== '0');
    const bodyPending = hasBody && !req.complete;
    if (bodyPending) res.setHeader('Connection', 'close');
    safeError(res, status, id);
    if (!bodyPending) return;
    const socket = req.socket;
    // Discard (never buffer) what is still coming, so the client can read the answer before the close.
    req.removeAllListeners('data');
    req.on('data', () => undefined);
    req.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
    const code = err.code ?? 'ERROR';
    if (code !== 'ECONNRESET' && code !== 'EPIPE') log(`connector: client error ${code}`);
    const inFlight = (socket as net.Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const text = http.STATUS_CODES[status] ?? 'Bad Request';
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${text.length + 1}\r\nConnection: close\r\n\r\n${text}\n`);
    socket.destroySoon?.();
  });
  server.on('connection', (socket: net.Socket) => socket.on('error', () => undefined));

  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(
        new UsageError(
          'CONNECTOR_SERVER_LISTEN',
          `Cannot listen on ${host}:${wantedPort} (${e.code ?? e.message}); pick another port or stop the program using it (yubihsm-connector?).`,
          { cause: e },
        ),
      );
    };
    server.once('error', onError);
    server.listen(wantedPort, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  server.on('error', (e: NodeJS.ErrnoException) => log(`connector: server error ${e.code ?? e.name}`));
  const address = server.address();
  boundPort = typeof address === 'object' && address ? address.port : wantedPort;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${boundPort}`,
    host,
    port: boundPort,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        server.close(() => resolve());
        server.closeIdleConnections();
        const started = Date.now();
        const sweep = setInterval(() => {
          server.closeIdleConnections();
          if (device.size === 0 || Date.now() - started > CLOSE_GRACE_MS) {
            clearInterval(sweep);
            server.closeAllConnections();
          }
        }, 20);
        sweep.unref();
      });
      return closed;
    },
  };
}

/** Writes the connector's plain-text error (`<Status Text>\n`, as Go's http.Error does) unless headers went out. */
function safeError(res: http.ServerResponse, status: number, id?: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = status === 404 ? '404 page not found\n' : `${http.STATUS_CODES[status] ?? 'Error'}\n`;
  if (id !== undefined) res.setHeader('X-Request-ID', id);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function errorSummary(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const code = (e as { code?: unknown }).code;
  const message = e.message.replace(/\s+/g, ' ').slice(0, 160);
  return `${e.name}${typeof code === 'string' ? ` ${code}` : ''}: ${message}`;
}
