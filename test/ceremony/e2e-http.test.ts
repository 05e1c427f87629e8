/**
 * `hsm2kms import` end to end over real HTTP, for every key spec: the built CLI in a child process, the software
 * YubiHSM 2 served as a yubihsm-connector and the local KMS served over HTTP (both in this process on 127.0.0.1
 * port 0), reached with `--connector URL --kms URL`, the official AWS SDK inside the CLI, the KMS server's local
 * credentials in the child's environment and an empty AWS config (never real AWS).
 *
 * After each run, reality is checked through the KMS API and an HSM session: one tagged, Enabled KMS key whose
 * public key equals the HSM's, no wrap key left. Then tools we did not write check the output files: the seed's
 * `openssl dgst -verify` command verbatim, openssl RSA-OAEP encryption to the HSM public key decrypted by KMS,
 * the AWS CLI's `kms sign` (seed step 6), and for the AES key an openssl-wrapped copy of the HSM's key material
 * that KMS accepts as the material it already holds.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CEREMONY_KEY_SPECS, keySpecs, type CeremonyKeySpec, type KeyUsage } from '../../src/ceremony/key-specs.js';
import { KmsIncorrectKeyMaterialError } from '../../src/kms/client/errors.js';
import type { ImportParameters } from '../../src/kms/client/port.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { assertCeremonyDone, FACTORY_PASSWORD, HttpTargets, openssl, REGION, runCli, Sandbox } from './harness.js';

const execFileAsync = promisify(execFile);
const sandbox = new Sandbox('hsm2kms-e2e-http-');
after(() => sandbox.close());

const digestFlag: Record<string, string> = { sha256: '-sha256', sha384: '-sha384', sha512: '-sha512' };

/** AWS's documented openssl recipe for RSA_AES_KEY_WRAP_SHA_256: OAEP-SHA-256(AES key) ‖ AES-KWP(AES key, material). */
function opensslWrap(dir: string, params: ImportParameters, material: Uint8Array): Uint8Array {
  writeFileSync(join(dir, 'wrapkey.der'), params.wrappingPublicKey);
  writeFileSync(join(dir, 'material.bin'), material, { mode: 0o600 });
  openssl(['rand', '-out', 'aes.bin', '32'], dir);
  const aesHex = readFileSync(join(dir, 'aes.bin')).toString('hex');
  openssl(['enc', '-id-aes256-wrap-pad', '-K', aesHex, '-iv', 'A65959A6', '-in', 'material.bin', '-out', 'kwp.bin'], dir);
  openssl(['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', 'wrapkey.der', '-in', 'aes.bin', '-out', 'rsa.bin',
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256'], dir);
  return new Uint8Array(Buffer.concat([readFileSync(join(dir, 'rsa.bin')), readFileSync(join(dir, 'kwp.bin'))]));
}

const cases: Array<{ keySpec: CeremonyKeySpec; usage: KeyUsage }> = [];
for (const keySpec of CEREMONY_KEY_SPECS) for (const usage of keySpecs[keySpec].usages) cases.push({ keySpec, usage });

describe('hsm2kms import over HTTP, every key spec', () => {
  before(() => {
    // The cases below cover the whole table (8 specs, RSA with both usages).
    assert.equal(cases.length, 11);
  });

  for (const { keySpec, usage } of cases) {
    it(`${keySpec} ${usage}`, async () => {
      const targets = await HttpTargets.start(sandbox);
      try {
        const dir = sandbox.dir(keySpec);
        const args = ['import', ...targets.args(), '--key-spec', keySpec];
        if (keySpecs[keySpec].usages.length > 1) args.push('--key-usage', usage);
        const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
        const r = await runCli(args, { cwd: dir, env });
        assert.equal(r.code, 0, `exit code 0\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
        assert.equal(r.stderr, '');
        assert.doesNotMatch(r.stdout.split('\n')[0], /SIMULATION/, 'targets were named: no embedded-simulation banner at the start');
        assert.match(r.stdout, /^SIMULATION: this ceremony runs on a software YubiHSM 2 \(a simulator, not an HSM\)\./m, 'the simulator behind the connector is recognised by its device attestation certificate');
        assert.match(r.stdout, new RegExp(`^HSM  YubiHSM 2 via yubihsm-connector at ${targets.connector.url}$`, 'm'));

        const { session, close } = await targets.session();
        try {
          const found = await assertCeremonyDone(targets.kms, session, { keySpec, usage });
          const out = join(dir, 'hsm2kms-out');
          if (keySpecs[keySpec].objectType === ObjectType.ASYMMETRIC_KEY) {
            // key0x100.pub is the HSM's public key, as openssl reads it; the printed fingerprint is its SHA-256.
            const der = execFileSync('openssl', ['pkey', '-pubin', '-in', 'key0x100.pub', '-outform', 'DER'], { cwd: out });
            assert.deepEqual(new Uint8Array(der), found.hsmSpki);
            const spkiSha = execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der, encoding: 'utf8' }).split(' ')[0];
            assert.match(r.stdout, new RegExp(`^Verified public key fingerprint \\(SHA-256 of SubjectPublicKeyInfo\\): ${spkiSha}$`, 'm'));
          }
          if (usage === 'SIGN_VERIFY') {
            // Seed step 7, with the digest of the key spec's signing algorithm (the seed's own line for P-256).
            const v = openssl(['dgst', digestFlag[keySpecs[keySpec].hash!], '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], out);
            assert.equal(v, 'Verified OK\n');
            assert.equal(readFileSync(join(out, 'message-aws.txt'), 'utf8'), 'Message signed by AWS KMS\n');
            assert.equal(readFileSync(join(out, 'message-aws.signature.b64'), 'utf8').trim(), readFileSync(join(out, 'message-aws.signature')).toString('base64'));
          } else if (keySpec.startsWith('RSA_')) {
            // openssl encrypts to the HSM public key (RSAES_OAEP_SHA_256); KMS decrypts.
            writeFileSync(join(out, 'secret.bin'), 'thirty-two bytes of test secret!');
            openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', 'key0x100.pub', '-in', 'secret.bin', '-out', 'secret.enc',
              '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256'], out);
            const back = await targets.kms.decrypt({ keyRef: 'alias/key0x100', ciphertext: new Uint8Array(readFileSync(join(out, 'secret.enc'))), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
            assert.equal(Buffer.from(back.plaintext).toString(), 'thirty-two bytes of test secret!');
          } else {
            // The HSM's AES key, wrapped by openssl, is accepted by KMS as the material the key already holds;
            // another AES key is refused, so the check can fail.
            const obj = [...targets.device.state.contents.objects.values()].find((o) => o.type === ObjectType.SYMMETRIC_KEY && o.id === 0x100)!;
            const params = () => targets.kms.getParametersForImport({ keyId: found.kmsKey.arn, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
            const p1 = await params();
            await targets.kms.importKeyMaterial({ keyId: found.kmsKey.arn, importToken: p1.importToken, encryptedKeyMaterial: opensslWrap(dir, p1, obj.material), expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } });
            const p2 = await params();
            const other = new Uint8Array(32).fill(7);
            await assert.rejects(
              targets.kms.importKeyMaterial({ keyId: found.kmsKey.arn, importToken: p2.importToken, encryptedKeyMaterial: opensslWrap(dir, p2, other), expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } }),
              KmsIncorrectKeyMaterialError,
            );
          }
        } finally {
          await close();
        }
      } finally {
        await targets.close();
      }
    });
  }

  it('seed step 6 with the AWS CLI against the KMS server; seed step 7 verifies its signature verbatim', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      const dir = sandbox.dir('awscli');
      const pwFile = join(dir, 'hsm-password');
      writeFileSync(pwFile, `${FACTORY_PASSWORD}\n`, { mode: 0o600 });
      const env = sandbox.env(targets.kmsEnv());
      const r = await runCli(['import', ...targets.args(), '--password-file', pwFile], { cwd: dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const out = join(dir, 'hsm2kms-out');
      // cat message-aws.txt | base64 ; aws kms sign ... | jq -r .Signature | tee message-aws.signature.b64
      const b64 = readFileSync(join(out, 'message-aws.txt')).toString('base64');
      assert.equal(b64, 'TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo=');
      // (async: the KMS server answering it runs in this process)
      const { stdout: json } = await execFileAsync('/usr/bin/aws', ['kms', 'sign', '--key-id', 'alias/key0x100', '--message', b64,
        '--signing-algorithm', 'ECDSA_SHA_256', '--endpoint-url', targets.kmsServer.url, '--output', 'json'], { cwd: out, env: { ...env, AWS_REGION: REGION } });
      const signature = JSON.parse(json).Signature as string;
      writeFileSync(join(out, 'message-aws.signature.b64'), signature + '\n');
      // cat message-aws.signature.b64 | base64 -d > message-aws.signature
      writeFileSync(join(out, 'message-aws.signature'), Buffer.from(signature, 'base64'));
      const v = execFileSync('sh', ['-c', 'openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature message-aws.txt'], { cwd: out, encoding: 'utf8' });
      assert.equal(v, 'Verified OK\n');
      // And a signature over another message does not verify (the check can fail).
      writeFileSync(join(out, 'other.txt'), 'another message\n');
      assert.throws(() => execFileSync('sh', ['-c', 'openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature other.txt'], { cwd: out, stdio: 'pipe' }));
    } finally {
      await targets.close();
    }
  });
});
