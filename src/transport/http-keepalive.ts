/**
 * A lean HTTP/1.1 client that keeps one TCP (or TLS) connection open and runs one request at a time on it.
 * Measured against node:http with a keep-alive Agent and against fetch (bench/transport-http.ts): writing the
 * whole request in one write and parsing the small answer ourselves costs far less per round trip, which matters
 * when every signature is one HTTP exchange. Callers serialise requests (the transport's queue does).
 *
 * Failures are WireErrors with a `kind`; the connector transport turns them into TransportErrors with messages.
 */
import net from 'node:net';
import tls from 'node:tls';
import { HttpParseError, ResponseParser } from './http-response-parser.js';

export interface HttpTarget {
  secure: boolean;
  /** Host name or IP address to connect to (IPv6 without brackets). */
  host: string;
  port: number;
  /** TLS options for https (CA bundle, client certificate, verification). */
  tls?: tls.ConnectionOptions;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type WireErrorKind =
  | 'connect' // TCP connect failed (errno in `errno`)
  | 'connect-timeout'
  | 'tls' // TLS handshake / certificate failure
  | 'timeout' // no whole answer in time
  | 'lost' // connection ended or failed mid-exchange
  | 'malformed' // not valid HTTP
  | 'too-large' // answer larger than allowed
  | 'closed'; // client closed

export class WireError extends Error {
  constructor(
    readonly kind: WireErrorKind,
    message: string,
    readonly errno?: string,
    /** Response bytes received before the failure (0 = the server sent nothing). */
    readonly received = 0,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface Exchange {
  parser: ResponseParser;
  received: number;
  resolve: (r: WireResponse) => void;
  reject: (e: WireError) => void;
}

export interface KeepAliveOptions {
  connectTimeoutMs: number;
  /** Close the connection after this long without a request (below the server's idle timeout). */
  idleTimeoutMs: number;
}

export class KeepAliveClient {
  private socket: net.Socket | null = null;
  private exchange: Exchange | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private requestTimer: NodeJS.Timeout | null = null;
  private requestTimeoutMs = 0;
  private closed = false;

  constructor(
    private readonly target: HttpTarget,
    private readonly options: KeepAliveOptions,
  ) {}

  /**
   * Writes `request` (a whole HTTP request) and resolves with the parsed answer. If a reused idle connection turns
   * out to be closed by the server before any answer byte, the request is sent once more on a new connection.
   */
  async request(request: Buffer, timeoutMs: number, maxBodyBytes: number): Promise<WireResponse> {
    if (this.closed) throw new WireError('closed', 'client closed');
    const reused = this.socket !== null;
    const socket = this.socket ?? (await this.connect());
    try {
      return await this.exchangeOn(socket, request, timeoutMs, maxBodyBytes);
    } catch (e) {
      if (reused && e instanceof WireError && e.kind === 'lost' && e.received === 0 && !this.closed) {
        return this.exchangeOn(await this.connect(), request, timeoutMs, maxBodyBytes);
      }
      throw e;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.requestTimer) clearTimeout(this.requestTimer);
    this.fail(new WireError('closed', 'client closed'));
    this.dropSocket();
  }

  private exchangeOn(socket: net.Socket, request: Buffer, timeoutMs: number, maxBodyBytes: number): Promise<WireResponse> {
    return new Promise<WireResponse>((resolve, reject) => {
      this.exchange = { parser: new ResponseParser(maxBodyBytes), received: 0, resolve, reject };
      socket.ref();
      this.armRequestTimer(timeoutMs);
      socket.write(request);
    });
  }

  private armRequestTimer(timeoutMs: number): void {
    if (this.requestTimer && this.requestTimeoutMs === timeoutMs) {
      this.requestTimer.refresh();
      return;
    }
    if (this.requestTimer) clearTimeout(this.requestTimer);
    this.requestTimeoutMs = timeoutMs;
    this.requestTimer = setTimeout(() => this.onRequestTimeout(), timeoutMs);
    this.requestTimer.unref();
  }

  private onRequestTimeout(): void {
    const ex = this.exchange;
    if (!ex) return;
    this.fail(new WireError('timeout', `no whole answer within ${this.requestTimeoutMs} ms`, undefined, ex.received));
    this.dropSocket();
  }

  private connect(): Promise<net.Socket> {
    const { host, port, secure } = this.target;
    return new Promise<net.Socket>((resolve, reject) => {
      let settled = false;
      const socket = secure
        ? tls.connect({ ...this.target.tls, host, port, servername: this.target.tls?.servername ?? sniName(host), ALPNProtocols: ['http/1.1'] })
        : net.connect({ host, port, autoSelectFamily: true });
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(new WireError('connect-timeout', `no connection within ${this.options.connectTimeoutMs} ms`));
      }, this.options.connectTimeoutMs);
      const onError = (err: NodeJS.ErrnoException): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        const kind = secure && isTlsError(err) ? 'tls' : 'connect';
        reject(new WireError(kind, err.message, err.code, 0, { cause: err }));
      };
      socket.once('error', onError);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeListener('error', onError);
        if (this.closed) {
          socket.destroy();
          reject(new WireError('closed', 'client closed'));
          return;
        }
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        this.adopt(socket);
        resolve(socket);
      });
    });
  }

  private adopt(socket: net.Socket): void {
    this.dropSocket();
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('end', () => this.onGone(socket, undefined));
    socket.on('error', (err: NodeJS.ErrnoException) => this.onGone(socket, err));
    socket.on('close', () => this.onGone(socket, undefined));
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    const ex = this.exchange;
    if (!ex) {
      // Bytes nobody asked for: the connection is out of step, never reuse it.
      this.dropSocket();
      return;
    }
    ex.received += chunk.length;
    let complete: boolean;
    try {
      complete = ex.parser.feed(chunk);
    } catch (e) {
      const pe = e as HttpParseError;
      this.fail(new WireError(pe.reason ?? 'malformed', pe.message, undefined, ex.received, { cause: e }));
      this.dropSocket();
      return;
    }
    if (complete) this.finish(socket, ex);
  }

  private onGone(socket: net.Socket, err: NodeJS.ErrnoException | undefined): void {
    if (socket !== this.socket) return;
    const ex = this.exchange;
    if (ex && !err && ex.parser.end()) {
      this.finish(socket, ex);
      return;
    }
    if (ex) {
      const why = err ? `${err.code ?? err.message}` : 'connection closed by the server';
      this.fail(new WireError('lost', why, err?.code, ex.received, { cause: err }));
    }
    this.dropSocket();
  }

  private finish(socket: net.Socket, ex: Exchange): void {
    this.exchange = null;
    const { parser } = ex;
    if (!parser.keepAlive || parser.leftover > 0) {
      this.dropSocket();
    } else {
      socket.unref();
      this.armIdleTimer();
    }
    ex.resolve({ status: parser.status, headers: parser.headers, body: parser.body() });
  }

  private fail(err: WireError): void {
    const ex = this.exchange;
    if (!ex) return;
    this.exchange = null;
    ex.reject(err);
  }

  private armIdleTimer(): void {
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      if (!this.exchange) this.dropSocket();
    }, this.options.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private dropSocket(): void {
    const s = this.socket;
    if (!s) return;
    this.socket = null;
    s.destroy();
  }
}

function sniName(host: string): string | undefined {
  return net.isIP(host) === 0 ? host : undefined;
}

function isTlsError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|DEPTH_ZERO/.test(code);
}
