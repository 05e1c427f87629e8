/**
 * The client's reading of PROTOCOL.md 4.4 from request payloads (python-yubihsm's bytes from vectors.json), and the
 * diagnosis/messages built from it with a fake GetObjectInfo lookup.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { explainNotFound, explainPermissionError } from '../../src/client/diagnose.js';
import { HsmErrorCode, HsmObjectNotFoundError, HsmPermissionError } from '../../src/client/errors.js';
import { requirementsFor } from '../../src/client/permissions.js';
import { isSafeToRerun } from '../../src/client/command-safety.js';
import { capabilities } from '../../src/protocol/capabilities.js';
import type { ObjectInfo } from '../../src/protocol/commands/get-object-info.js';
import { h, vectors } from '../protocol/helpers.js';

const payload = (cmd: number, labelPart: string): Uint8Array => {
  const p = (vectors.request_payloads as { cmd: string; label: string; payload: string }[]).find(
    (x) => Number(x.cmd) === cmd && x.label.includes(labelPart),
  );
  assert.ok(p);
  return h(p.payload);
};

function info(type: number, id: number, caps: bigint, delegated = 0n, domains = 0x0001): ObjectInfo {
  return { type, id, capabilities: caps, delegatedCapabilities: delegated, domains, length: 0, algorithm: 0, sequence: 0, origin: 1, label: new Uint8Array(40) };
}

function lookupFrom(objects: ObjectInfo[]) {
  return async (ref: { type: number; id: number }) => objects.find((o) => o.type === ref.type && o.id === ref.id);
}

test('HsmErrorCode has one HSM_ code per device error', () => {
  assert.equal(HsmErrorCode.INSUFFICIENT_PERMISSIONS, 'HSM_INSUFFICIENT_PERMISSIONS');
  assert.equal(HsmErrorCode.OBJECT_NOT_FOUND, 'HSM_OBJECT_NOT_FOUND');
  assert.equal(HsmErrorCode.ALGORITHM_DISABLED, 'HSM_ALGORITHM_DISABLED');
  assert.equal(Object.keys(HsmErrorCode).length, 19);
});

test('requirements read from python-yubihsm request payloads', () => {
  assert.deepEqual(requirementsFor(0x56, payload(0x56, 'SignEcdsa')), {
    session: ['sign-ecdsa'],
    objects: [{ role: 'key', type: 3, id: 0x1234, caps: ['sign-ecdsa'] }],
  });
  assert.deepEqual(requirementsFor(0x46, payload(0x46, 'GenerateAsymmetricKey')), {
    session: ['generate-asymmetric-key'],
    objects: [],
    create: { capabilities: capabilities('sign-ecdsa', 'exportable-under-wrap'), domains: 1, delegated: undefined },
  });
  assert.deepEqual(requirementsFor(0x73, payload(0x73, 'PutPublicWrapKey')).create, {
    capabilities: capabilities('export-wrapped'),
    domains: 1,
    delegated: capabilities('exportable-under-wrap', 'sign-ecdsa'),
  });
  const exp = requirementsFor(0x74, payload(0x74, 'GetRsaWrappedKey'));
  assert.deepEqual(exp.session, ['export-wrapped']);
  assert.deepEqual(exp.objects[0], { role: 'public wrap key', type: 9, id: 0x00aa, caps: ['export-wrapped'] });
  assert.deepEqual(exp.export, { wrap: { type: 9, id: 0x00aa, role: 'public wrap key' }, target: { type: 3, id: 0x1234 } });
  const aes = requirementsFor(0x4a, payload(0x4a, 'wrap=0x00bb'));
  assert.deepEqual(aes.objects[0], { role: 'wrap key', type: 4, id: 0x00bb, caps: ['export-wrapped'] });
  const imp = requirementsFor(0x75, payload(0x75, 'PutRsaWrappedKey'));
  assert.deepEqual(imp.import, { wrap: { type: 4, id: 0x00bb, role: 'wrap key' }, capabilities: capabilities('sign-ecdsa'), domains: 1 });
  assert.deepEqual(requirementsFor(0x54, payload(0x54, '3-byte')).objects, [{ role: 'key', type: 9, id: 0xaa, caps: [] }]);
  assert.deepEqual(requirementsFor(0x58, h('010003')).session, ['delete-asymmetric-key']);
  assert.deepEqual(requirementsFor(0x58, h('010009')).session, ['delete-public-wrap-key']);
  assert.deepEqual(requirementsFor(0x56, h('12')), { session: ['sign-ecdsa'], objects: [] }, 'short payload: fewer requirements, no throw');
});

test('missing session capability: names the auth key and the capability', async () => {
  const err = await explainPermissionError(0x56, payload(0x56, 'SignEcdsa'), 2, lookupFrom([
    info(2, 2, capabilities('sign-pkcs')),
    info(3, 0x1234, capabilities('sign-ecdsa')),
  ]));
  assert.ok(err instanceof HsmPermissionError);
  assert.equal(err.code, 'HSM_INSUFFICIENT_PERMISSIONS');
  assert.equal(err.deviceCode, 0x09);
  assert.deepEqual(err.missing, [{ kind: 'capability', object: { type: 2, id: 2 }, role: 'auth key', missing: ['sign-ecdsa'] }]);
  assert.match(err.message, /^SignEcdsa refused \(INSUFFICIENT_PERMISSIONS\): auth key 0x0002 lacks capability sign-ecdsa needed for SignEcdsa; open the session with an auth key that has it/);
});

test('export: names the wrap key delegated set and the exportable flag', async () => {
  const err = await explainPermissionError(0x74, payload(0x74, 'GetRsaWrappedKey'), 1, lookupFrom([
    info(2, 1, capabilities('export-wrapped')),
    info(9, 0xaa, capabilities('export-wrapped'), capabilities('exportable-under-wrap')),
    info(3, 0x1234, capabilities('sign-ecdsa')),
  ]));
  assert.deepEqual(err.missing.map((m) => [m.kind, m.role, m.missing]), [
    ['exportable', 'exported object', ['exportable-under-wrap']],
    ['delegated', 'public wrap key', ['sign-ecdsa']],
  ]);
  assert.match(err.message, /exported object asymmetric-key 0x1234 lacks exportable-under-wrap, so no wrap key can export it/);
  assert.match(err.message, /public wrap key public-wrap-key 0x00aa does not delegate sign-ecdsa, which the exported asymmetric-key 0x1234 holds/);
});

test('create: names capabilities the auth key cannot delegate and domains it lacks', async () => {
  const err = await explainPermissionError(0x46, payload(0x46, 'GenerateAsymmetricKey'), 3, lookupFrom([
    info(2, 3, capabilities('generate-asymmetric-key'), capabilities('sign-ecdsa'), 0x0002),
  ]));
  assert.deepEqual(err.missing.map((m) => [m.kind, m.missing]), [
    ['delegated', ['exportable-under-wrap']],
    ['domain', ['1']],
  ]);
  assert.match(err.message, /auth key 0x0003 cannot grant exportable-under-wrap to the new object/);
  assert.match(err.message, /auth key 0x0003 is not in domain 1 requested for the new object/);
});

test('no readable info: falls back to naming what the command needs', async () => {
  const err = await explainPermissionError(0x56, payload(0x56, 'SignEcdsa'), 2, async () => undefined);
  assert.deepEqual(err.missing, []);
  assert.match(err.message, /it needs capability sign-ecdsa on the auth key; sign-ecdsa on key asymmetric-key 0x1234; the client could not tell which is missing/);
});

test('OBJECT_NOT_FOUND names the invisible object and the auth key domains', async () => {
  const err = await explainNotFound(0x74, payload(0x74, 'GetRsaWrappedKey'), 2, lookupFrom([
    info(2, 2, 0n, 0n, 0x0003),
    info(9, 0xaa, 0n),
  ]));
  assert.ok(err instanceof HsmObjectNotFoundError);
  assert.equal(err.code, 'HSM_OBJECT_NOT_FOUND');
  assert.deepEqual(err.objects, [{ type: 3, id: 0x1234 }]);
  assert.equal(
    err.message,
    'GetRsaWrappedKey failed (OBJECT_NOT_FOUND): asymmetric-key 0x1234 not found. It does not exist or shares no domain with ' +
      'auth key 0x0002 (domains 1,2); check the id and the type (ListObjects shows what this session can see), and that ' +
      "the object is in one of the auth key's domains.",
  );
});

test('only commands that change nothing are safe to re-run', () => {
  for (const c of [0x56, 0x47, 0x55, 0x6a, 0x4e, 0x48, 0x54, 0x74, 0x4a]) assert.equal(isSafeToRerun(c), true, `0x${c.toString(16)}`);
  for (const c of [0x46, 0x45, 0x58, 0x4b, 0x75, 0x77, 0x73, 0x4f, 0x67, 0x6c, 0x08, 0x40, 0x44]) {
    assert.equal(isSafeToRerun(c), false, `0x${c.toString(16)}`);
  }
});
