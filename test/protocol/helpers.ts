/** Test helpers for the protocol tests: vectors.json, hex, and a ProtocolError matcher. */
import { ProtocolError } from '../../src/errors.js';
import { loadYubihsmVectors } from '../vectors/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const vectors: any = loadYubihsmVectors();

/** A plain Uint8Array (not a Buffer) from hex, so deepStrictEqual compares like with like. */
export function h(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** A 40-byte label: the ASCII text, then zeros. */
export function label(text: string): Uint8Array {
  const out = new Uint8Array(40);
  out.set(Buffer.from(text, 'ascii'));
  return out;
}

export function filled(n: number, byte: number): Uint8Array {
  return new Uint8Array(n).fill(byte);
}

/** assert.throws matcher: a ProtocolError with this code and device error byte, message matching `msg`. */
export function protocolError(code: string, deviceCode: number, msg: RegExp) {
  return (e: unknown): boolean => {
    if (!(e instanceof ProtocolError)) throw new Error(`expected ProtocolError, got ${String(e)}`);
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
    if (e.deviceCode !== deviceCode) throw new Error(`expected device code ${deviceCode}, got ${e.deviceCode}`);
    if (!msg.test(e.message)) throw new Error(`message ${JSON.stringify(e.message)} does not match ${msg}`);
    return true;
  };
}
