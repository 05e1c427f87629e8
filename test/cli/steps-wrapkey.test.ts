/**
 * The seed-step commands treat a public wrap key they did not load as someone else's: `hsm put-wrapkey` refuses to
 * replace it (exit 4, nothing changed) and `hsm wrap --delete-wrapkey` wraps with it, as the seed's step 5 does,
 * but leaves it in the HSM. A wrap key `hsm put-wrapkey` loaded itself is still replaced by a new wrapping key.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { PublicWrapKey } from '../../src/client/index.js';
import { capabilities } from '../../src/protocol/capabilities.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { FACTORY_PASSWORD, HttpTargets, runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-steps-wrapkey-');
after(() => sandbox.close());

it('hsm put-wrapkey and hsm wrap --delete-wrapkey never replace or delete a wrap key hsm2kms did not load', { timeout: 120_000 }, async () => {
  const targets = await HttpTargets.start(sandbox);
  try {
    const dir = sandbox.dir('steps');
    const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
    const run = async (args: string[]) => runCli([...args, ...targets.args()], { cwd: dir, env });
    const ok = async (args: string[]) => {
      const r = await run(args);
      assert.equal(r.code, 0, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    await ok(['hsm', 'generate']);
    await ok(['kms', 'create']);
    await ok(['kms', 'params']);

    // A wrap key loaded outside hsm2kms (the seed's yubihsm-shell step 4), with the attributes hsm2kms would use.
    const other = await targets.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'EXTERNAL' });
    const theirs = await targets.kms.getParametersForImport({ keyId: other.arn, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_2048' });
    const { session, close } = await targets.session();
    const modulus = async () => Buffer.from((await PublicWrapKey.from(session, 0x101).getPublicKey()).raw).toString('hex');
    try {
      await PublicWrapKey.put(session, {
        id: 0x101, label: 'AWS KMS Wrap Key', domains: 1, capabilities: capabilities('export-wrapped'),
        delegatedCapabilities: capabilities('sign-ecdsa', 'exportable-under-wrap'), publicKey: theirs.wrappingPublicKey,
      });
      const before = await modulus();

      const put = await run(['hsm', 'put-wrapkey', 'wrappingkey-aws.pem']);
      assert.equal(put.code, 4, put.stderr);
      assert.match(put.stderr, /^hsm2kms hsm put-wrapkey: HSM public wrap key 0x0101 \(AWS KMS Wrap Key\) was not loaded by this ceremony, so hsm2kms will not replace or delete it; .* \[HSM_WRAP_KEY_ID_TAKEN\]$/m);
      assert.equal(await modulus(), before);

      const wrap = await ok(['hsm', 'wrap', '--delete-wrapkey']);
      assert.match(wrap.stdout, /^public wrap key 0x0101 was not loaded by this ceremony; left as it is$/m);
      assert.equal(await modulus(), before, 'their wrap key is still there');

      // Once it is gone, hsm2kms loads its own, keeps it on a re-run, and deletes it after wrapping.
      await session.deleteObject(ObjectType.PUBLIC_WRAP_KEY, 0x101);
      assert.match((await ok(['hsm', 'put-wrapkey', 'wrappingkey-aws.pem'])).stdout, /^loaded 0x0101 \(export-wrapped only\)/m);
      assert.match((await ok(['hsm', 'put-wrapkey', 'wrappingkey-aws.pem'])).stdout, /^0x0101 already holds this wrapping key/m);
      assert.match((await ok(['hsm', 'wrap', '--delete-wrapkey'])).stdout, /^deleted public wrap key 0x0101$/m);
      assert.deepEqual(await session.listObjects({ type: ObjectType.PUBLIC_WRAP_KEY }), []);
    } finally {
      await close();
      await targets.kms.scheduleKeyDeletion(other.keyId, 7);
    }
  } finally {
    await targets.close();
  }
});
