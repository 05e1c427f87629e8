/**
 * The air-gapped split refusing what it must, each with one line naming the part or the next command: tampered
 * bundles (every part pinned by SHA-256), wrong files, a console zip missing a member, a wrapped bundle made for
 * other parameters, and an expired import token on complete, both when KMS refuses it (a KMS server in this process
 * whose clock moves on) and when the request's own expiry has passed; then the recovery the message describes
 * (prepare again, wrap again, complete) succeeds.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { AwsKms } from '../../src/kms/client/aws-kms.js';
import { kmsTargetFromOptions } from '../../src/kms/client/target.js';
import { DEFAULT_LOCAL_CREDENTIALS, startKmsServer, type KmsServer } from '../../src/kms/server/index.js';
import { cleanEnv, errorLine, hsm2kms, ok, tool, zipWithPython } from './steps-helpers.js';

const MINUTE = 60_000;
let dir: string;
let server: KmsServer;
let offset = 0;
let env: NodeJS.ProcessEnv;
let kmsFlags: string[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hsm2kms-split-'));
  // Tokens live 5 minutes here; moving the server's clock 10 minutes stays inside SigV4's 15-minute skew.
  server = await startKmsServer({ port: 0, now: () => new Date(Date.now() + offset), tokenLifetimeMs: 5 * MINUTE });
  const cred = DEFAULT_LOCAL_CREDENTIALS[0];
  env = cleanEnv({ HSM2KMS_CACHE_DIR: join(dir, '.cache'), AWS_ACCESS_KEY_ID: cred.accessKeyId, AWS_SECRET_ACCESS_KEY: cred.secretAccessKey, AWS_REGION: 'us-east-1' });
  kmsFlags = ['--kms', server.url];
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const o = () => ({ cwd: dir, env });
const offlineFlags = (name = 'offline') => ['--work-dir', join(dir, name), '--out', join(dir, 'usb')];

async function refuses(args: string[], code: number, line: RegExp): Promise<void> {
  const r = await hsm2kms(args, o());
  assert.equal(r.code, code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  assert.match(errorLine(r.stderr), line);
}

function edit(from: string, to: string, change: (doc: any) => void): string {
  const doc = JSON.parse(readFileSync(from, 'utf8'));
  change(doc);
  writeFileSync(to, JSON.stringify(doc, null, 2));
  return to;
}

function flipByte(b64: string): string {
  const b = Buffer.from(b64, 'base64');
  b[Math.floor(b.length / 2)] ^= 0x40;
  return b.toString('base64');
}

async function keyState(keyRef: string): Promise<string> {
  const cred = DEFAULT_LOCAL_CREDENTIALS[0];
  const kms = new AwsKms({ target: kmsTargetFromOptions({ kms: server.url, region: 'us-east-1', env: {} }), credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey } });
  return (await kms.describeKey(keyRef)).keyState;
}

test('tampered and wrong files, a zip missing a member, an expired token: one line each, then the recovery works', { timeout: 300_000 }, async () => {
  const onlineA = ['--work-dir', join(dir, 'online-a'), '--out', join(dir, 'out-a'), '--alias', 'key-a', ...kmsFlags];
  await ok(['prepare', ...onlineA, join(dir, 'request-a.json')], o());
  const requestA = join(dir, 'request-a.json');
  await ok(['wrap', ...offlineFlags(), requestA, join(dir, 'wrapped-a.json')], o());
  const wrappedA = join(dir, 'wrapped-a.json');

  // Tampered parts, named.
  await refuses(['complete', ...onlineA, edit(wrappedA, join(dir, 't1.json'), (d) => (d.wrappedKey.base64 = flipByte(d.wrappedKey.base64)))], 2,
    /^hsm2kms complete: .*t1\.json: wrappedKey does not match its SHA-256 \(expected [0-9a-f]{64}, actual [0-9a-f]{64}\); the file was altered or damaged, so run hsm2kms wrap again on the offline machine and carry the new file\. \[BUNDLE_HASH_MISMATCH\]$/);
  await refuses(['complete', ...onlineA, edit(wrappedA, join(dir, 't2.json'), (d) => (d.attestation.chain[0].sha256 = '0'.repeat(64)))], 2,
    /: attestation\.chain\[0\] does not match its SHA-256 .* \[BUNDLE_HASH_MISMATCH\]$/);
  await refuses(['complete', ...onlineA, edit(wrappedA, join(dir, 't3.json'), (d) => delete d.publicKey)], 2,
    /t3\.json has no publicKey; run hsm2kms wrap again .* \[BUNDLE_PART_MISSING\]$/);
  await refuses(['complete', ...onlineA, edit(wrappedA, join(dir, 't4.json'), (d) => (d.version = 2))], 2,
    /t4\.json is hsm2kms-wrapped-key version 2; this hsm2kms reads version 1, .* \[BUNDLE_VERSION\]$/);
  await refuses(['wrap', ...offlineFlags(), edit(requestA, join(dir, 't5.json'), (d) => (d.importParameters.importToken.base64 = flipByte(d.importParameters.importToken.base64)))], 2,
    /^hsm2kms wrap: .*t5\.json: importParameters\.importToken does not match its SHA-256 .*; the file was altered or damaged, so run hsm2kms prepare again and carry the new request to the offline machine\. \[BUNDLE_HASH_MISMATCH\]$/);
  // A bundle whose hashes were recomputed after the swap is caught by what ties the files together.
  await refuses(['complete', ...onlineA, edit(wrappedA, join(dir, 't6.json'), (d) => (d.request.importTokenSha256 = 'ab'.repeat(32)))], 4,
    /was wrapped for other import parameters than .*import-request\.json \(import token SHA-256 abababababababab…, not [0-9a-f]{16}…\); .* \[WRAPPED_FOR_OTHER_PARAMETERS\]$/);
  await refuses(['complete', ...onlineA, edit(wrappedA, join(dir, 't7.json'), (d) => (d.request.wrappingPublicKeySha256 = 'cd'.repeat(32)))], 4,
    /was wrapped for other import parameters than .*import-request\.json \(wrapping public key SHA-256 cdcdcdcdcdcdcdcd…, not [0-9a-f]{16}…\); .* \[WRAPPED_FOR_OTHER_PARAMETERS\]$/);

  await refuses(['complete', ...onlineA, '--request', edit(requestA, join(dir, 'r8.json'), (d) => (d.kms.keyArn = d.kms.keyArn.replace(/[0-9a-f]{12}$/, '000000000000'))), wrappedA], 4,
    /r8\.json names KMS key \S+000000000000, but \S+wrapped-a\.json was wrapped for \S+; give the request the wrap was made from \(--request\)\. \[REQUEST_OTHER_KEY\]$/);

  // Wrong files, with what goes where.
  await refuses(['wrap', ...offlineFlags(), wrappedA], 2, /wrapped-a\.json is a wrapped-key bundle \(hsm2kms wrap wrote it\); hsm2kms complete takes it, wrap takes the import request\. \[BUNDLE_FORMAT\]$/);
  await refuses(['complete', ...onlineA, requestA], 2, /request-a\.json is the import request \(hsm2kms prepare wrote it\); .* \[BUNDLE_FORMAT\]$/);
  await refuses(['complete', '--work-dir', join(dir, 'fresh'), ...kmsFlags, wrappedA], 4, /^hsm2kms complete: No import request in .*fresh; give --request .* \[REQUEST_NEEDED\]$/);
  await refuses(['wrap', ...offlineFlags(), '--key-spec', 'ECC_NIST_P384', requestA], 4, /request-a\.json asks for a ECC_NIST_P256 key \(the KMS key's spec\), not ECC_NIST_P384; drop --key-spec\. \[REQUEST_SPEC_MISMATCH\]$/);
  await refuses(['prepare', '--work-dir', join(dir, 'sym'), '--key-spec', 'SYMMETRIC_DEFAULT', ...kmsFlags], 4, /A symmetric key cannot be checked against KMS without the HSM online; .* \[AIR_GAP_SYMMETRIC\]$/);

  // The console zip with a member missing.
  const keyIdA = JSON.parse(readFileSync(requestA, 'utf8')).kms.keyArn.split('/').pop();
  const r = JSON.parse(readFileSync(requestA, 'utf8'));
  writeFileSync(join(dir, 'WrappingPublicKey.bin'), Buffer.from(r.importParameters.wrappingPublicKey.base64, 'base64'));
  writeFileSync(join(dir, 'ImportToken.bin'), Buffer.from(r.importParameters.importToken.base64, 'base64'));
  zipWithPython(`Import_Parameters_${keyIdA}.zip`, ['WrappingPublicKey.bin'], dir);
  await refuses(['wrap', ...offlineFlags(), join(dir, `Import_Parameters_${keyIdA}.zip`)], 2,
    /Import_Parameters_[0-9a-f-]+\.zip has no ImportToken\.bin; download the wrapping public key and import token again \(both come in the same zip\)\. \[KMS_IMPORT_PARAMS_ZIP_MISSING\]$/);
  writeFileSync(join(dir, 'Import_Parameters_empty.zip'), '');
  await refuses(['wrap', ...offlineFlags(), join(dir, 'Import_Parameters_empty.zip')], 2,
    /Import_Parameters_empty\.zip is not a zip file \(it is empty\); download the import parameters from the AWS console again, or give the import-request\.json of hsm2kms prepare\. \[BUNDLE_NOT_ZIP\]$/);
  zipWithPython('only-token.zip', ['ImportToken.bin'], dir);
  await refuses(['wrap', ...offlineFlags(), join(dir, 'only-token.zip')], 2, /only-token\.zip has no WrappingPublicKey\.bin; .* \[KMS_IMPORT_PARAMS_ZIP_MISSING\]$/);

  // KMS's clock passes the token's expiry: KMS refuses it, and the message says what to run again.
  offset = 10 * MINUTE;
  await refuses(['complete', ...onlineA, wrappedA], 1,
    /^hsm2kms complete: KMS refused the import token \(ExpiredImportTokenException: import parameters last 24 hours\); run hsm2kms prepare again, then hsm2kms wrap with the new request on the offline machine, then hsm2kms complete with what it writes\. \[IMPORT_TOKEN_EXPIRED\]$/);
  offset = 0;
  assert.equal(await keyState('alias/key-a'), 'PendingImport');

  // Doing what it says: prepare again (new parameters), the old wrap no longer matches, wrap again, complete.
  const prep = await ok(['prepare', ...onlineA, requestA], o());
  assert.match(prep.stdout, /\(recorded in the journal\)/);
  assert.doesNotMatch(prep.stdout, /reusing parameters/);
  await refuses(['complete', ...onlineA, wrappedA], 4, /wrapped-a\.json was wrapped for other import parameters than .* run hsm2kms wrap again with this request, .* \[WRAPPED_FOR_OTHER_PARAMETERS\]$/);
  const rewrap = await ok(['wrap', ...offlineFlags(), requestA, wrappedA], o());
  assert.match(rewrap.stdout, /^0x0100 already present/m);
  const done = await ok(['complete', ...onlineA, wrappedA], o());
  assert.match(done.stdout, /^imported; key is Enabled/m);
  assert.equal(await keyState('alias/key-a'), 'Enabled');
  assert.equal(tool('openssl', ['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], join(dir, 'out-a')), 'Verified OK\n');

  // A request whose expiry passed is refused before KMS is asked (the key stays PendingImport).
  const onlineB = ['--work-dir', join(dir, 'online-b'), '--out', join(dir, 'out-b'), '--alias', 'key-b', ...kmsFlags];
  offset = -10 * MINUTE;
  await ok(['prepare', ...onlineB, join(dir, 'request-b.json')], o());
  offset = 0;
  const wrapB = await ok(['wrap', ...offlineFlags(), join(dir, 'request-b.json'), join(dir, 'wrapped-b.json')], o());
  assert.match(wrapB.stdout, /^note: by this machine's clock the import token expired at .*; unless this clock is wrong, complete will refuse it, so run hsm2kms prepare again$/m);
  await refuses(['complete', ...onlineB, join(dir, 'wrapped-b.json')], 4,
    /^hsm2kms complete: The import token of .*import-request\.json expired at \d{4}-\d\d-\d\dT[\d:.]+Z \(import parameters last 24 hours\); run hsm2kms prepare again, .* \[IMPORT_TOKEN_EXPIRED\]$/);
  assert.equal(await keyState('alias/key-b'), 'PendingImport');
});
