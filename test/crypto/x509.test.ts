import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import {
  attestationExtensions,
  createTestAttestationChain,
  parseAttestationExtensions,
  signAttestationCertificate,
  YUBIHSM_ATTESTATION_OIDS,
  type AttestedKeyAttributes,
} from '../../src/crypto/attestation-cert.js';
import { derOctetString } from '../../src/crypto/der.js';
import { generateKeyMaterial, publicKeySpki } from '../../src/crypto/keys.js';
import {
  certificateFromPem,
  certificateToPem,
  encodeName,
  nameToString,
  parseCertificate,
  signCertificate,
  verifyCertificateSignature,
} from '../../src/crypto/x509.js';
import { hexBytes, isCoded, loadVectors, openssl, opensslOk, tempDir, toHex } from './asym-helpers.js';

const vectors = loadVectors().e_rsa_wrapped_key;

test('extension values match the bytes of a real firmware 2.4.1 attestation certificate', () => {
  const exts = attestationExtensions({ firmwareVersion: [2, 4, 1], serialNumber: 0x020bd9fd, origin: 1, domains: 1, capabilities: 0x100n, objectId: 3, label: '' });
  assert.deepEqual(
    exts.map((e) => [e.oid, toHex(e.value), e.critical]),
    [
      ['1.3.6.1.4.1.41482.4.1', '0403020401', false],
      ['1.3.6.1.4.1.41482.4.2', '0204020bd9fd', false],
      ['1.3.6.1.4.1.41482.4.3', '03020001', false],
      ['1.3.6.1.4.1.41482.4.4', '0303000001', false],
      ['1.3.6.1.4.1.41482.4.5', '03090000000000000001 00'.replace(' ', ''), false],
      ['1.3.6.1.4.1.41482.4.6', '020103', false],
      ['1.3.6.1.4.1.41482.4.9', '0c00', false],
    ],
  );
  const label = new Uint8Array(40);
  label.set(new TextEncoder().encode('management: local import'));
  const withLabel = attestationExtensions({ firmwareVersion: [2, 2, 0], serialNumber: 18952406, origin: 0x12, domains: 0x8001, capabilities: 0x0000000400000660n, objectId: 0x0f, label });
  // yubihsm.rs pkix.rs test: label "management: local import" -> 0C 18 …
  assert.equal(toHex(withLabel[6].value), '0c186d616e6167656d656e743a206c6f63616c20696d706f7274');
  assert.equal(toHex(withLabel[1].value), '02040121 30d6'.replace(' ', ''));
  assert.equal(toHex(withLabel[3].value), '0303008001');
  assert.equal(toHex(withLabel[4].value), '0309000000000400000660');
});

test('openssl verify accepts the test chain and key attestations for EC, brainpool, Ed25519 and RSA keys; node reads them', () => {
  const dir = tempDir();
  try {
    const chain = createTestAttestationChain({ serialNumber: 12345678, firmwareVersion: [2, 4, 0] });
    const rootPem = dir.file('root.pem', certificateToPem(chain.root.certificate));
    const interPem = dir.file('inter.pem', certificateToPem(chain.intermediate.certificate));
    const devicePem = dir.file('device.pem', certificateToPem(chain.device.certificate));
    const untrusted = dir.file('untrusted.pem', certificateToPem(chain.intermediate.certificate) + certificateToPem(chain.device.certificate));
    assert.match(openssl(['verify', '-CAfile', rootPem, '-untrusted', interPem, devicePem]).toString(), /device\.pem: OK/);

    const rsaMaterial = (() => {
      const jwk = createPrivateKey(vectors.rsa_private_key_pem).export({ format: 'jwk' });
      const m = new Uint8Array(256);
      const p = Buffer.from(jwk.p as string, 'base64url');
      const q = Buffer.from(jwk.q as string, 'base64url');
      m.set(p, 128 - p.length);
      m.set(q, 256 - q.length);
      return m;
    })();
    const keys: [number, Uint8Array][] = [[12, generateKeyMaterial(12)], [17, generateKeyMaterial(17)], [46, generateKeyMaterial(46)], [9, rsaMaterial]];
    for (const [alg, material] of keys) {
      const spki = publicKeySpki(alg, material);
      const attributes: AttestedKeyAttributes = { firmwareVersion: [2, 4, 0], serialNumber: 12345678, origin: 1, domains: 0x0003, capabilities: 0x0000000000010080n, objectId: 0x0064, label: 'kms-signing-key' };
      const att = signAttestationCertificate({ attestedPublicKey: spki, attributes, attesting: chain.device });
      const attPem = dir.file('att.pem', certificateToPem(att));
      assert.match(openssl(['verify', '-CAfile', rootPem, '-untrusted', untrusted, attPem]).toString(), /att\.pem: OK/, `algorithm ${alg}`);
      const text = openssl(['x509', '-in', attPem, '-noout', '-text']).toString();
      assert.match(text, /Subject: CN = YubiHSM Attestation id 0x0064/);
      assert.match(text, /Issuer: O = hsm2kms test, CN = Test YubiHSM Attestation 12345678/);
      assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
      for (const oid of Object.values(YUBIHSM_ATTESTATION_OIDS)) assert.ok(text.includes(`${oid}:`), `${oid} listed by openssl`);

      const x = new X509Certificate(att);
      assert.equal(toHex(new Uint8Array(x.publicKey.export({ format: 'der', type: 'spki' }))), toHex(spki));
      assert.equal(x.subject, 'CN=YubiHSM Attestation id 0x0064');
      assert.ok(x.checkIssued(new X509Certificate(chain.device.certificate)));
      assert.ok(x.verify(createPublicKey(chain.device.privateKey)));
      assert.equal(x.validFrom, 'Jan  1 00:00:00 2017 GMT');
      assert.equal(x.validTo, 'Oct  5 00:00:00 2071 GMT');

      const parsed = parseAttestationExtensions(att);
      assert.deepEqual(parsed, { firmwareVersion: '2.4.0', serialNumber: 12345678, origin: 1, domains: 3, capabilities: 0x10080n, objectId: 0x64, label: 'kms-signing-key', other: [] });
      assert.ok(verifyCertificateSignature(att, createPublicKey(chain.device.privateKey)));
      assert.equal(verifyCertificateSignature(att, createPublicKey(chain.intermediate.privateKey)), false);
    }
    // The device certificate carries firmware and serial too.
    const dev = parseAttestationExtensions(chain.device.certificate);
    assert.equal(dev.firmwareVersion, '2.4.0');
    assert.equal(dev.serialNumber, 12345678);
    assert.deepEqual(dev.other.map((e) => e.oid).sort(), ['2.5.29.14', '2.5.29.15', '2.5.29.19', '2.5.29.35']);
    // A certificate signed by the wrong key does not verify.
    const other = createTestAttestationChain({ serialNumber: 1, firmwareVersion: [2, 4, 0] });
    const forged = signAttestationCertificate({ attestedPublicKey: publicKeySpki(12, generateKeyMaterial(12)), attributes: { firmwareVersion: [2, 4, 0], serialNumber: 1, origin: 1, domains: 1, capabilities: 0n, objectId: 1, label: '' }, attesting: { certificate: chain.device.certificate, privateKey: other.device.privateKey } });
    assert.equal(opensslOk(['verify', '-CAfile', rootPem, '-untrusted', untrusted, dir.file('forged.pem', certificateToPem(forged))]).ok, false);
  } finally {
    dir.cleanup();
  }
});

test('an RSA chain: SHA-256 PKCS#1 v1.5 signatures, verified by openssl', () => {
  const dir = tempDir();
  try {
    const rsa = createPrivateKey(vectors.rsa_private_key_pem);
    const chain = createTestAttestationChain({ serialNumber: 7, firmwareVersion: [2, 4, 1], rootKey: rsa, intermediateKey: rsa, deviceKey: rsa });
    const att = signAttestationCertificate({ attestedPublicKey: publicKeySpki(13, generateKeyMaterial(13)), attributes: { firmwareVersion: [2, 4, 1], serialNumber: 7, origin: 0x11, domains: 0xffff, capabilities: 0xffffffffffffffffn, objectId: 0xfffe, label: 'x'.repeat(40) }, attesting: chain.device });
    const text = openssl(['x509', '-inform', 'DER', '-in', dir.file('att.der', att), '-noout', '-text']).toString();
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(openssl(['verify', '-CAfile', dir.file('root.pem', certificateToPem(chain.root.certificate)), '-untrusted', dir.file('u.pem', certificateToPem(chain.intermediate.certificate) + certificateToPem(chain.device.certificate)), dir.file('att.pem', certificateToPem(att))]).toString(), /OK/);
    const parsed = parseAttestationExtensions(att);
    assert.equal(parsed.capabilities, 0xffffffffffffffffn);
    assert.equal(parsed.objectId, 0xfffe);
    assert.equal(parsed.label, 'x'.repeat(40));
  } finally {
    dir.cleanup();
  }
});

test('parseCertificate reads an openssl-made certificate; names, times, extensions', () => {
  const dir = tempDir();
  try {
    const keyFile = dir.file('k.pem', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']));
    const der = new Uint8Array(openssl(['req', '-x509', '-key', keyFile, '-subj', '/C=SE/O=Example AB/CN=Example Root', '-days', '30', '-sha384', '-set_serial', '4660', '-outform', 'DER']));
    const c = parseCertificate(der);
    assert.equal(c.version, 3);
    assert.equal(c.serialNumber, 4660n);
    assert.equal(c.signatureAlgorithm, '1.2.840.10045.4.3.3');
    assert.equal(nameToString(c.subject), 'CN=Example Root, O=Example AB, C=SE');
    assert.equal(toHex(c.issuer), toHex(c.subject));
    assert.equal(Math.round((c.notAfter.getTime() - c.notBefore.getTime()) / 86400000), 30);
    assert.ok(c.extensions.some((e) => e.oid === '2.5.29.19'));
    assert.ok(verifyCertificateSignature(c, c.subjectPublicKeyInfo));
    // Our encoder writes the same Name bytes as openssl for the same attributes.
    assert.equal(toHex(encodeName({ country: 'SE', organization: 'Example AB', commonName: 'Example Root' })), toHex(c.subject));
    assert.equal(toHex(certificateFromPem(certificateToPem(der))), toHex(der));
    const badSignature = der.slice();
    badSignature[der.length - 1] ^= 1;
    assert.equal(verifyCertificateSignature(badSignature, c.subjectPublicKeyInfo), false);
    const badSubject = der.slice();
    badSubject[4 + c.tbs.length - 100] ^= 1; // a byte inside the subject public key: parses, signature no longer matches
    assert.equal(verifyCertificateSignature(badSubject, c.subjectPublicKeyInfo), false);
  } finally {
    dir.cleanup();
  }
});

test('malformed input gives typed errors', () => {
  assert.throws(() => parseCertificate(hexBytes('3003020101')), isCoded('DER_UNEXPECTED_TAG'));
  const chain = createTestAttestationChain({ serialNumber: 1, firmwareVersion: [2, 4, 0] });
  const bad = signCertificate(
    {
      serialNumber: 5n,
      issuer: { commonName: 'x' },
      subject: { commonName: 'y' },
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2030-01-01T00:00:00Z'),
      subjectPublicKeyInfo: publicKeySpki(12, generateKeyMaterial(12)),
      extensions: [{ oid: YUBIHSM_ATTESTATION_OIDS.firmwareVersion, critical: false, value: derOctetString(Uint8Array.of(2, 4)) }],
    },
    chain.device.privateKey,
  );
  assert.throws(() => parseAttestationExtensions(bad), isCoded('BAD_ATTESTATION_EXTENSION', /^Attestation extension 1\.3\.6\.1\.4\.1\.41482\.4\.1 \(firmware version\) is malformed; the certificate is not a YubiHSM attestation\.$/));
  assert.throws(() => signCertificate({ serialNumber: 0n, issuer: { commonName: 'x' }, subject: { commonName: 'x' }, notBefore: new Date(0), notAfter: new Date(0), subjectPublicKeyInfo: new Uint8Array(0) }, chain.root.privateKey), isCoded('BAD_SERIAL_NUMBER'));
  assert.throws(() => attestationExtensions({ firmwareVersion: [2, 4, 256], serialNumber: 1, origin: 1, domains: 1, capabilities: 0n, objectId: 1, label: '' }), isCoded('BAD_ATTESTATION_FIELD'));
  assert.throws(() => signCertificate({ serialNumber: 1n, issuer: { commonName: 'x' }, subject: { commonName: 'x' }, notBefore: new Date(0), notAfter: new Date(0), subjectPublicKeyInfo: new Uint8Array(0) }, createPublicKey(chain.root.privateKey)), isCoded('NOT_A_PRIVATE_KEY'));
});
