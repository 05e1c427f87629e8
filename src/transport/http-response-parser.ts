/**
 * Incremental parser for one HTTP/1.x response (RFC 9112): status line, headers, and a body framed by
 * Content-Length, chunked transfer coding, or the end of the connection. It is strict and bounded: heads over
 * 16 KiB, bodies over `maxBodyBytes` and malformed framing throw HttpParseError. 1xx interim answers are skipped.
 * Used by the keep-alive client behind the yubihsm-connector transport; it does no I/O.
 */

export class HttpParseError extends Error {
  constructor(
    readonly reason: 'malformed' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

const CRLF = Buffer.from('\r\n', 'latin1');
const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);
const MAX_HEAD_BYTES = 16 * 1024;
const MAX_CHUNK_LINE = 1024;
const MAX_TRAILER_BYTES = 8 * 1024;

const enum State {
  Head,
  Fixed,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

export class ResponseParser {
  status = 0;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string> = {};
  /** Whether the connection may carry another request after this response. */
  keepAlive = true;
  private buf: Buffer = EMPTY;
  private state = State.Head;
  private parts: Buffer[] = [];
  private bodyLength = 0;
  private remaining = 0;
  private trailerBytes = 0;

  constructor(private readonly maxBodyBytes: number) {}

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Bytes received after the end of the response (a well-behaved server sends none). */
  get leftover(): number {
    return this.state === State.Done ? this.buf.length : 0;
  }

  /** Whether the body ends when the connection ends. */
  get readsUntilClose(): boolean {
    return this.state === State.UntilClose;
  }

  /** Feeds received bytes; returns true once the whole response has arrived. */
  feed(chunk: Buffer): boolean {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.run();
    return this.state === State.Done;
  }

  /** The connection ended; returns true if that completes the response (body delimited by close). */
  end(): boolean {
    if (this.state === State.UntilClose) {
      this.state = State.Done;
      return true;
    }
    return this.state === State.Done;
  }

  body(): Buffer {
    if (this.parts.length === 1) return this.parts[0];
    if (this.parts.length === 0) return EMPTY;
    return Buffer.concat(this.parts, this.bodyLength);
  }

  private run(): void {
    for (;;) {
      switch (this.state) {
        case State.Head:
          if (!this.parseHead()) return;
          break;
        case State.Fixed: {
          if (this.buf.length === 0) return;
          const take = Math.min(this.remaining, this.buf.length);
          this.pushBody(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.Done;
          break;
        }
        case State.ChunkSize: {
          const line = this.takeLine(MAX_CHUNK_LINE, 'chunk size line');
          if (line === undefined) return;
          const sizeText = line.split(';', 1)[0].trim();
          if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new HttpParseError('malformed', 'bad chunk size line');
          const size = parseInt(sizeText, 16);
          if (size === 0) {
            this.state = State.Trailers;
          } else {
            if (this.bodyLength + size > this.maxBodyBytes) this.tooLarge();
            this.remaining = size;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          if (this.buf.length === 0) return;
          const take = Math.min(this.remaining, this.buf.length);
          this.pushBody(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          break;
        }
        case State.ChunkDataEnd:
          if (this.buf.length < 2) return;
          if (this.buf[0] !== 0x0d || this.buf[1] !== 0x0a) throw new HttpParseError('malformed', 'chunk not followed by CRLF');
          this.buf = this.buf.subarray(2);
          this.state = State.ChunkSize;
          break;
        case State.Trailers: {
          const line = this.takeLine(MAX_TRAILER_BYTES, 'trailer line');
          if (line === undefined) return;
          this.trailerBytes += line.length + 2;
          if (this.trailerBytes > MAX_TRAILER_BYTES) throw new HttpParseError('malformed', 'trailers too long');
          if (line.length === 0) this.state = State.Done;
          break;
        }
        case State.UntilClose:
          if (this.buf.length === 0) return;
          this.pushBody(this.buf);
          this.buf = EMPTY;
          return;
        case State.Done:
          return;
      }
    }
  }

  private takeLine(limit: number, what: string): string | undefined {
    const idx = this.buf.indexOf(CRLF);
    if (idx < 0) {
      if (this.buf.length > limit) throw new HttpParseError('malformed', `${what} too long`);
      return undefined;
    }
    const line = this.buf.toString('latin1', 0, idx);
    this.buf = this.buf.subarray(idx + 2);
    return line;
  }

  private pushBody(part: Buffer): void {
    if (part.length === 0) return;
    this.bodyLength += part.length;
    if (this.bodyLength > this.maxBodyBytes) this.tooLarge();
    this.parts.push(part);
  }

  private tooLarge(): never {
    throw new HttpParseError('too-large', `body larger than ${this.maxBodyBytes} bytes`);
  }

  /** Parses status line and headers; returns false if more bytes are needed. */
  private parseHead(): boolean {
    const idx = this.buf.indexOf(CRLFCRLF);
    if (idx < 0) {
      if (this.buf.length > MAX_HEAD_BYTES) throw new HttpParseError('malformed', 'response head too long');
      return false;
    }
    if (idx > MAX_HEAD_BYTES) throw new HttpParseError('malformed', 'response head too long');
    const lines = this.buf.toString('latin1', 0, idx).split('\r\n');
    this.buf = this.buf.subarray(idx + 4);
    const m = /^HTTP\/1\.([01]) ([1-5]\d\d)(?: [^\r\n]*)?$/.exec(lines[0]);
    if (!m) throw new HttpParseError('malformed', 'not an HTTP/1.x status line');
    const minor = Number(m[1]);
    const status = Number(m[2]);
    const headers: Record<string, string> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      const colon = line.indexOf(':');
      if (colon <= 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
        throw new HttpParseError('malformed', 'bad header line');
      }
      const name = line.slice(0, colon).toLowerCase();
      if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new HttpParseError('malformed', 'bad header name');
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    if (status >= 100 && status < 200) {
      if (status === 101) throw new HttpParseError('malformed', 'unexpected protocol switch');
      return true; // interim answer: parse the next head
    }
    this.status = status;
    this.headers = headers;
    const connection = (headers['connection'] ?? '').toLowerCase();
    this.keepAlive = minor === 1 ? !/(^|,)\s*close\s*(,|$)/.test(connection) : /(^|,)\s*keep-alive\s*(,|$)/.test(connection);

    if (status === 204 || status === 304) {
      this.state = State.Done;
      return true;
    }
    const te = headers['transfer-encoding'];
    if (te !== undefined) {
      if (/(^|,)\s*chunked\s*$/i.test(te)) {
        this.state = State.ChunkSize;
      } else {
        this.keepAlive = false;
        this.state = State.UntilClose;
      }
      return true;
    }
    const cl = headers['content-length'];
    if (cl !== undefined) {
      const values = cl.split(',').map((v) => v.trim());
      if (!values.every((v) => /^\d{1,15}$/.test(v) && v === values[0])) {
        throw new HttpParseError('malformed', 'bad Content-Length');
      }
      const length = Number(values[0]);
      if (length > this.maxBodyBytes) this.tooLarge();
      this.remaining = length;
      this.state = length === 0 ? State.Done : State.Fixed;
      return true;
    }
    this.keepAlive = false;
    this.state = State.UntilClose;
    return true;
  }
}
