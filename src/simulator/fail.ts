/**
 * How a handler refuses: it throws a ProtocolError carrying the device error byte (PROTOCOL.md 1.3). The
 * dispatcher turns it into the error frame `7F 00 01 <code>`; nothing else ever leaves the device.
 */
import { ProtocolError } from '../errors.js';
import { DeviceErrorCode, deviceErrorName } from '../protocol/device-errors.js';

export { DeviceErrorCode as E };

export class DeviceRefusal extends ProtocolError {}

/** Throws the device error `deviceCode` with a message for logs and tests (never sent on the wire). */
export function fail(deviceCode: number, message: string): never {
  throw new DeviceRefusal(`HSM_${deviceErrorName(deviceCode)}`, message, deviceCode);
}
