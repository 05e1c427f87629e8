/**
 * The shape of one command handler: it takes the request decoded by the command's own definition in
 * src/protocol/commands (the same bytes the client encodes), and returns the response value or fails with a
 * device error code (fail.ts). The dispatcher encodes the value with the same definition.
 */
import type { CommandDef } from '../protocol/command.js';
import type { SessionAuth } from './access.js';
import { E, fail } from './fail.js';
import type { DeviceContents, DeviceIdentity } from './state.js';

/** Device-wide services a handler may call. */
export interface DeviceServices {
  /** Random bytes from the device RNG (injectable for tests). */
  random(n: number): Uint8Array;
  readonly firmware: { major: number; minor: number; patch: number };
  readonly partNumber: string;
  /** The device identity; the attestation key and certificate are created on first use. */
  identity(): DeviceIdentity;
  /** Runs after the response has been sealed (closing the session, resetting the device). */
  afterResponse(action: () => void): void;
  /** Closes the session the command came in (after its response). */
  closeCurrentSession(): void;
  /** Factory reset (after the response). */
  resetDevice(): void;
}

export interface HandlerContext {
  readonly contents: DeviceContents;
  /** Undefined for commands sent outside a session. */
  readonly auth: SessionAuth | undefined;
  readonly device: DeviceServices;
  /** Target and secondary object ids for the audit log entry (0xFFFF when unused). */
  readonly audit: { target: number; second: number };
  /** Marks the device state as changed (persisted after the response). */
  changed(): void;
}

export interface Handler<Req = unknown, Res = unknown> {
  readonly command: CommandDef<Req, Res>;
  run(ctx: HandlerContext, req: Req): Res | Promise<Res>;
}

export function defineHandler<Req, Res>(
  command: CommandDef<Req, Res>,
  run: (ctx: HandlerContext, req: Req) => Res | Promise<Res>,
): Handler<Req, Res> {
  return Object.freeze({ command, run });
}

/** The session's authentication (every session-only handler has one; the dispatcher guarantees it). */
export function sessionAuth(ctx: HandlerContext): SessionAuth {
  if (!ctx.auth) fail(E.INVALID_SESSION, 'This command must be sent inside a session.');
  return ctx.auth;
}

/** ALGORITHM_DISABLED when the algorithm-toggle option switched `algorithm` off. */
export function requireAlgorithmEnabled(ctx: HandlerContext, algorithm: number): void {
  if (ctx.contents.options.disabledAlgorithms.has(algorithm)) {
    fail(E.ALGORITHM_DISABLED, `Algorithm ${algorithm} is disabled on this device.`);
  }
}
