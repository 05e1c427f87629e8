/**
 * The seed-step commands' help and their refusals: each a single line on stderr naming what to do, with a stable
 * code and the documented exit code (2 bad input, 4 refused before changing anything, 1 failed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, errorLine, hsm2kms, ok, unzipWithPython, withTempDir, zipWithPython } from './steps-helpers.js';

test('every seed-step command has --help with an example matching its seed step', { timeout: 60_000 }, async () => {
  await withTempDir(async (dir) => {
    const expect: Array<[string[], RegExp[]]> = [
      [['hsm', 'generate'], [/generate asymmetric 0 0x100 "YubiHSM Signing Key" 1 exportable-under-wrap,sign-ecdsa ecp256/, /^  hsm2kms hsm generate$/m]],
      [['hsm', 'pubkey'], [/get pubkey 0 0x100 asymmetric-key key0x100\.pub/, /^  hsm2kms hsm pubkey key0x100\.pub$/m]],
      [['kms', 'create'], [/EXTERNAL/, /hsm2kms kms create --kms aws .*--alias key0x100 --key-spec ECC_NIST_P256/]],
      [['kms', 'params'], [/openssl rsa -pubin -inform DER -in WrappingPublicKey\.bin -out wrappingkey-aws\.pem/, /^  hsm2kms kms params$/m]],
      [['hsm', 'put-wrapkey'], [/put pub_wrapkey 0 0x101/, /^  hsm2kms hsm put-wrapkey wrappingkey-aws\.pem$/m]],
      [['hsm', 'wrap'], [/get rsa_wrapped_key 0 0x101 asymmetric-key 0x100 aes256 rsa-oaep-sha256 mgf1-sha256 key0x100-wrapped-aws\.bin/, /^  hsm2kms hsm wrap key0x100-wrapped-aws\.bin$/m]],
      [['kms', 'import'], [/^  hsm2kms kms import key0x100-wrapped-aws\.bin --params Import_Parameters_<key id>\.zip$/m]],
      [['kms', 'sign'], [/jq -r \.Signature \| tee message-aws\.signature\.b64/, /^  hsm2kms kms sign message-aws\.txt --key alias\/key0x100$/m]],
      [['verify'], [/openssl dgst -sha256 -verify key0x100\.pub -signature message-aws\.signature message-aws\.txt/, /^  hsm2kms verify --pubkey key0x100\.pub --signature message-aws\.signature message-aws\.txt$/m]],
    ];
    for (const [words, patterns] of expect) {
      const r = await ok([...words, '--help'], { cwd: dir });
      assert.match(r.stdout, new RegExp(`^Usage: hsm2kms ${words.join(' ')}`));
      for (const p of patterns) assert.match(r.stdout, p, `${words.join(' ')} --help`);
    }
    const list = await ok(['--help'], { cwd: dir });
    for (const [words] of expect) assert.match(list.stdout, new RegExp(`^  ${words.join(' ')} `, 'm'));
  });
});

test('seed-step commands refuse with one line, a code and the documented exit code', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache') }) };
    const expectError = async (args: string[], code: number, line: RegExp) => {
      const r = await hsm2kms(args, o);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(errorLine(r.stderr), line);
      return r;
    };

    await expectError(['hsm', 'pubkey'], 1, /^hsm2kms hsm pubkey: The HSM has no key 0x0100; generate it first \(hsm2kms hsm generate\) or give its --key-id\. \[HSM_KEY_MISSING\]$/);
    await expectError(['kms', 'sign'], 1, /^hsm2kms kms sign: KMS has no key alias\/key0x100 \(embedded local KMS \(in-process\)\); create it first \(hsm2kms kms create\) or name it with --key\. \[KMS_KEY_NOT_FOUND\]$/);
    await expectError(['kms', 'import'], 2, /^hsm2kms kms import: Cannot read the wrapped key key0x100-wrapped-aws\.bin \(ENOENT\); wrap the key first .* \[FILE_UNREADABLE\]$/);
    await expectError(['verify'], 2, /^hsm2kms verify: Cannot read the public key key0x100\.pub \(ENOENT\); .* \[FILE_UNREADABLE\]$/);
    await expectError(['hsm', 'generate', '--bogus'], 2, /^hsm2kms hsm generate: Unknown option "--bogus"; run with --help for the options\. \[CLI_UNKNOWN_OPTION\]$/);
    await expectError(['hsm', 'wrap', 'a.bin', 'b.bin'], 2, /^hsm2kms hsm wrap: Unexpected argument #2 \(not repeated, in case it is a secret\): hsm2kms hsm wrap takes at most 1 argument \(FILE\); run hsm2kms hsm wrap --help\. \[CLI_UNEXPECTED_ARGUMENT\]$/);

    // A key at the id made with other settings is not taken over; an EC public key is no wrapping key.
    await ok(['hsm', 'generate'], o);
    await expectError(['hsm', 'generate', '--key-spec', 'ECC_NIST_P384'], 4, /^hsm2kms hsm generate: HSM object 0x0100 \(YubiHSM Signing Key, ecp256, sign-ecdsa,exportable-under-wrap\) already exists with other settings; choose another --key-id, .* \[HSM_KEY_ID_TAKEN\]$/);
    await expectError(['hsm', 'pubkey', '--key-spec', 'RSA_2048'], 1, /^hsm2kms hsm pubkey: HSM key 0x0100 is ecp256 \(ECC_NIST_P256\), not RSA_2048; drop --key-spec or give --key-spec ECC_NIST_P256\. \[HSM_KEY_SPEC_MISMATCH\]$/);
    await ok(['hsm', 'pubkey', 'key0x100.pub'], o);
    await expectError(['hsm', 'put-wrapkey', 'key0x100.pub'], 2, /^hsm2kms hsm put-wrapkey: .*not a DER RSA 2048\/3072\/4096 SubjectPublicKeyInfo.* \[KMS_WRAPPING_KEY_INVALID\]$/);

    // Import parameters: none fetched yet; a console zip without its token; a bundle past its expiry.
    await ok(['kms', 'create'], o);
    writeFileSync(join(dir, 'key0x100-wrapped-aws.bin'), new Uint8Array(664));
    await expectError(['kms', 'import'], 4, /^hsm2kms kms import: No import parameters: give --params Import_Parameters_<key id>\.zip .* \[IMPORT_PARAMS_NEEDED\]$/);
    const params = await ok(['kms', 'params', 'params.json'], o);
    assert.match(params.stdout, /^params\.json: hsm2kms import-parameters bundle/m);
    const zipped = await ok(['kms', 'params'], o);
    const zip = /^(Import_Parameters_[0-9a-f-]+\.zip):/m.exec(zipped.stdout)![1];
    assert.match(zipped.stdout, /^reusing parameters valid to /m, 'valid parameters are reused');
    unzipWithPython(zip, dir);
    zipWithPython('no-token.zip', ['WrappingPublicKey.bin'], dir);
    await expectError(['kms', 'import', '--params', 'no-token.zip'], 2, /^hsm2kms kms import: no-token\.zip has no ImportToken\.bin; download the wrapping public key and import token again .* \[KMS_IMPORT_PARAMS_ZIP_MISSING\]$/);
    const bundle = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
    bundle.parametersValidTo = '2020-01-01T00:00:00.000Z';
    writeFileSync(join(dir, 'expired.json'), JSON.stringify(bundle));
    await expectError(['kms', 'import', '--params', 'expired.json'], 4, /^hsm2kms kms import: The import parameters in expired\.json expired at 2020-01-01T00:00:00\.000Z; run hsm2kms kms params again, then hsm put-wrapkey and hsm wrap with the new wrapping key, then kms import\. \[IMPORT_TOKEN_EXPIRED\]$/);
    bundle.importToken.base64 = Buffer.from('not the token').toString('base64');
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(bundle));
    await expectError(['kms', 'import', '--params', 'tampered.json'], 2, /^hsm2kms kms import: tampered\.json: importToken does not match its SHA-256 .* \[KMS_IMPORT_PARAMS_HASH_MISMATCH\]$/);
    // Zero bytes are no wrapped key: KMS refuses them and says so.
    const junk = await hsm2kms(['kms', 'import', '--params', zip], o);
    assert.equal(junk.code, 1);
    assert.match(errorLine(junk.stderr), /^hsm2kms kms import: .*\[KMS_[A-Z_]+\]$/);
  });
});
