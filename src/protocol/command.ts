/**
 * The shape every command file exports: one definition of the request and response bytes, used by the
 * client (encodeRequest/decodeResponse) and by the software device (decodeRequest/encodeResponse), so the two
 * sides cannot drift (STYLE.md habit 1). All four functions are pure.
 */
import type { CommandCode } from './command-codes.js';

export interface CommandDef<Req, Res> {
  /** Command code (PROTOCOL.md 1.4). */
  readonly code: CommandCode;
  /** Name as on Yubico's command page, e.g. `Sign ECDSA`. */
  readonly name: string;
  /** `plain` commands are sent outside a session, `session` ones inside SessionMessage, `both` either way. */
  readonly context: 'plain' | 'session' | 'both';
  /** Request payload (without the 3-byte frame header). */
  encodeRequest(req: Req): Uint8Array;
  /** Throws ProtocolError (with the device error byte to answer) on malformed payloads. */
  decodeRequest(payload: Uint8Array): Req;
  encodeResponse(res: Res): Uint8Array;
  /** Throws ProtocolError on malformed payloads. */
  decodeResponse(payload: Uint8Array): Res;
}

export type RequestOf<C> = C extends CommandDef<infer Q, unknown> ? Q : never;
export type ResponseOf<C> = C extends CommandDef<unknown, infer R> ? R : never;

export function defineCommand<Req, Res>(def: CommandDef<Req, Res>): CommandDef<Req, Res> {
  return Object.freeze(def);
}

export const EMPTY = new Uint8Array(0);
