/**
 * Every access-control refusal of PROTOCOL.md 4.4 the software device makes, seen through the client over HTTP:
 * the error code is the device's, and the message names the missing capability (or domain) and the object that
 * lacks it, as the client works it out from GetObjectInfo after the failure.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import test from 'node:test';
import {
  AsymmetricKey,
  AuthenticationKey,
  HmacKey,
  HsmPermissionError,
  Opaque,
  OtpAeadKey,
  PublicWrapKey,
  SymmetricKey,
  Template,
  WrapKey,
  type HsmSession,
} from '../../src/client/index.js';
import { httpRig, type HttpRig } from '../client/harness.js';
import { OpenSsl } from '../client/openssl.js';

/** Auth key ids handed out per device, from 0x0010. */
const nextAuthId = new WeakMap<HttpRig, number>();

/** A session with a new auth key holding exactly these capabilities / delegated capabilities / domains. */
async function restricted(rig: HttpRig, admin: HsmSession, o: { caps: string; delegated?: string; domains?: string }): Promise<HsmSession> {
  const id = nextAuthId.get(rig) ?? 0x10;
  nextAuthId.set(rig, id + 1);
  await AuthenticationKey.putDerived(admin, {
    id, label: `restricted ${id}`, domains: o.domains ?? '1', capabilities: o.caps, delegatedCapabilities: o.delegated ?? 'none', password: 'pw',
  });
  return rig.open({ authKeyId: id, password: 'pw' });
}

/** Asserts an HsmPermissionError whose message matches every pattern. */
function refused(...patterns: RegExp[]) {
  return (e: unknown) => {
    assert.ok(e instanceof HsmPermissionError, `expected HsmPermissionError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.equal(e.code, 'HSM_INSUFFICIENT_PERMISSIONS');
    assert.equal(e.deviceCode, 0x09);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}

async function setup(t: test.TestContext) {
  const rig = await httpRig();
  t.after(() => rig.close());
  const admin = await rig.open();
  return { rig, admin };
}

test('rule 1, visibility: an object outside the session domains is OBJECT_NOT_FOUND, naming it and the domains', async (t) => {
  const { rig, admin } = await setup(t);
  await AsymmetricKey.generate(admin, { id: 0x100, domains: '2', capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const s = await restricted(rig, admin, { caps: 'sign-ecdsa', domains: '1' });
  await assert.rejects(AsymmetricKey.from(s, 0x100).signEcdsa(new Uint8Array(32)), {
    code: 'HSM_OBJECT_NOT_FOUND',
    message: /^SignEcdsa failed \(OBJECT_NOT_FOUND\): asymmetric-key 0x0100 not found\. It does not exist or shares no domain with auth key 0x0010 \(domains 1\)/,
  });
});

test('rule 2, use: the capability must be on the auth key and on the key', async (t) => {
  const { rig, admin } = await setup(t);
  await AsymmetricKey.generate(admin, { id: 0x100, domains: 1, capabilities: 'derive-ecdh', algorithm: 'ecp256' });
  await AsymmetricKey.generate(admin, { id: 0x101, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const noCap = await restricted(rig, admin, { caps: 'derive-ecdh' });
  await assert.rejects(AsymmetricKey.from(noCap, 0x101).signEcdsa(new Uint8Array(32)), refused(
    /^SignEcdsa refused \(INSUFFICIENT_PERMISSIONS\): auth key 0x0010 lacks capability sign-ecdsa needed for SignEcdsa/,
  ));
  const s = await restricted(rig, admin, { caps: 'sign-ecdsa' });
  await assert.rejects(AsymmetricKey.from(s, 0x100).signEcdsa(new Uint8Array(32)), (e: unknown) => {
    refused(/key asymmetric-key 0x0100 lacks capability sign-ecdsa needed for SignEcdsa; capabilities cannot be changed after creation/)(e);
    assert.deepEqual((e as HsmPermissionError).missing, [{ kind: 'capability', object: { type: 3, id: 0x100 }, role: 'key', missing: ['sign-ecdsa'] }]);
    return true;
  });
});

test('rule 2 for HMAC, AES, OTP and data-wrap keys', async (t) => {
  const { rig, admin } = await setup(t);
  await HmacKey.generate(admin, { id: 0x200, domains: 1, capabilities: 'verify-hmac', algorithm: 'hmac-sha256' });
  await SymmetricKey.generate(admin, { id: 0x201, domains: 1, capabilities: 'decrypt-cbc', algorithm: 'aes128' });
  await OtpAeadKey.generate(admin, { id: 0x202, domains: 1, capabilities: 'decrypt-otp', algorithm: 'aes128-yubico-otp', nonceId: 1 });
  await WrapKey.generate(admin, { id: 0x203, domains: 1, capabilities: 'unwrap-data', delegatedCapabilities: 0n, algorithm: 'aes256-ccm-wrap' });
  const s = await restricted(rig, admin, { caps: 'sign-hmac,encrypt-cbc,create-otp-aead,wrap-data' });
  await assert.rejects(HmacKey.from(s, 0x200).sign(Uint8Array.of(1)), refused(/HMAC key hmac-key 0x0200 lacks capability sign-hmac needed for SignHmac/));
  await assert.rejects(SymmetricKey.from(s, 0x201).encryptCbc(new Uint8Array(16), new Uint8Array(16)),
    refused(/symmetric key symmetric-key 0x0201 lacks capability encrypt-cbc needed for EncryptCbc/));
  await assert.rejects(OtpAeadKey.from(s, 0x202).createAead(new Uint8Array(16), new Uint8Array(6)),
    refused(/OTP AEAD key otp-aead-key 0x0202 lacks capability create-otp-aead needed for CreateOtpAead/));
  // Firmware 2.4 answers INVALID_DATA here (PROTOCOL.md 1.3); the client still names the missing capability.
  await assert.rejects(WrapKey.from(s, 0x203).wrapData(Uint8Array.of(1)), {
    code: 'HSM_INVALID_DATA',
    message: /^WrapData failed with INVALID_DATA, which firmware before 2\.5 answers for a missing capability: wrap key wrap-key 0x0203 lacks capability wrap-data/,
  });
});

test('rule 3, create: session capability, delegated capabilities, domains, delegated set of new keys', async (t) => {
  const { rig, admin } = await setup(t);
  const gen = (s: HsmSession, caps: string, domains = '1') =>
    AsymmetricKey.generate(s, { id: 0x300, domains, capabilities: caps, algorithm: 'ecp256' });
  const noGen = await restricted(rig, admin, { caps: 'sign-ecdsa', delegated: 'sign-ecdsa' });
  await assert.rejects(gen(noGen, 'sign-ecdsa'), refused(/auth key 0x0010 lacks capability generate-asymmetric-key needed for GenerateAsymmetricKey/));
  const s = await restricted(rig, admin, { caps: 'generate-asymmetric-key,put-wrap-key', delegated: 'sign-ecdsa', domains: '1' });
  await assert.rejects(gen(s, 'sign-ecdsa,exportable-under-wrap'),
    refused(/auth key 0x0011 cannot grant exportable-under-wrap to the new object \(not in its delegated capabilities\)/));
  await assert.rejects(gen(s, 'sign-ecdsa', '1,2'), refused(/auth key 0x0011 is not in domain 2 requested for the new object/));
  await assert.rejects(
    WrapKey.put(s, { id: 0x301, domains: 1, capabilities: 'sign-ecdsa', delegatedCapabilities: 'sign-ecdsa,sign-pss', algorithm: 'aes128-ccm-wrap', key: randomBytes(16) }),
    refused(/auth key 0x0011 cannot grant sign-pss to the new object/),
  );
  assert.equal((await gen(s, 'sign-ecdsa')).id, 0x300, 'within its limits the same key may create');
});

test('rule 4, reads: session capability only', async (t) => {
  const { rig, admin } = await setup(t);
  await Opaque.put(admin, { id: 0x400, domains: 1, capabilities: 0n, data: Uint8Array.of(1) });
  await Template.put(admin, { id: 0x401, domains: 1, capabilities: 0n, data: Uint8Array.of(1) });
  const s = await restricted(rig, admin, { caps: 'sign-ecdsa' });
  await assert.rejects(Opaque.from(s, 0x400).get(), refused(/auth key 0x0010 lacks capability get-opaque needed for GetOpaque/));
  await assert.rejects(Template.from(s, 0x401).get(), refused(/lacks capability get-template needed for GetTemplate/));
  await assert.rejects(s.getPseudoRandom(8), refused(/lacks capability get-pseudo-random needed for GetPseudoRandom/));
  await assert.rejects(s.getOption(0x01), refused(/lacks capability get-option needed for GetOption/));
  await assert.rejects(s.setOption({ option: 0x01, forceAudit: 1 }), refused(/lacks capability set-option needed for SetOption/));
  await assert.rejects(s.getLogEntries(), refused(/lacks capability get-log-entries needed for GetLogEntries/));
  await assert.rejects(s.setLogIndex(1), refused(/lacks capability get-log-entries needed for SetLogIndex/));
  await assert.rejects(s.resetDevice(), refused(/lacks capability reset-device needed for ResetDevice/));
  assert.equal(s.status, 'open');
});

test('rule 5, delete: the type-specific delete capability', async (t) => {
  const { rig, admin } = await setup(t);
  await AsymmetricKey.generate(admin, { id: 0x500, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  await Opaque.put(admin, { id: 0x500, domains: 1, capabilities: 0n, data: Uint8Array.of(1) });
  const s = await restricted(rig, admin, { caps: 'delete-opaque' });
  await assert.rejects(AsymmetricKey.from(s, 0x500).delete(), refused(/auth key 0x0010 lacks capability delete-asymmetric-key needed for DeleteObject/));
  await Opaque.from(s, 0x500).delete();
});

test('rule 6, export: session and wrap key export-wrapped, exportable target, capabilities within the delegated set', async (t) => {
  const { rig, admin } = await setup(t);
  const ossl = new OpenSsl();
  t.after(() => ossl.cleanup());
  ossl.run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'w.pem');
  ossl.run('pkey', '-in', 'w.pem', '-pubout', '-out', 'w.pub');
  const pem = new TextDecoder().decode(ossl.read('w.pub'));
  // The guide's wrap key: delegated exportable-under-wrap,sign-ecdsa,encrypt-cbc,decrypt-cbc.
  const kms = await PublicWrapKey.put(admin, { id: 0x101, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa,encrypt-cbc,decrypt-cbc', publicKey: pem });
  const noCapWrap = await PublicWrapKey.put(admin, { id: 0x102, domains: 1, capabilities: 0n, delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa', publicKey: pem });
  const exportable = await AsymmetricKey.generate(admin, { id: 0x100, domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256' });
  const fixed = await AsymmetricKey.generate(admin, { id: 0x103, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const tooMuch = await AsymmetricKey.generate(admin, { id: 0x104, domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa,derive-ecdh', algorithm: 'ecp256' });

  await assert.rejects(exportable.getRsaWrappedKey(noCapWrap), refused(/public wrap key public-wrap-key 0x0102 lacks capability export-wrapped needed for GetRsaWrappedKey/));
  await assert.rejects(fixed.getRsaWrappedKey(kms), refused(/exported object asymmetric-key 0x0103 lacks exportable-under-wrap, so no wrap key can export it/));
  await assert.rejects(tooMuch.getRsaWrappedKey(kms), (e: unknown) => {
    refused(/public wrap key public-wrap-key 0x0101 does not delegate derive-ecdh, which the exported asymmetric-key 0x0104 holds/)(e);
    assert.deepEqual((e as HsmPermissionError).missing.map((m) => m.kind), ['delegated']);
    return true;
  });
  await assert.rejects(tooMuch.exportRsaWrapped(kms), refused(/does not delegate derive-ecdh/));
  const s = await restricted(rig, admin, { caps: 'sign-ecdsa' });
  await assert.rejects(AsymmetricKey.from(s, 0x100).getRsaWrappedKey(PublicWrapKey.from(s, 0x101)),
    refused(/auth key 0x0010 lacks capability export-wrapped needed for GetRsaWrappedKey/));
  assert.ok((await exportable.getRsaWrappedKey(kms)).length > 256);

  const aes = await WrapKey.generate(admin, { id: 0x110, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'exportable-under-wrap', algorithm: 'aes256-ccm-wrap' });
  await assert.rejects(exportable.exportWrapped(aes), refused(/wrap key wrap-key 0x0110 does not delegate sign-ecdsa, which the exported asymmetric-key 0x0100 holds/));
});

test('rule 7, import: session and wrap key import-wrapped, capabilities within the delegated set, domains, free id', async (t) => {
  const { rig, admin } = await setup(t);
  const ossl = new OpenSsl();
  t.after(() => ossl.cleanup());
  ossl.run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'w.pem');
  ossl.run('pkcs8', '-topk8', '-nocrypt', '-in', 'w.pem', '-outform', 'DER', '-out', 'w.p8');
  ossl.run('pkey', '-in', 'w.pem', '-pubout', '-out', 'w.pub');
  const rsa = await WrapKey.put(admin, { id: 0x700, domains: 1, capabilities: 'import-wrapped', delegatedCapabilities: 'sign-ecdsa', pkcs8: ossl.read('w.p8') });
  const noCap = await WrapKey.put(admin, { id: 0x701, domains: 1, capabilities: 0n, delegatedCapabilities: 'sign-ecdsa', pkcs8: ossl.read('w.p8') });
  const pub = await PublicWrapKey.put(admin, { id: 0x700, domains: 1, capabilities: 'export-wrapped', delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa', publicKey: new TextDecoder().decode(ossl.read('w.pub')) });
  const key = await AsymmetricKey.generate(admin, { id: 0x710, domains: 1, capabilities: 'exportable-under-wrap,sign-ecdsa', algorithm: 'ecp256' });
  const material = await key.getRsaWrappedKey(pub);
  const meta = { id: 0x711, domains: 1, algorithm: 'ecp256' } as const;

  await assert.rejects(rsa.putRsaWrappedKey(material, { ...meta, capabilities: 'sign-ecdsa,derive-ecdh' }),
    refused(/wrap key wrap-key 0x0700 does not delegate derive-ecdh requested for the imported object/));
  await assert.rejects(noCap.putRsaWrappedKey(material, { ...meta, capabilities: 'sign-ecdsa' }),
    refused(/wrap key wrap-key 0x0701 lacks capability import-wrapped needed for PutRsaWrappedKey/));
  const s = await restricted(rig, admin, { caps: 'sign-ecdsa', domains: '1' });
  await assert.rejects(WrapKey.from(s, 0x700).putRsaWrappedKey(material, { ...meta, capabilities: 'sign-ecdsa' }),
    refused(/auth key 0x0010 lacks capability import-wrapped needed for PutRsaWrappedKey/));
  const s2 = await restricted(rig, admin, { caps: 'import-wrapped', domains: '1' });
  await assert.rejects(WrapKey.from(s2, 0x700).putRsaWrappedKey(material, { ...meta, domains: '1,2', capabilities: 'sign-ecdsa' }),
    refused(/auth key 0x0011 is not in domain 2 requested for the new object/));
  await assert.rejects(rsa.putRsaWrappedKey(material, { ...meta, id: 0x710, capabilities: 'sign-ecdsa' }), {
    code: 'HSM_OBJECT_EXISTS', message: /^PutRsaWrappedKey failed with OBJECT_EXISTS: an object with this type and id already exists/,
  });
  const whole = await key.exportRsaWrapped(pub);
  await key.delete();
  await assert.rejects(noCap.importRsaWrapped(whole), refused(/wrap key wrap-key 0x0701 lacks capability import-wrapped needed for ImportRsaWrapped/));
  const narrow = await WrapKey.put(admin, { id: 0x702, domains: 1, capabilities: 'import-wrapped', delegatedCapabilities: 'sign-ecdsa', pkcs8: ossl.read('w.p8') });
  await assert.rejects(narrow.importRsaWrapped(whole), refused(/the imported object's capabilities within the delegated capabilities of wrap key 0x0702/));
});

test('attestation, auth-key change and the device-wide capabilities', async (t) => {
  const { rig, admin } = await setup(t);
  await AsymmetricKey.generate(admin, { id: 0x800, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  await AsymmetricKey.generate(admin, { id: 0x801, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  const s = await restricted(rig, admin, { caps: 'sign-ecdsa' });
  await assert.rejects(AsymmetricKey.from(s, 0x800).attest(), refused(/auth key 0x0010 lacks capability sign-attestation-certificate needed for SignAttestationCertificate/));
  await assert.rejects(AsymmetricKey.from(admin, 0x800).attest(0x801),
    refused(/attesting key asymmetric-key 0x0801 lacks capability sign-attestation-certificate needed for SignAttestationCertificate/));
  await assert.rejects(AuthenticationKey.from(s, 0x10).changePassword('new'),
    refused(/auth key 0x0010 lacks capability change-authentication-key needed for ChangeAuthenticationKey/));
  await assert.rejects(
    AuthenticationKey.putDerived(s, { id: 0x20, domains: 1, capabilities: 0n, delegatedCapabilities: 0n, password: 'x' }),
    refused(/lacks capability put-authentication-key needed for PutAuthenticationKey/),
  );
});
