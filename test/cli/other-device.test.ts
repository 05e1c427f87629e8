/**
 * A ceremony resumed against another YubiHSM 2 at the same connector address (a swapped or reset device) stops in
 * pre-flight with nothing changed: it never generates a second key whose material KMS would refuse, and never
 * writes over the evidence of the first run.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { ObjectType } from '../../src/protocol/object-types.js';
import { startConnectorServer } from '../../src/simulator/connector-server.js';
import { SoftwareYubiHsm } from '../../src/simulator/device.js';
import { FACTORY_PASSWORD, HttpTargets, openDeviceSession, runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-other-device-');
after(() => sandbox.close());

it('a finished ceremony re-run against another device (HSM_OTHER_DEVICE) or a reset one (HSM_CEREMONY_KEY_GONE) changes nothing', { timeout: 180_000 }, async () => {
  const targets = await HttpTargets.start(sandbox);
  let device = new SoftwareYubiHsm({ serial: 11_111_111 });
  const connector = await startConnectorServer({ handler: (f) => device.handle(f), host: '127.0.0.1', port: 0 });
  try {
    const dir = sandbox.dir('swap');
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    const args = ['import', '--connector', connector.url, '--kms', targets.kmsServer.url];
    const first = await runCli(args, { cwd: dir, env });
    assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`);
    const pub = join(dir, 'hsm2kms-out', 'key0x100.pub');
    const pubSha = createHash('sha256').update(readFileSync(pub)).digest('hex');

    const expectNothingDone = async (code: string, message: string) => {
      const r = await runCli(args, { cwd: dir, env });
      assert.equal(r.code, 4, `${r.stdout}\n${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('SIMULATION')).at(-1), `hsm2kms import: ${message} [${code}]`);
      const { session, close } = await openDeviceSession(device);
      try {
        assert.deepEqual(await session.listObjects({ type: ObjectType.ASYMMETRIC_KEY }), [], 'no key generated on the other device');
        assert.deepEqual(await session.listObjects({ type: ObjectType.PUBLIC_WRAP_KEY }), [], 'no wrap key loaded');
      } finally {
        await close();
      }
      assert.equal(createHash('sha256').update(readFileSync(pub)).digest('hex'), pubSha, 'the first run\'s public key file is kept');
      assert.equal((await targets.kms.listKeys()).length, 1, 'still one KMS key');
    };

    device = new SoftwareYubiHsm({ serial: 22_222_222 });
    await expectNothingDone('HSM_OTHER_DEVICE', `This ceremony began on the YubiHSM 2 with serial 11111111, but YubiHSM 2 via yubihsm-connector at ${connector.url} has serial 22222222; connect the HSM the ceremony began on, or start a new ceremony with another --work-dir and --alias.`);

    device = new SoftwareYubiHsm({ serial: 11_111_111 }); // the same device after a factory reset
    await expectNothingDone('HSM_CEREMONY_KEY_GONE', `HSM key 0x0100, which this ceremony generated, is no longer in YubiHSM 2 via yubihsm-connector at ${connector.url} (reset, or another device at that address?); connect the HSM the ceremony began on, or start a new ceremony with another --work-dir and --alias.`);
  } finally {
    await connector.close();
    await targets.close();
  }
});
