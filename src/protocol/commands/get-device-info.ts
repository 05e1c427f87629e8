/**
 * Get Device Info, command 0x06. https://developers.yubico.com/YubiHSM2/Commands/Device_Info.html
 * Plain or in a session. Request: empty (page 0) or `01` (page 1, firmware 2.4+).
 * Page 0 response: major(1) ‖ minor(1) ‖ patch(1) ‖ serial(u32) ‖ log total(1) ‖ log used(1) ‖ algorithms(1 each).
 * Page 1 response: the part number, ASCII, no terminator.
 * The response does not say which page it is: decodeResponse treats a payload whose first byte is below 0x20
 * (a firmware major version; a part number starts with a printable character) as page 0. Clients that know
 * the page they asked for can call decodeDeviceInfoPage0 / decodeDeviceInfoPage1 directly.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { invalidData, wrongLength } from './shared.js';

export interface DeviceInfoRequest {
  page: 0 | 1;
}
export interface DeviceInfo {
  page: 0;
  version: { major: number; minor: number; patch: number };
  serial: number;
  logTotal: number;
  logUsed: number;
  algorithms: number[];
}
export interface DevicePartNumber {
  page: 1;
  partNumber: string;
}
export type DeviceInfoResponse = DeviceInfo | DevicePartNumber;

export function decodeDeviceInfoPage0(payload: Uint8Array): DeviceInfo {
  const r = new Reader(payload, 'GetDeviceInfo response');
  const version = { major: r.u8('major'), minor: r.u8('minor'), patch: r.u8('patch') };
  const serial = r.u32('serial');
  const logTotal = r.u8('log total');
  const logUsed = r.u8('log used');
  return { page: 0, version, serial, logTotal, logUsed, algorithms: [...r.rest()] };
}

export function decodeDeviceInfoPage1(payload: Uint8Array): DevicePartNumber {
  return { page: 1, partNumber: new TextDecoder('utf-8', { fatal: false }).decode(payload) };
}

export const getDeviceInfo = defineCommand<DeviceInfoRequest, DeviceInfoResponse>({
  code: Command.GET_DEVICE_INFO,
  name: 'Get Device Info',
  context: 'both',
  encodeRequest: (q) => (q.page === 1 ? Uint8Array.of(1) : new Uint8Array(0)),
  decodeRequest(payload) {
    if (payload.length === 0) return { page: 0 };
    if (payload.length > 1) {
      throw wrongLength(
        'BAD_DEVICE_INFO_PAGE',
        'GetDeviceInfo takes an empty payload or a 1-byte page number.',
      );
    }
    if (payload[0] === 0 || payload[0] === 1) return { page: payload[0] };
    throw invalidData('BAD_DEVICE_INFO_PAGE', `GetDeviceInfo page ${payload[0]} does not exist; ask for page 0 or 1.`);
  },
  encodeResponse(s) {
    if (s.page === 1) return new TextEncoder().encode(s.partNumber);
    const w = new Writer(9 + s.algorithms.length).u8(s.version.major).u8(s.version.minor).u8(s.version.patch);
    w.u32(s.serial).u8(s.logTotal).u8(s.logUsed);
    for (const a of s.algorithms) w.u8(a);
    return w.finish();
  },
  decodeResponse: (payload) =>
    payload.length >= 9 && payload[0] < 0x20 ? decodeDeviceInfoPage0(payload) : decodeDeviceInfoPage1(payload),
});
