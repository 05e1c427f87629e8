import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  checkKmsSignatureEncoding,
  ecdsaSignatureToRaw,
  signatureFromB64Text,
  signatureToB64Text,
  writeSignatureFiles,
} from '../../../src/kms/client/signature-format.js';

let dir: string;
const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

describe('signature files (seed steps 6-7)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hsm2kms-sig-'));
    // The seed's message: base64 TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo= decodes to this text.
    writeFileSync(join(dir, 'message-aws.txt'), Buffer.from('TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo=', 'base64'));
    run('openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key0x100.pem');
    run('openssl', 'pkey', '-in', 'key0x100.pem', '-pubout', '-out', 'key0x100.pub');
    run('openssl', 'dgst', '-sha256', '-sign', 'key0x100.pem', '-out', 'openssl.sig', 'message-aws.txt');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the seed message is the text the guide signs', () => {
    assert.equal(readFileSync(join(dir, 'message-aws.txt'), 'utf8'), 'Message signed by AWS KMS\n');
  });

  it('writes the DER and the jq-style base64 so that base64 -d and openssl dgst -verify accept them', () => {
    const der = new Uint8Array(readFileSync(join(dir, 'openssl.sig')));
    const paths = writeSignatureFiles(join(dir, 'message-aws.signature'), der, 'ECC_NIST_P256');
    assert.deepEqual(paths, { binary: join(dir, 'message-aws.signature'), base64: join(dir, 'message-aws.signature.b64') });
    assert.equal(readFileSync(paths.base64, 'utf8'), run('base64', '-w0', 'openssl.sig').toString() + '\n');
    assert.deepEqual(new Uint8Array(run('base64', '-d', 'message-aws.signature.b64')), der);
    const out = run('openssl', 'dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt').toString();
    assert.equal(out, 'Verified OK\n');
    assert.equal(statSync(paths.binary).mode & 0o777, 0o644);
    assert.ok(readdirSync(dir).every((n) => !n.endsWith('.tmp')));
  });

  it('reads the .b64 text back', () => {
    const der = new Uint8Array(readFileSync(join(dir, 'openssl.sig')));
    assert.deepEqual(signatureFromB64Text(signatureToB64Text(der)), der);
    assert.deepEqual(signatureFromB64Text('  ' + signatureToB64Text(der) + '\r\n'), der);
    assert.throws(() => signatureFromB64Text('not base64!'), {
      code: 'KMS_SIGNATURE_BASE64',
      message: 'The signature file is not one line of base64; give the .b64 file jq -r .Signature wrote.',
    });
  });

  it('refuses a signature that is not DER for the key spec, and an RSA signature of the wrong size', () => {
    const der = new Uint8Array(readFileSync(join(dir, 'openssl.sig')));
    const raw = new Uint8Array(64).fill(7);
    assert.throws(() => checkKmsSignatureEncoding(raw, 'ECC_NIST_P256'), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'KMS_SIGNATURE_ENCODING');
      assert.match(e.message, /^The signature is not a DER ECDSA signature for ECC_NIST_P256 \(.+\); use the bytes KMS Sign returned\.$/);
      return true;
    });
    assert.doesNotThrow(() => checkKmsSignatureEncoding(der, 'ECC_NIST_P256'));
    assert.throws(() => checkKmsSignatureEncoding(new Uint8Array(255), 'RSA_2048'), {
      code: 'KMS_SIGNATURE_ENCODING',
      message: 'The signature is 255 bytes, but RSA_2048 signatures are 256 bytes; use the bytes KMS Sign returned.',
    });
    assert.throws(() => checkKmsSignatureEncoding(der, 'HMAC_256'), { code: 'KMS_SIGNATURE_ENCODING' });
  });

  it('gives the r‖s form that openssl asn1parse shows', () => {
    const der = new Uint8Array(readFileSync(join(dir, 'openssl.sig')));
    const parsed = run('openssl', 'asn1parse', '-inform', 'DER', '-in', 'openssl.sig').toString();
    const ints = [...parsed.matchAll(/INTEGER\s+:([0-9A-F]+)/g)].map((m) => m[1].padStart(64, '0').toLowerCase());
    assert.equal(ints.length, 2);
    assert.equal(Buffer.from(ecdsaSignatureToRaw(der, 'ECC_NIST_P256')).toString('hex'), ints[0] + ints[1]);
  });
});
