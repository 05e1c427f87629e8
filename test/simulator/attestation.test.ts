/**
 * SignAttestationCertificate (0x64) with the device attestation key (id 0) and with a user key: the chain
 * verifies with `openssl verify` against the simulator's test root; the Yubico extensions carry the key's facts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyCertificateSignature } from '../../src/crypto/x509.js';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { DeviceErrorCode as E } from '../../src/protocol/device-errors.js';
import { TEST_ATTESTATION_INTERMEDIATE_PEM, TEST_ATTESTATION_ROOT_PEM } from '../../src/simulator/attestation.js';
import { hex, newDevice, openSession, openssl, p256Spki, unhex, withTempDir } from './helpers.js';

const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

/** The hex value of the extension with this OID, as openssl asn1parse shows it. */
function extension(asn1: string, oid: string): string | undefined {
  const lines = asn1.split('\n');
  const i = lines.findIndex((l) => l.includes(`:${oid}`) && l.includes('OBJECT'));
  if (i < 0) return undefined;
  const m = /\[HEX DUMP\]:([0-9A-F]+)/.exec(lines[i + 1]) ?? /\[HEX DUMP\]:([0-9A-F]+)/.exec(lines[i + 2]);
  return m?.[1].toLowerCase();
}

test('a key attestation chains to the test root with openssl verify and carries the 41482.4.x extensions', async () => {
  await withTempDir(async (dir) => {
    const d = newDevice({ serial: 12345678 });
    const s = await openSession(d);
    await s.send(commands.generateAsymmetricKey, {
      id: 0x100, label: 'YubiHSM Signing Key', domains: 0x0001, capabilities: caps('sign-ecdsa', 'exportable-under-wrap'), algorithm: 12,
    });
    const cert = await s.send(commands.signAttestationCertificate, { keyId: 0x100, attestingKeyId: 0 });
    const deviceCert = await s.send(commands.getOpaque, 0);
    writeFileSync(join(dir, 'root.pem'), TEST_ATTESTATION_ROOT_PEM);
    writeFileSync(join(dir, 'chain.pem'), TEST_ATTESTATION_INTERMEDIATE_PEM + pem(deviceCert));
    writeFileSync(join(dir, 'key.pem'), pem(cert));
    const verified = openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'chain.pem'), join(dir, 'key.pem')]);
    assert.match(verified.toString(), /key\.pem: OK/);

    const subject = openssl(['x509', '-in', join(dir, 'key.pem'), '-noout', '-subject']).toString();
    assert.match(subject, /CN ?= ?YubiHSM Attestation id 0x0100/);
    const pub = openssl(['x509', '-in', join(dir, 'key.pem'), '-noout', '-pubkey']).toString();
    writeFileSync(join(dir, 'pub.pem'), pub);
    const spki = openssl(['pkey', '-pubin', '-in', join(dir, 'pub.pem'), '-outform', 'DER']);
    const devicePub = await s.send(commands.getPublicKey, { keyId: 0x100 });
    assert.equal(spki.toString('hex'), hex(p256Spki(devicePub.publicKey)));

    const asn1 = openssl(['asn1parse', '-in', join(dir, 'key.pem')]).toString();
    assert.equal(extension(asn1, '1.3.6.1.4.1.41482.4.1'), '0403020400', 'firmware 2.4.0');
    assert.equal(extension(asn1, '1.3.6.1.4.1.41482.4.2'), '020400bc614e', 'serial 12345678');
    assert.equal(extension(asn1, '1.3.6.1.4.1.41482.4.3'), '03020001', 'origin: generated');
    assert.equal(extension(asn1, '1.3.6.1.4.1.41482.4.4'), '0303000001', 'domain 1');
    assert.equal(extension(asn1, '1.3.6.1.4.1.41482.4.5'), '0309000000000000010080', 'sign-ecdsa, exportable-under-wrap');
    assert.equal(extension(asn1, '1.3.6.1.4.1.41482.4.6'), '02020100', 'id 0x0100');
    assert.equal(extension(asn1, '1.3.6.1.4.1.41482.4.9'), '0c13' + Buffer.from('YubiHSM Signing Key').toString('hex'));

    // The device certificate also says firmware and serial; it stays the same across calls.
    const devAsn1 = openssl(['asn1parse', '-inform', 'DER'], Buffer.from(deviceCert)).toString();
    assert.equal(extension(devAsn1, '1.3.6.1.4.1.41482.4.2'), '020400bc614e');
    assert.equal(hex(await s.send(commands.getOpaque, 0)), hex(deviceCert));
  });
});

test('attesting with a user key needs its capability and an X.509 opaque of the same id; the signature is that key\'s', async () => {
  await withTempDir(async (dir) => {
    const s = await openSession(newDevice());
    await s.send(commands.generateAsymmetricKey, { id: 0x10, label: 'attested', domains: 1, capabilities: caps('sign-eddsa'), algorithm: 46 });
    await s.send(commands.generateAsymmetricKey, { id: 0x20, label: 'attester', domains: 1, capabilities: caps('sign-attestation-certificate'), algorithm: 13 });
    await s.send(commands.generateAsymmetricKey, { id: 0x30, label: 'no cap', domains: 1, capabilities: caps('sign-ecdsa'), algorithm: 12 });
    assert.equal(await s.errorOf(commands.signAttestationCertificate, { keyId: 0x10, attestingKeyId: 0x20 }), E.OBJECT_NOT_FOUND, 'no template certificate');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-subj', '/CN=Attester template', '-days', '30', '-outform', 'DER', '-out', join(dir, 't.der')]);
    const template = new Uint8Array(openssl(['x509', '-inform', 'DER', '-in', join(dir, 't.der'), '-outform', 'DER']));
    await s.send(commands.putOpaque, { id: 0x20, label: 'template', domains: 1, capabilities: 0n, algorithm: 31, data: template });
    await s.send(commands.putOpaque, { id: 0x30, label: 'template', domains: 1, capabilities: 0n, algorithm: 31, data: template });
    assert.equal(await s.errorOf(commands.signAttestationCertificate, { keyId: 0x10, attestingKeyId: 0x30 }), E.INSUFFICIENT_PERMISSIONS);
    const cert = await s.send(commands.signAttestationCertificate, { keyId: 0x10, attestingKeyId: 0x20 });
    writeFileSync(join(dir, 'c.der'), cert);
    const text = openssl(['x509', '-inform', 'DER', '-in', join(dir, 'c.der'), '-noout', '-issuer', '-subject']).toString();
    assert.match(text, /issuer=CN ?= ?Attester template/);
    assert.match(text, /subject=CN ?= ?YubiHSM Attestation id 0x0010/);
    const signer = await s.send(commands.getPublicKey, { keyId: 0x20 });
    const signerSpki = unhex('3076301006072a8648ce3d020106052b81040022036200' + '04' + hex(signer.publicKey));
    assert.ok(verifyCertificateSignature(cert, signerSpki));
    await s.send(commands.putOpaque, { id: 0x40, label: 'not a cert', domains: 1, capabilities: 0n, algorithm: 30, data: unhex('00') });
    await s.send(commands.generateAsymmetricKey, { id: 0x40, label: 'k', domains: 1, capabilities: caps('sign-attestation-certificate'), algorithm: 12 });
    assert.equal(await s.errorOf(commands.signAttestationCertificate, { keyId: 0x10, attestingKeyId: 0x40 }), E.INVALID_DATA);
  });
});
