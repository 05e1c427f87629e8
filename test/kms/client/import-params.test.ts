import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  consoleZipFileName,
  keyIdFromConsoleZipName,
  readConsoleZip,
  writeConsoleZip,
} from '../../../src/kms/client/console-zip.js';
import {
  decodeImportParamsBundle,
  encodeImportParamsBundle,
  readImportParams,
  writeImportParams,
} from '../../../src/kms/client/import-params.js';
import type { ImportParameters } from '../../../src/kms/client/port.js';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:111122223333:key/${KEY_ID}`;

let dir: string;
let wrappingKey: Uint8Array; // DER SPKI made by openssl
let token: Uint8Array; // random bytes made by openssl
const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const sha256sum = (file: string) => run('sha256sum', file).toString().split(' ')[0];
/**
 * A zip made by Python's zipfile (deflated), not by our code: `members` are paths relative to the test directory,
 * stored under those names; names ending in / become directory entries. (python3 is on every CI machine; zip is not.)
 */
function pythonZip(zipName: string, members: string[]): void {
  const script = [
    'import sys, zipfile',
    'with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:',
    '    for m in sys.argv[2:]:',
    '        z.writestr(zipfile.ZipInfo(m), b"") if m.endswith("/") else z.write(m, m)',
  ].join('\n');
  execFileSync('python3', ['-c', script, zipName, ...members], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

function params(overrides: Partial<ImportParameters> = {}): ImportParameters {
  return {
    keyArn: KEY_ARN,
    wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
    wrappingKeySpec: 'RSA_2048',
    wrappingPublicKey: wrappingKey,
    importToken: token,
    parametersValidTo: new Date('2026-12-05T20:30:00.000Z'),
    ...overrides,
  };
}

describe('import parameters on disk', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hsm2kms-params-'));
    run('openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'k.pem');
    run('openssl', 'pkey', '-in', 'k.pem', '-pubout', '-outform', 'DER', '-out', 'WrappingPublicKey.bin');
    run('openssl', 'rand', '-out', 'ImportToken.bin', '1536');
    wrappingKey = new Uint8Array(readFileSync(join(dir, 'WrappingPublicKey.bin')));
    token = new Uint8Array(readFileSync(join(dir, 'ImportToken.bin')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('console zip', () => {
    it('reads an independently made zip with the two .bin files and a README', () => {
      writeFileSync(join(dir, 'README.txt'), 'Wrapping key and import token for key ' + KEY_ID + '\n');
      pythonZip('console.zip', ['WrappingPublicKey.bin', 'ImportToken.bin', 'README.txt']);
      const got = readConsoleZip(new Uint8Array(readFileSync(join(dir, 'console.zip'))));
      assert.deepEqual(got.wrappingPublicKey, wrappingKey);
      assert.deepEqual(got.importToken, token);
      assert.equal(got.readme, 'Wrapping key and import token for key ' + KEY_ID + '\n');
      assert.deepEqual(got.members, ['WrappingPublicKey.bin', 'ImportToken.bin', 'README.txt']);
    });

    it('reads the 2019 console layout (wrappingKey_/importToken_/README_ names inside a folder)', () => {
      const sub = join(dir, 'ImportParameters');
      mkdirSync(sub);
      writeFileSync(join(sub, `wrappingKey_${KEY_ID}_0809092909`), wrappingKey);
      writeFileSync(join(sub, `importToken_${KEY_ID}_0809092909`), token);
      writeFileSync(join(sub, `README_${KEY_ID}_0809092909.txt`), 'readme');
      pythonZip('legacy.zip', [
        'ImportParameters/',
        `ImportParameters/wrappingKey_${KEY_ID}_0809092909`,
        `ImportParameters/importToken_${KEY_ID}_0809092909`,
        `ImportParameters/README_${KEY_ID}_0809092909.txt`,
      ]);
      const got = readConsoleZip(new Uint8Array(readFileSync(join(dir, 'legacy.zip'))));
      assert.deepEqual(got.wrappingPublicKey, wrappingKey);
      assert.deepEqual(got.importToken, token);
      assert.equal(got.readme, 'readme');
    });

    it('names the missing file when the zip lacks one', () => {
      pythonZip('no-token.zip', ['WrappingPublicKey.bin']);
      assert.throws(() => readConsoleZip(new Uint8Array(readFileSync(join(dir, 'no-token.zip'))), 'no-token.zip'), {
        code: 'KMS_IMPORT_PARAMS_ZIP_MISSING',
        message: 'no-token.zip has no ImportToken.bin; download the wrapping public key and import token again (both come in the same zip).',
      });
      pythonZip('no-key.zip', ['ImportToken.bin']);
      assert.throws(() => readConsoleZip(new Uint8Array(readFileSync(join(dir, 'no-key.zip'))), 'no-key.zip'), {
        code: 'KMS_IMPORT_PARAMS_ZIP_MISSING',
        message: 'no-key.zip has no WrappingPublicKey.bin; download the wrapping public key and import token again (both come in the same zip).',
      });
    });

    it('refuses a file that is not a zip, and a corrupt zip, with one line each', () => {
      assert.throws(() => readConsoleZip(new TextEncoder().encode('{"format":1}'), 'x.zip'), {
        code: 'KMS_IMPORT_PARAMS_NOT_ZIP',
        message: "x.zip is not a zip file; give the Import_Parameters_<key id>.zip the console downloaded, or an hsm2kms import-parameters bundle.",
      });
      const zip = new Uint8Array(readFileSync(join(dir, 'console.zip')));
      const cut = zip.slice(0, zip.length - 30);
      assert.throws(() => readConsoleZip(cut, 'cut.zip'), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'KMS_IMPORT_PARAMS_NOT_ZIP');
        assert.match(e.message, /^cut\.zip is not a readable zip \(.+\); download the import parameters again\.$/);
        assert.ok(!e.message.includes('\n'));
        return true;
      });
    });

    it('writes a zip that unzip extracts to the same bytes, and seed step 3 runs on it', () => {
      const out = join(dir, 'ours');
      mkdirSync(out);
      writeFileSync(join(out, consoleZipFileName(KEY_ARN)), writeConsoleZip({ wrappingPublicKey: wrappingKey, importToken: token, readme: 'hi\n' }));
      execFileSync('unzip', ['-q', `Import_Parameters_${KEY_ID}.zip`], { cwd: out });
      assert.deepEqual(new Uint8Array(readFileSync(join(out, 'WrappingPublicKey.bin'))), wrappingKey);
      assert.deepEqual(new Uint8Array(readFileSync(join(out, 'ImportToken.bin'))), token);
      assert.equal(readFileSync(join(out, 'README.txt'), 'utf8'), 'hi\n');
      execFileSync('openssl', ['rsa', '-pubin', '-inform', 'DER', '-in', 'WrappingPublicKey.bin', '-out', 'wrappingkey-aws.pem'], { cwd: out, stdio: 'pipe' });
      assert.match(readFileSync(join(out, 'wrappingkey-aws.pem'), 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
    });

    it('round-trips any token length 1..6144 through the zip (property)', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 6144 }), (t) => {
          const back = readConsoleZip(writeConsoleZip({ wrappingPublicKey: wrappingKey, importToken: t }));
          assert.deepEqual(back.importToken, t);
          assert.deepEqual(back.wrappingPublicKey, wrappingKey);
        }),
        { numRuns: 25 },
      );
    });

    it('names and parses Import_Parameters_<key id>.zip', () => {
      assert.equal(consoleZipFileName(KEY_ARN), `Import_Parameters_${KEY_ID}.zip`);
      assert.equal(consoleZipFileName('mrk-1234abcd12ab34cd56ef1234567890ab'), 'Import_Parameters_mrk-1234abcd12ab34cd56ef1234567890ab.zip');
      assert.equal(keyIdFromConsoleZipName(`/home/u/Downloads/Import_Parameters_${KEY_ID} (1).zip`), KEY_ID);
      assert.equal(keyIdFromConsoleZipName('params.zip'), undefined);
      assert.throws(() => consoleZipFileName('alias/key0x100'), { code: 'KMS_IMPORT_PARAMS_BAD_KEY_ID' });
    });
  });

  describe('JSON bundle', () => {
    it('round-trips and records the SHA-256 sha256sum computes for each part', () => {
      const path = join(dir, 'params.json');
      writeImportParams(path, params(), { format: 'bundle' });
      const doc = JSON.parse(readFileSync(path, 'utf8'));
      assert.equal(doc.format, 'hsm2kms-import-parameters');
      assert.equal(doc.version, 1);
      assert.equal(doc.keyArn, KEY_ARN);
      assert.equal(doc.wrappingAlgorithm, 'RSA_AES_KEY_WRAP_SHA_256');
      assert.equal(doc.wrappingKeySpec, 'RSA_2048');
      assert.equal(doc.parametersValidTo, '2026-12-05T20:30:00.000Z');
      assert.equal(doc.wrappingPublicKey.sha256, sha256sum('WrappingPublicKey.bin'));
      assert.equal(doc.importToken.sha256, sha256sum('ImportToken.bin'));
      const back = readImportParams(path);
      assert.deepEqual(back, { source: 'bundle', ...params() });
    });

    it('writes atomically with mode 0600 and leaves no temp file', () => {
      const sub = join(dir, 'atomic');
      mkdirSync(sub);
      const path = join(sub, 'params.json');
      writeFileSync(path, 'old content');
      writeImportParams(path, params(), { format: 'bundle' });
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(sub), ['params.json']);
      assert.equal(readImportParams(path).source, 'bundle');
    });

    it('refuses a tampered part, naming it with the expected and actual hashes', () => {
      const text = encodeImportParamsBundle(params());
      const doc = JSON.parse(text);
      const t = Buffer.from(doc.importToken.base64, 'base64');
      t[100] ^= 0x01;
      doc.importToken.base64 = t.toString('base64');
      writeFileSync(join(dir, 'tampered.bin'), t);
      const actual = sha256sum('tampered.bin');
      assert.throws(() => decodeImportParamsBundle(JSON.stringify(doc), 'params.json'), {
        code: 'KMS_IMPORT_PARAMS_HASH_MISMATCH',
        message: `params.json: importToken does not match its SHA-256 (expected ${sha256sum('ImportToken.bin')}, actual ${actual}); the file was altered or damaged, so fetch the import parameters again (hsm2kms kms params).`,
      });
      const doc2 = JSON.parse(text);
      doc2.wrappingPublicKey.sha256 = '00'.repeat(32);
      assert.throws(() => decodeImportParamsBundle(JSON.stringify(doc2), 'params.json'), {
        code: 'KMS_IMPORT_PARAMS_HASH_MISMATCH',
        message: `params.json: wrappingPublicKey does not match its SHA-256 (expected ${'00'.repeat(32)}, actual ${sha256sum('WrappingPublicKey.bin')}); the file was altered or damaged, so fetch the import parameters again (hsm2kms kms params).`,
      });
    });

    it('refuses another format version and another format', () => {
      const doc = JSON.parse(encodeImportParamsBundle(params()));
      assert.throws(() => decodeImportParamsBundle(JSON.stringify({ ...doc, version: 2 }), 'p.json'), {
        code: 'KMS_IMPORT_PARAMS_VERSION',
        message: 'p.json has format version 2, but this hsm2kms reads version 1; use the hsm2kms that wrote it or fetch the import parameters again.',
      });
      assert.throws(() => decodeImportParamsBundle(JSON.stringify({ ...doc, format: 'other' }), 'p.json'), {
        code: 'KMS_IMPORT_PARAMS_FORMAT',
        message: 'p.json is not an hsm2kms-import-parameters bundle (format "other"); fetch the import parameters again (hsm2kms kms params).',
      });
      assert.throws(() => decodeImportParamsBundle('not json', 'p.json'), { code: 'KMS_IMPORT_PARAMS_NOT_JSON' });
    });

    it('refuses a wrapping key spec that does not match the key, and bad fields', () => {
      assert.throws(() => encodeImportParamsBundle(params({ wrappingKeySpec: 'RSA_4096' })), {
        code: 'KMS_IMPORT_PARAMS_SPEC_MISMATCH',
        message: 'The import parameters: the wrapping key is 2048-bit RSA but the wrapping key spec says RSA_4096; fetch the import parameters again.',
      });
      const doc = JSON.parse(encodeImportParamsBundle(params()));
      assert.throws(() => decodeImportParamsBundle(JSON.stringify({ ...doc, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA256' }), 'p.json'), {
        code: 'KMS_IMPORT_PARAMS_FIELD',
        message: 'p.json: wrappingAlgorithm "RSA_AES_KEY_WRAP_SHA256" is not one of RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSAES_PKCS1_V1_5, RSA_AES_KEY_WRAP_SHA_1, RSA_AES_KEY_WRAP_SHA_256, SM2PKE.',
      });
      assert.throws(() => decodeImportParamsBundle(JSON.stringify({ ...doc, parametersValidTo: 'tomorrow' }), 'p.json'), { code: 'KMS_IMPORT_PARAMS_FIELD' });
      assert.throws(() => decodeImportParamsBundle(JSON.stringify({ ...doc, keyArn: 'alias/x' }), 'p.json'), { code: 'KMS_IMPORT_PARAMS_FIELD' });
    });

    it('reads a console zip from disk, taking the key id from its name and the spec from the key size', () => {
      const path = join(dir, consoleZipFileName(KEY_ID));
      writeImportParams(path, params(), { format: 'console-zip' });
      const got = readImportParams(path);
      assert.equal(got.source, 'console-zip');
      if (got.source !== 'console-zip') return;
      assert.equal(got.keyId, KEY_ID);
      assert.equal(got.wrappingKeySpec, 'RSA_2048');
      assert.deepEqual(got.importToken, token);
      assert.match(got.readme ?? '', /Wrapping algorithm: RSA_AES_KEY_WRAP_SHA_256/);
    });

    it('reports an unreadable path with its errno code', () => {
      assert.throws(() => readImportParams(join(dir, 'nope.json')), {
        code: 'KMS_IMPORT_PARAMS_UNREADABLE',
        message: `Cannot read import parameters ${join(dir, 'nope.json')} (ENOENT); check the path.`,
      });
    });
  });
});
