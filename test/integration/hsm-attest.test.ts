/**
 * SignAttestationCertificate (0x64) through the client over HTTP: the key certificate chains through the device
 * attestation certificate (GetOpaque 0) and the test intermediate to the simulator's test root, checked by
 * `openssl verify` and by the client's verifyAttestation; the Yubico extensions state the key's facts; the
 * attested public key is the device key's. Also attestation by a user key with its own X.509 template.
 */
import assert from 'node:assert/strict';
import { createPublicKey, X509Certificate } from 'node:crypto';
import test from 'node:test';
import { AsymmetricKey, Opaque, verifyAttestation } from '../../src/client/index.js';
import { certificateFromPem, certificateToPem } from '../../src/crypto/x509.js';
import { capabilities } from '../../src/protocol/capabilities.js';
import { TEST_ATTESTATION_INTERMEDIATE_PEM, TEST_ATTESTATION_ROOT_PEM } from '../../src/simulator/attestation.js';
import { httpRig } from '../client/harness.js';
import { OpenSsl } from '../client/openssl.js';

test('key attestation by the device key: openssl verify and verifyAttestation accept the chain; extensions match', async (t) => {
  const rig = await httpRig({ device: { serial: 7550317 } });
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const s = await rig.open();
  t.after(() => s.close());
  const key = await AsymmetricKey.generate(s, {
    id: 0x100, label: 'YubiHSM Signing Key', domains: '1,3', capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256',
  });
  const cert = await key.attest();
  const deviceCert = await s.getDeviceAttestationCertificate();
  ossl.write('root.pem', TEST_ATTESTATION_ROOT_PEM);
  ossl.write('untrusted.pem', TEST_ATTESTATION_INTERMEDIATE_PEM + certificateToPem(deviceCert));
  ossl.write('key.pem', certificateToPem(cert));
  assert.match(ossl.run('verify', '-CAfile', 'root.pem', '-untrusted', 'untrusted.pem', 'key.pem'), /key\.pem: OK/);

  const intermediate = certificateFromPem(TEST_ATTESTATION_INTERMEDIATE_PEM);
  const root = certificateFromPem(TEST_ATTESTATION_ROOT_PEM);
  const v = verifyAttestation([cert, deviceCert, intermediate], root);
  assert.deepEqual(v.subjectPublicKeyInfo, (await key.getPublicKey()).spki);
  assert.equal(v.attributes.objectId, 0x100);
  assert.equal(v.attributes.label, 'YubiHSM Signing Key');
  assert.equal(v.attributes.domains, 0x0005);
  assert.equal(v.attributes.capabilities, capabilities('exportable-under-wrap', 'sign-ecdsa'));
  assert.equal(v.attributes.origin, 0x01);
  assert.equal(v.attributes.serialNumber, 7550317);
  assert.equal(v.device.serialNumber, 7550317);
  assert.equal(v.device.firmwareVersion, '2.4.0');

  // A chain missing its intermediate, or checked against another root, is refused with the failing link named.
  assert.throws(() => verifyAttestation([cert, deviceCert], root), {
    code: 'HSM_ATTESTATION_INVALID', message: /The device attestation certificate was not issued by the trusted root/,
  });
  const otherDevice = await httpRig();
  t.after(() => otherDevice.close());
  const s2 = await otherDevice.open();
  const foreign = await s2.getDeviceAttestationCertificate();
  await s2.close();
  assert.throws(() => verifyAttestation([cert, foreign, intermediate], root), {
    code: 'HSM_ATTESTATION_INVALID', message: 'The key attestation certificate was not issued by the device attestation certificate (issuer name differs).',
  });
  const forged = cert.slice();
  forged[forged.length - 3] ^= 0x01; // inside the signature value
  assert.throws(() => verifyAttestation([forged, deviceCert, intermediate], root), {
    code: 'HSM_ATTESTATION_INVALID', message: /signature on the key attestation certificate does not verify with the key of the device attestation certificate/,
  });
});

test('key attestation by a user key with an X.509 template of the same id', async (t) => {
  const rig = await httpRig();
  const ossl = new OpenSsl();
  t.after(async () => {
    ossl.cleanup();
    await rig.close();
  });
  const s = await rig.open();
  t.after(() => s.close());
  const ca = await AsymmetricKey.generate(s, { id: 0x200, domains: 1, capabilities: 'sign-attestation-certificate', algorithm: 'ecp256' });
  // The template certificate only supplies names and validity; its key need not be the attesting key's.
  ossl.run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tmp.key',
    '-subj', '/CN=Attesting template', '-days', '30', '-outform', 'DER', '-out', 'template.der');
  await Opaque.putCertificate(s, { id: 0x200, domains: 1, capabilities: 0n, certificate: ossl.read('template.der') });
  const key = await AsymmetricKey.generate(s, { id: 0x201, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp384' });
  const cert = await key.attest(0x200);
  ossl.write('key.der', cert);
  ossl.run('x509', '-inform', 'DER', '-in', 'key.der', '-noout', '-text');
  ossl.run('x509', '-inform', 'DER', '-in', 'key.der', '-pubkey', '-noout', '-out', 'attested.pub');
  assert.equal(new TextDecoder().decode(ossl.read('attested.pub')), (await key.getPublicKey()).pem);
  // The certificate's signature verifies with the attesting key's public key (node's X509Certificate).
  assert.equal(new X509Certificate(cert).verify(createPublicKey((await ca.getPublicKey()).pem)), true);
  assert.equal(new X509Certificate(cert).verify(createPublicKey((await key.getPublicKey()).pem)), false);
});
