/**
 * Get Object Info, command 0x4E. https://developers.yubico.com/YubiHSM2/Commands/Get_Object_Info.html
 * Request: id(2) ‖ type(1). Response (66 bytes, PROTOCOL.md 5.2): capabilities(8) ‖ id(2) ‖ length(2) ‖
 * domains(2) ‖ type(1) ‖ algorithm(1) ‖ sequence(1) ‖ origin(1) ‖ label(40) ‖ delegated capabilities(8).
 */
import type { Capabilities } from '../capabilities.js';
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { LABEL_LENGTH } from '../label.js';
import { own } from './shared.js';

export interface ObjectRef {
  id: number;
  type: number;
}

export interface ObjectInfo {
  capabilities: Capabilities;
  id: number;
  /** Size of the stored body (PROTOCOL.md 4.1). */
  length: number;
  domains: number;
  type: number;
  algorithm: number;
  sequence: number;
  /** Origin flags: 0x01 generated, 0x02 imported, 0x10 imported under wrap. */
  origin: number;
  /** Raw 40-byte label. */
  label: Uint8Array;
  delegatedCapabilities: Capabilities;
}

export const getObjectInfo = defineCommand<ObjectRef, ObjectInfo>({
  code: Command.GET_OBJECT_INFO,
  name: 'Get Object Info',
  context: 'session',
  encodeRequest: (q) => new Writer(3).u16(q.id).u8(q.type).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'GetObjectInfo request');
    const q = { id: r.u16('object id'), type: r.u8('object type') };
    r.end();
    return q;
  },
  encodeResponse: (i) =>
    new Writer(66)
      .u64(i.capabilities)
      .u16(i.id)
      .u16(i.length)
      .u16(i.domains)
      .u8(i.type)
      .u8(i.algorithm)
      .u8(i.sequence)
      .u8(i.origin)
      .bytes(i.label)
      .u64(i.delegatedCapabilities)
      .finish(),
  decodeResponse(payload) {
    const r = new Reader(payload, 'GetObjectInfo response');
    const info: ObjectInfo = {
      capabilities: r.u64('capabilities'),
      id: r.u16('id'),
      length: r.u16('length'),
      domains: r.u16('domains'),
      type: r.u8('type'),
      algorithm: r.u8('algorithm'),
      sequence: r.u8('sequence'),
      origin: r.u8('origin'),
      label: own(r.bytesN(LABEL_LENGTH, 'label')),
      delegatedCapabilities: r.u64('delegated capabilities'),
    };
    r.end();
    return info;
  },
});
