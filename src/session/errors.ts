/**
 * Errors of the secure channel. Host-role failures are what the client shows; every error the device role throws
 * carries `deviceCode`, the byte the simulator answers with in a plain `7F 00 01 <code>` frame.
 */
import { AuthenticationError, DeviceError, ProtocolError, UsageError } from '../errors.js';
import { DeviceErrorCode, deviceErrorAdviceFor, deviceErrorName } from '../protocol/device-errors.js';

/** A MAC, cryptogram or receipt did not verify. The device answers AUTHENTICATION_FAILED (0x04). */
export class SessionAuthenticationError extends AuthenticationError {
  readonly deviceCode: number = DeviceErrorCode.AUTHENTICATION_FAILED;
}

/** What a plain error answer to a SessionMessage means (the session-level errors of PROTOCOL.md 3.5). */
const IN_SESSION_ADVICE: Partial<Record<number, string>> = {
  [DeviceErrorCode.AUTHENTICATION_FAILED]:
    'the device could not verify the session message (keys out of step or a damaged frame); open a new session',
};

/** The DeviceError for a plain `7F 00 01 <code>` answer to `what` (CreateSession, the session message, ...). */
export function deviceRefusal(deviceCode: number, what: string): DeviceError {
  const name = deviceErrorName(deviceCode);
  const advice =
    (what === 'the session message' ? IN_SESSION_ADVICE[deviceCode] : undefined) ??
    deviceErrorAdviceFor(deviceCode) ??
    'unknown device error; check the firmware version';
  return new DeviceError(`HSM_${name}`, deviceCode, `The device refused ${what} with ${name} (0x${deviceCode.toString(16).padStart(2, '0')}): ${advice}.`);
}

export function sessionNotOpen(state: string): UsageError {
  const message =
    state === 'failed' ? 'This session failed earlier (see that error) and cannot carry commands; open a new session.'
      : state === 'closed' ? 'This session is closed and cannot carry commands; open a new session.'
        : `This session is not open yet (${state}); finish the handshake before sending commands.`;
  return new UsageError('SESSION_NOT_OPEN', message);
}

export const deviceSessionGone = (): ProtocolError =>
  new ProtocolError('INVALID_SESSION', 'This session was closed or failed earlier; the host must open a new session.', DeviceErrorCode.INVALID_SESSION);

export const protocolError = (code: string, message: string, deviceCode: number = DeviceErrorCode.INVALID_DATA): ProtocolError =>
  new ProtocolError(code, message, deviceCode);
