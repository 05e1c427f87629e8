import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRsaSpki, wrappingKeyDerToPem, wrappingKeyPemToDer } from '../../../src/kms/client/wrapping-key.js';

let dir: string;
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** An RSA public key made by openssl, as DER SPKI (what KMS puts in WrappingPublicKey.bin). */
function opensslRsaSpki(bits: number): Uint8Array {
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', `k${bits}.pem`);
  openssl('pkey', '-in', `k${bits}.pem`, '-pubout', '-outform', 'DER', '-out', `WrappingPublicKey${bits}.bin`);
  return new Uint8Array(readFileSync(join(dir, `WrappingPublicKey${bits}.bin`)));
}

describe('wrapping public key (seed step 3)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hsm2kms-wrapkey-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const bits of [2048, 3072, 4096]) {
    it(`PEM equals \`openssl rsa -pubin -inform DER\` byte for byte (RSA ${bits})`, () => {
      const der = opensslRsaSpki(bits);
      openssl('rsa', '-pubin', '-inform', 'DER', '-in', `WrappingPublicKey${bits}.bin`, '-out', `wrappingkey-aws${bits}.pem`);
      const expected = readFileSync(join(dir, `wrappingkey-aws${bits}.pem`), 'utf8');
      assert.equal(wrappingKeyDerToPem(der), expected);
      assert.deepEqual(wrappingKeyPemToDer(expected), der);
      assert.deepEqual(wrappingKeyPemToDer(expected.replace(/\n/g, '\r\n')), der);
    });
  }

  it('reads modulus size and exponent as openssl -text reports them', () => {
    const der = new Uint8Array(readFileSync(join(dir, 'WrappingPublicKey2048.bin')));
    const text = openssl('rsa', '-pubin', '-inform', 'DER', '-in', 'WrappingPublicKey2048.bin', '-text', '-noout').toString();
    const bits = Number(/Public-Key: \((\d+) bit\)/.exec(text)?.[1]);
    const exponent = BigInt(/Exponent: (\d+)/.exec(text)?.[1] ?? '0');
    const info = parseRsaSpki(der);
    assert.equal(info.modulusBits, bits);
    assert.equal(info.publicExponent, exponent);
    assert.equal(info.wrappingKeySpec, 'RSA_2048');
  });

  it('refuses a 1024-bit RSA key (hex literal), a size KMS never issues', () => {
    // Made once with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 | openssl pkey -pubout -outform DER | xxd -p`.
    const der = Uint8Array.from(
      Buffer.from(
        '30819f300d06092a864886f70d010101050003818d0030818902818100d815658bad77e2b02ef21399d9a1986c40dea76496a5aea7ba' +
          '10e6898160025616106588b512f27e2da0ad408853b3ef6477a68e29e3005dbac0db2368963d6feec1c8d7698408b15c1d1ef8329a2d' +
          '279a0f0f065827bf628080da084f14bd27d7bf6741125458449b4efde18d1807f716ce7da10fff9d48cac9dc60b55f7aed0203010001',
        'hex',
      ),
    );
    assert.throws(() => parseRsaSpki(der), {
      code: 'KMS_WRAPPING_KEY_INVALID',
      message:
        'The wrapping public key is not a DER RSA 2048/3072/4096 SubjectPublicKeyInfo (RSA modulus of 1024 bits; a YubiHSM 2 holds RSA 2048, 3072 or 4096); use the WrappingPublicKey.bin that KMS issued.',
    });
  });

  it('refuses an EC key, truncated DER and trailing bytes with KMS_WRAPPING_KEY_INVALID', () => {
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.pem');
    openssl('pkey', '-in', 'ec.pem', '-pubout', '-outform', 'DER', '-out', 'ec.der');
    const ec = new Uint8Array(readFileSync(join(dir, 'ec.der')));
    assert.throws(() => parseRsaSpki(ec), {
      code: 'KMS_WRAPPING_KEY_INVALID',
      message: 'The wrapping public key is not a DER RSA 2048/3072/4096 SubjectPublicKeyInfo (the key is not an RSA key); use the WrappingPublicKey.bin that KMS issued.',
    });
    const der = new Uint8Array(readFileSync(join(dir, 'WrappingPublicKey2048.bin')));
    assert.throws(() => parseRsaSpki(der.subarray(0, der.length - 1)), { code: 'KMS_WRAPPING_KEY_INVALID' });
    const longer = new Uint8Array(der.length + 1);
    longer.set(der);
    assert.throws(() => parseRsaSpki(longer), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'KMS_WRAPPING_KEY_INVALID');
      assert.match(e.message, /^The wrapping public key is not a DER RSA 2048\/3072\/4096 SubjectPublicKeyInfo \(.+\); use the WrappingPublicKey\.bin that KMS issued\.$/);
      return true;
    });
    assert.throws(() => wrappingKeyPemToDer('hello'), { code: 'KMS_WRAPPING_KEY_INVALID' });
  });
});
