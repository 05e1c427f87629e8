/** Test helpers for transports: a hand-written echo device and small byte builders (no project codecs). */
import net from 'node:net';

/** Builds a frame by hand: code, big-endian length, payload. */
export function frameOf(code: number, payloadLength: number, fill = (i: number) => (i * 7 + 3) & 0xff): Uint8Array {
  const f = new Uint8Array(3 + payloadLength);
  f[0] = code;
  f[1] = payloadLength >>> 8;
  f[2] = payloadLength & 0xff;
  for (let i = 0; i < payloadLength; i++) f[3 + i] = fill(i);
  return f;
}

/** Answers like Echo would: the request code with bit 7 set, same payload. */
export async function echoHandler(frame: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array(frame);
  out[0] = frame[0] | 0x80;
  return out;
}

export function expectedEcho(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame);
  out[0] |= 0x80;
  return out;
}

/** A TCP server that answers each connection with `reply(requestBytes, socket)`; for malformed-HTTP tests. */
export async function rawServer(
  onData: (socket: net.Socket, data: Buffer) => void,
): Promise<{ port: number; close(): Promise<void>; connections: number }> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((s) => {
    state.connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.on('data', (d) => onData(s, d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
