/** Property: for every command, a valid request (and response) survives encode → decode unchanged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commands, decodeOptionValue, encodeOptionValue, type CommandKey } from '../../src/protocol/commands/index.js';
import type { CommandDef } from '../../src/protocol/command.js';
import { arbitraries, optionReadBack } from './arbitraries.js';

for (const key of Object.keys(commands) as CommandKey[]) {
  const def = commands[key] as CommandDef<unknown, unknown>;
  const { req, res } = arbitraries[key];
  test(`${key}: request round-trips`, () => {
    fc.assert(fc.property(req, (q) => {
      assert.deepStrictEqual(def.decodeRequest(def.encodeRequest(q)), q);
    }), { numRuns: 200 });
  });
  test(`${key}: response round-trips`, () => {
    fc.assert(fc.property(res, (s) => {
      assert.deepStrictEqual(def.decodeResponse(def.encodeResponse(s)), s);
    }), { numRuns: 200 });
  });
}

test('option values read back by GetOption round-trip through decodeOptionValue', () => {
  fc.assert(fc.property(optionReadBack, (s) => {
    assert.deepStrictEqual(decodeOptionValue(s.option, encodeOptionValue(s as never)), s);
  }));
});
