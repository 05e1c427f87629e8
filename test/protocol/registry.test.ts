/** The command registry covers every command code of PROTOCOL.md 1.4 except SessionMessage and the error code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, responseCode } from '../../src/protocol/command-codes.js';
import { commandByCode, commands } from '../../src/protocol/commands/index.js';
import * as protocol from '../../src/protocol/index.js';

test('every code in Command except SESSION_MESSAGE and ERROR has a definition with that code', () => {
  const missing: string[] = [];
  for (const [name, code] of Object.entries(Command)) {
    if (name === 'SESSION_MESSAGE' || name === 'ERROR') continue;
    const def = commandByCode(code);
    if (!def) missing.push(name);
    else assert.equal(def.code, code, name);
  }
  assert.deepEqual(missing, []);
  assert.equal(Object.keys(commands).length, Object.keys(Command).length - 2);
});

test('SessionMessage, the error code and unknown codes have no definition', () => {
  assert.equal(commandByCode(0x05), undefined);
  assert.equal(commandByCode(0x7f), undefined);
  assert.equal(commandByCode(0x07), undefined);
  assert.equal(commandByCode(0x78), undefined);
});

test('registry names are the camelCase command names and codes are unique', () => {
  const codes = new Set(Object.values(commands).map((d) => d.code));
  assert.equal(codes.size, Object.keys(commands).length);
  assert.equal(commands.getRsaWrappedKey.code, 0x74);
  assert.equal(commands.putRsaWrappedKey.code, 0x75);
  assert.equal(commands.exportRsaWrapped.code, 0x76);
  assert.equal(commands.importRsaWrapped.code, 0x77);
  assert.equal(commands.putPublicWrapKey.code, 0x73);
  assert.equal(responseCode(commands.putPublicWrapKey.code), 0xf3);
});

test('plain commands are the session-setup ones; GetDeviceInfo and Echo work both ways', () => {
  const byContext = (c: string) => Object.values(commands).filter((d) => d.context === c).map((d) => d.code).sort((a, b) => a - b);
  assert.deepEqual(byContext('plain'), [0x03, 0x04, 0x0a]);
  assert.deepEqual(byContext('both'), [0x01, 0x06]);
});

test('the protocol index re-exports the layer', () => {
  assert.equal(protocol.commands, commands);
  assert.equal(protocol.commandByCode, commandByCode);
  assert.equal(typeof protocol.encodeFrame, 'function');
  assert.equal(typeof protocol.decodeLogEntry, 'function');
  assert.equal(typeof protocol.encodeListFilter, 'function');
  assert.equal(protocol.Algorithm.EC_P256, 12);
  assert.equal(protocol.ObjectType.PUBLIC_WRAP_KEY, 9);
});
