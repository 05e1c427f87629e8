/**
 * The seed steps against named targets instead of the embedded default: the software YubiHSM 2 behind the
 * yubihsm-connector HTTP API (--connector URL) and the local KMS over HTTP (--kms URL), both in this process. No
 * SIMULATION notice then (nothing embedded is used), the password comes from HSM2KMS_HSM_PASSWORD (never argv), and
 * reality is checked here through our own session and an SDK client, not through the CLI's output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsymmetricKey, YubiHsm } from '../../src/client/index.js';
import { AwsKms } from '../../src/kms/client/aws-kms.js';
import { kmsTargetFromOptions } from '../../src/kms/client/target.js';
import { DEFAULT_LOCAL_CREDENTIALS, startKmsServer, type KmsServer } from '../../src/kms/server/index.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { startConnectorServer, type ConnectorServer } from '../../src/simulator/connector-server.js';
import { SoftwareYubiHsm } from '../../src/simulator/device.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import { cleanEnv, hsm2kms, ok, tool } from './steps-helpers.js';

let dir: string;
let device: SoftwareYubiHsm;
let connector: ConnectorServer;
let kmsServer: KmsServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hsm2kms-steps-targets-'));
  device = new SoftwareYubiHsm();
  connector = await startConnectorServer({ handler: (f) => device.handle(f), host: '127.0.0.1', port: 0 });
  kmsServer = await startKmsServer({ host: '127.0.0.1', port: 0 });
});

after(async () => {
  await connector.close();
  await kmsServer.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the seven steps over --connector and --kms: no simulation notice, the HSM and KMS hold what the files say', { timeout: 180_000 }, async () => {
  const cred = DEFAULT_LOCAL_CREDENTIALS[0];
  const env = cleanEnv({ HSM2KMS_HSM_PASSWORD: 'password', AWS_ACCESS_KEY_ID: cred.accessKeyId, AWS_SECRET_ACCESS_KEY: cred.secretAccessKey, AWS_REGION: 'us-east-1' });
  const o = { cwd: dir, env };
  const hsm = ['--connector', connector.url];
  const kms = ['--kms', kmsServer.url];

  const noPassword = await hsm2kms(['hsm', 'generate', ...hsm], { cwd: dir, env: cleanEnv() });
  assert.equal(noPassword.code, 2);
  assert.equal(noPassword.stderr, 'hsm2kms hsm generate: No HSM password: set HSM2KMS_HSM_PASSWORD, pass --password-file FILE, or run on a terminal to be prompted. [PASSWORD_NEEDED]\n');

  const runs = [
    await ok(['hsm', 'generate', ...hsm], o),
    await ok(['hsm', 'pubkey', ...hsm, 'key0x100.pub'], o),
    await ok(['kms', 'create', ...kms], o),
  ];
  const params = await ok(['kms', 'params', ...kms], o);
  const zip = /^(Import_Parameters_[0-9a-f-]+\.zip):/m.exec(params.stdout)![1];
  runs.push(
    params,
    await ok(['hsm', 'put-wrapkey', ...hsm, 'wrappingkey-aws.pem'], o),
    await ok(['hsm', 'wrap', ...hsm, 'key0x100-wrapped-aws.bin', '--delete-wrapkey'], o),
    await ok(['kms', 'import', ...kms, 'key0x100-wrapped-aws.bin', '--params', zip], o),
    await ok(['kms', 'sign', ...kms, 'message-aws.txt'], o),
  );
  for (const r of runs) assert.doesNotMatch(r.stderr, /SIMULATION/);
  assert.equal(tool('openssl', ['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], dir), 'Verified OK\n');

  // Reality, seen from here: the device holds the key (and no wrap key); KMS holds the same public key.
  const yhsm = await YubiHsm.connect({ transport: new InProcessTransport((f) => device.handle(f), { description: 'test' }) });
  try {
    const session = await yhsm.openSession({ authKeyId: 1, password: new TextEncoder().encode('password') });
    const pub = await AsymmetricKey.from(session, 0x100).getPublicKey();
    assert.equal(pub.pem, readFileSync(join(dir, 'key0x100.pub'), 'utf8'));
    await assert.rejects(session.getObjectInfo(ObjectType.PUBLIC_WRAP_KEY, 0x101), /OBJECT_NOT_FOUND|not found/i);
    await session.close();
    const client = new AwsKms({ target: kmsTargetFromOptions({ kms: kmsServer.url, region: 'us-east-1', env: {} }), credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey } });
    const key = await client.describeKey('alias/key0x100');
    assert.equal(key.keyState, 'Enabled');
    assert.equal(key.origin, 'EXTERNAL');
    assert.deepEqual((await client.getPublicKey('alias/key0x100')).publicKey, pub.spki);
  } finally {
    await yhsm.close();
  }
});
