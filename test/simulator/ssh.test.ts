/**
 * SignSshCertificate (0x5D) against Yubico's own example (yubihsm-shell examples/ssh.c, run by its `ctest -R ssh`):
 * the frames the example sends, replayed as hex, and the exact answer it asserts. Then the template's refusals
 * (capability, template, allowlist, timestamp signature, validity window, blocked principals) with requests built
 * here and timestamps signed by a key made here; certificate signatures are checked with openssl and ssh-keygen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, createHash, constants, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilities as caps } from '../../src/protocol/capabilities.js';
import { commands } from '../../src/protocol/commands/index.js';
import { DeviceErrorCode as E } from '../../src/protocol/device-errors.js';
import { hex, limitedSession, newDevice, openSession, openssl, unhex, withTempDir, type TestSession } from './helpers.js';
import { ANSWER, CA_P_Q, REQUEST, TEMPLATE } from './ssh-example.js';

// ---- Yubico's example (yubihsm-shell examples/ssh.c), constants in ssh-example.ts ----

/** Sends one inner frame (code ‖ length ‖ payload) given as hex; returns the inner answer as hex. */
async function exchange(s: TestSession, code: string, payloadHex: string): Promise<string> {
  const length = (payloadHex.length / 2).toString(16).padStart(4, '0');
  return hex(await s.raw(unhex(code + length + payloadHex)));
}

const label = (text: string): string => hex(new TextEncoder().encode(text)).padEnd(80, '0');
const SIGN_SSH = '0000000002000000';

/** The example's setup: CA key 5 and template 10, both in domain 5 with sign-ssh-certificate, as the shell sends them. */
async function exampleDevice(): Promise<TestSession> {
  const s = await openSession(newDevice());
  // yh_util_import_rsa_key(id 5, "label", domain 5, sign-ssh-certificate, rsa2048, p, q)
  assert.equal(await exchange(s, '45', '0005' + label('label') + '0010' + SIGN_SSH + '09' + CA_P_Q), 'c500020005');
  // yh_util_import_template(id 10, "label", domain 5, sign-ssh-certificate, template-ssh, template_dat)
  assert.equal(await exchange(s, '5e', '000a' + label('label') + '0010' + SIGN_SSH + '24' + TEMPLATE), 'de0002000a');
  return s;
}

test('Yubico examples/ssh.c: template read back, then the exact certificate signature the example asserts', async () => {
  const s = await exampleDevice();
  assert.equal(await exchange(s, '5f', '000a'), 'df012f' + TEMPLATE);
  // yh_util_sign_ssh_certificate(key 5, template 10, rsa-pkcs1-sha1, ssh_req.dat)
  assert.equal(await exchange(s, '5d', '0005' + '000a' + '01' + REQUEST), 'dd0113' + ANSWER);
});

test('the example\'s certificate (request after its 260-byte timestamp part, then the answer) verifies with ssh-keygen and openssl', async (t) => {
  const s = await exampleDevice();
  const answer = unhex((await exchange(s, '5d', '0005000a01' + REQUEST)).slice(6));
  const body = unhex(REQUEST).subarray(260);
  await withTempDir(async (dir) => {
    // openssl: RSASSA-PKCS1-v1_5 SHA-1 over the certificate body with the CA public key (n from GetPublicKey).
    writeSignatureFiles(dir, await caPublicPem(s, 5), body, sshSignatureOf(answer, 'ssh-rsa'));
    assert.match(openssl(['dgst', '-sha1', '-verify', join(dir, 'ca.pem'), '-signature', join(dir, 'sig'), join(dir, 'body')]).toString(), /Verified OK/);
    if (!hasSshKeygen()) return t.skip('ssh-keygen not installed');
    const text = sshKeygenList(dir, body, answer);
    assert.match(text, /Type: ssh-rsa-cert-v01@openssh.com user certificate/);
    assert.match(text, /\(using ssh-rsa\)/);
    assert.match(text, /Key ID: "identity"/);
    assert.match(text, /Valid: forever/);
    assert.match(text, /Principals: \n\s+user1\n\s+user2\n/);
  });
});

test('refusals on the example: capabilities, visibility, the template object, the key type and the algorithm byte', async () => {
  const s = await exampleDevice();
  const sign = (key: string, template: string, alg: string, request = REQUEST) => exchange(s, '5d', key + template + alg + request);
  const err = (code: number) => '7f0001' + code.toString(16).padStart(2, '0');
  // Key 0x3a is in the allowlist but lacks the capability; key 0x14 (also allowed) is EC.
  assert.equal(await exchange(s, '45', '003a' + label('no cap') + '0010' + '0000000000000020' + '09' + CA_P_Q), 'c50002003a');
  assert.equal(await sign('003a', '000a', '01'), err(E.INSUFFICIENT_PERMISSIONS));
  await s.send(commands.generateAsymmetricKey, { id: 0x14, label: 'ec', domains: 0x10, capabilities: caps('sign-ssh-certificate'), algorithm: 12 });
  assert.equal(await sign('0014', '000a', '01'), err(E.INVALID_DATA), 'an EC CA key');
  assert.equal(await sign('0007', '000a', '01'), err(E.OBJECT_NOT_FOUND), 'no key 7');
  assert.equal(await sign('0005', '000b', '01'), err(E.OBJECT_NOT_FOUND), 'no template 11');
  assert.equal(await sign('0005', '000a', '03'), err(E.INVALID_DATA), 'rsa-pkcs1-sha384 has no SSH signature name');
  assert.equal(await sign('0005', '000a', '05'), err(E.INVALID_DATA), 'rsa-pss-sha1');
  assert.equal(await sign('0005', '000a', '2b'), err(E.INVALID_DATA), 'ecdsa-sha256');
  assert.equal(await sign('0005', '000a', '01', REQUEST.slice(0, 2 * 260)), err(E.WRONG_LENGTH), 'no certificate after the timestamp signature');

  // A session without the capability; a session that sees the key (domain 1) but not the template (domain 5).
  const noCap = await limitedSession(s, 0x30, { domains: 0x10, capabilities: caps('sign-pkcs') });
  assert.equal(await exchange(noCap, '5d', '0005000a01' + REQUEST), err(E.INSUFFICIENT_PERMISSIONS));
  await s.send(commands.deleteObject, { id: 5, type: 3 });
  assert.equal(await exchange(s, '45', '0005' + label('label') + '0011' + SIGN_SSH + '09' + CA_P_Q), 'c500020005');
  const domain1 = await limitedSession(s, 0x31, { domains: 0x01, capabilities: caps('sign-ssh-certificate') });
  assert.equal(await exchange(domain1, '5d', '0005000a01' + REQUEST), err(E.OBJECT_NOT_FOUND), 'the template is outside the session\'s domains');
  assert.equal(await exchange(s, '5d', '0005000a01' + REQUEST), 'dd0113' + ANSWER, 'the session that sees both still signs');

  // A template that is not a well-formed SSH template.
  const broken = TEMPLATE.slice(0, -2);
  await s.send(commands.putTemplate, { id: 0x0b, label: 'broken', domains: 0x10, capabilities: 0n, algorithm: 36, data: unhex(broken) });
  assert.equal(await sign('0005', '000b', '01'), err(E.INVALID_DATA), 'truncated principals tag');
});

test('the example\'s timestamp signature binds the timestamp and the request; the allowlist binds the key id', async () => {
  const s = await exampleDevice();
  const violation = '7f00010e';
  const flip = (hexText: string, byte: number) => hexText.slice(0, 2 * byte) + (parseInt(hexText.slice(2 * byte, 2 * byte + 2), 16) ^ 1).toString(16).padStart(2, '0') + hexText.slice(2 * byte + 2);
  assert.equal(await exchange(s, '5d', '0005000a01' + flip(REQUEST, 3)), violation, 'timestamp changed');
  assert.equal(await exchange(s, '5d', '0005000a01' + flip(REQUEST, 100)), violation, 'timestamp signature changed');
  assert.equal(await exchange(s, '5d', '0005000a01' + flip(REQUEST, 700)), violation, 'certificate request changed');
  // The same key material at id 6, which the template does not list.
  assert.equal(await exchange(s, '45', '0006' + label('label') + '0010' + SIGN_SSH + '09' + CA_P_Q), 'c500020006');
  assert.equal(await exchange(s, '5d', '0006000a01' + REQUEST), violation);
});

// ---- Requests built here, timestamps signed with a key made here ----

const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(v); return b; };
const str = (...parts: Uint8Array[]) => Buffer.concat([u32(parts.reduce((n, p) => n + p.length, 0)), ...parts]);
const utf8 = (t: string) => Buffer.from(t, 'utf8');

/** An OpenSSH user certificate body (PROTOCOL.certkeys) for the user key of the example, signed by RSA key `caN`. */
function certificateBody(o: { principals: string[]; validAfter: bigint; validBefore: bigint; caN: Uint8Array }): Buffer {
  const userN = unhex(REQUEST).subarray(260 + 0x4f, 260 + 0x4f + 257); // mpint n (00 ‖ 256 bytes) of the example's user key
  return Buffer.concat([
    str(utf8('ssh-rsa-cert-v01@openssh.com')), str(Buffer.alloc(32, 7)), str(Buffer.from([1, 0, 1])), str(userN),
    u64(42n), u32(1), str(utf8('built here')), str(...o.principals.map((p) => str(utf8(p)))),
    u64(o.validAfter), u64(o.validBefore), str(), str(str(utf8('permit-pty')), str()), str(),
    str(str(utf8('ssh-rsa')), str(Buffer.from([1, 0, 1])), str(Buffer.from([0]), o.caN)),
  ]);
}

/** timestamp ‖ RSASSA-PKCS1-v1_5-SHA256(SHA-256(body) ‖ timestamp) ‖ body, as yubihsm-ssh-tool makes requests. */
function request(tsKey: KeyObject, now: number, body: Buffer): string {
  const signed = Buffer.concat([createHash('sha256').update(body).digest(), u32(now)]);
  return hex(Buffer.concat([u32(now), nodeSign('sha256', signed, { key: tsKey, padding: constants.RSA_PKCS1_PADDING }), body]));
}

/** An SSH template (tags 1-6) for `tsN`, allowing `keyIds`. */
function template(tsN: Buffer, keyIds: number[], notBefore: number, notAfter: number, blocked: string[]): Uint8Array {
  const tlv = (tag: number, v: Buffer) => Buffer.concat([Buffer.from([tag, v.length >> 8, v.length & 0xff]), v]);
  const alg = tsN.length === 256 ? 9 : tsN.length === 384 ? 10 : 11;
  return Buffer.concat([
    tlv(1, Buffer.from([alg])), tlv(2, tsN), tlv(3, Buffer.concat(keyIds.map((id) => Buffer.from([id >> 8, id & 0xff])))),
    tlv(4, u32(notBefore)), tlv(5, u32(notAfter)), tlv(6, Buffer.concat(blocked.map((p) => Buffer.concat([utf8(p), Buffer.from([0])])))),
  ]);
}

function timestampKey(bits: number): { key: KeyObject; n: Buffer } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  return { key: privateKey, n: Buffer.from(privateKey.export({ format: 'jwk' }).n as string, 'base64url') };
}

async function caPublicPem(s: TestSession, id: number): Promise<string> {
  const { publicKey } = await s.send(commands.getPublicKey, { keyId: id });
  const spki = unhex('30820122300d06092a864886f70d01010105000382010f003082010a0282010100' + hex(publicKey) + '0203010001');
  return `-----BEGIN PUBLIC KEY-----\n${Buffer.from(spki).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----\n`;
}

/** The signature bytes inside an answer string(string(name) ‖ string(signature)), checking the framing and name. */
function sshSignatureOf(answer: Uint8Array, name: string): Uint8Array {
  const b = Buffer.from(answer);
  assert.equal(b.readUInt32BE(0), b.length - 4, 'outer SSH string length');
  assert.equal(b.readUInt32BE(4), name.length);
  assert.equal(b.subarray(8, 8 + name.length).toString(), name);
  assert.equal(b.readUInt32BE(8 + name.length), 256);
  assert.equal(b.length, 8 + name.length + 4 + 256);
  return b.subarray(12 + name.length);
}

function writeSignatureFiles(dir: string, pem: string, body: Uint8Array, sig: Uint8Array): void {
  writeFileSync(join(dir, 'ca.pem'), pem);
  writeFileSync(join(dir, 'body'), body);
  writeFileSync(join(dir, 'sig'), sig);
}

function hasSshKeygen(): boolean {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (e) {
    return (e as { status?: number }).status !== undefined && (e as { code?: string }).code !== 'ENOENT';
  }
  return true;
}

/** `ssh-keygen -L` of the certificate body ‖ answer (it verifies the CA signature while parsing). */
function sshKeygenList(dir: string, body: Uint8Array, answer: Uint8Array): string {
  const file = join(dir, 'id-cert.pub');
  writeFileSync(file, `ssh-rsa-cert-v01@openssh.com ${Buffer.concat([body, answer]).toString('base64')}\n`);
  return execFileSync('ssh-keygen', ['-L', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

const NOW = 1_800_000_000;

async function builtDevice(ts: { n: Buffer }, notBefore = 300, notAfter = 36000): Promise<{ s: TestSession; caN: Uint8Array }> {
  const s = await openSession(newDevice());
  await s.send(commands.putAsymmetricKey, { id: 0x10, label: 'ssh ca', domains: 1, capabilities: caps('sign-ssh-certificate'), algorithm: 9, key: unhex(CA_P_Q) });
  await s.send(commands.putTemplate, {
    id: 0x20, label: 'ssh template', domains: 1, capabilities: 0n, algorithm: 36, data: template(ts.n, [0x0a, 0x10], notBefore, notAfter, ['root', 'toor']),
  });
  const { publicKey } = await s.send(commands.getPublicKey, { keyId: 0x10 });
  return { s, caN: publicKey };
}

test('validity window: the certificate must overlap [now - not-before offset, now + not-after offset]', async () => {
  const ts = timestampKey(2048);
  const { s, caN } = await builtDevice(ts);
  const at = (validAfter: bigint, validBefore: bigint) =>
    exchange(s, '5d', '0010002001' + request(ts.key, NOW, certificateBody({ principals: ['alice'], validAfter, validBefore, caN })));
  const T = BigInt(NOW);
  assert.match(await at(T - 3600n, T + 3600n), /^dd0113/, 'the yubihsm-ssh-tool case: -1h:+1h');
  assert.match(await at(T - 400n, T - 300n), /^dd0113/, 'ends exactly at now - 300');
  assert.equal(await at(T - 400n, T - 301n), '7f00010e', 'ended more than 300 s before now');
  assert.match(await at(T + 36000n, T + 90000n), /^dd0113/, 'starts exactly at now + 36000');
  assert.equal(await at(T + 36001n, T + 90000n), '7f00010e', 'starts more than 36000 s after now');
  assert.match(await at(0n, 0xffffffffffffffffn), /^dd0113/, 'from the epoch to forever overlaps every window (as in Yubico\'s example)');
  // The timestamp is the device's only clock: the same certificate passes or fails with it.
  const body = certificateBody({ principals: ['alice'], validAfter: T - 3600n, validBefore: T + 3600n, caN });
  assert.equal(await exchange(s, '5d', '0010002001' + request(ts.key, NOW + 3600 + 301, body)), '7f00010e');
  assert.match(await exchange(s, '5d', '0010002001' + request(ts.key, NOW + 3600 + 300, body)), /^dd0113/);
});

test('blocked principals refuse by exact name; keys outside the allowlist and other timestamp keys refuse', async () => {
  const ts = timestampKey(2048);
  const { s, caN } = await builtDevice(ts);
  const T = BigInt(NOW);
  const named = (principals: string[], key = '0010', tsKey = ts.key) =>
    exchange(s, '5d', key + '002001' + request(tsKey, NOW, certificateBody({ principals, validAfter: T, validBefore: T + 60n, caN })));
  assert.equal(await named(['alice', 'root']), '7f00010e');
  assert.equal(await named(['toor']), '7f00010e');
  assert.match(await named(['roo', 'rooty', 'Root']), /^dd0113/);
  assert.match(await named([]), /^dd0113/, 'an empty principal list (valid for anyone in OpenSSH) is not checked, as the guide describes');
  await s.send(commands.putAsymmetricKey, { id: 0x11, label: 'other', domains: 1, capabilities: caps('sign-ssh-certificate'), algorithm: 9, key: unhex(CA_P_Q) });
  assert.equal(await named(['alice'], '0011'), '7f00010e', 'key 0x11 is not in the allowlist');
  assert.equal(await named(['alice'], '0010', timestampKey(2048).key), '7f00010e', 'timestamp signed by another key');
  // A malformed certificate request (signature key cut short) under a valid timestamp signature.
  const body = certificateBody({ principals: ['alice'], validAfter: T, validBefore: T + 60n, caN });
  assert.equal(await exchange(s, '5d', '0010002001' + request(ts.key, NOW, body.subarray(0, body.length - 1))), '7f000102');
  assert.equal(await exchange(s, '5d', '0010002001' + request(ts.key, NOW, Buffer.concat([body, Buffer.from([0])]))), '7f000102');
});

test('rsa-pkcs1-sha256 and -sha512 answer rsa-sha2-256 / rsa-sha2-512 signatures (openssl, ssh-keygen); RSA-3072 timestamp keys sign 384 bytes', async (t) => {
  const ts = timestampKey(3072);
  const { s, caN } = await builtDevice(ts);
  const T = BigInt(NOW);
  const body = certificateBody({ principals: ['alice', 'bob'], validAfter: T - 60n, validBefore: T + 3600n, caN });
  const req = request(ts.key, NOW, body);
  assert.equal(req.length / 2, 4 + 384 + body.length);
  await withTempDir(async (dir) => {
    const pem = await caPublicPem(s, 0x10);
    for (const [alg, name, hash] of [['02', 'rsa-sha2-256', 'sha256'], ['04', 'rsa-sha2-512', 'sha512']] as const) {
      const answer = unhex((await exchange(s, '5d', '00100020' + alg + req)).slice(6));
      writeSignatureFiles(dir, pem, body, sshSignatureOf(answer, name));
      assert.match(openssl(['dgst', `-${hash}`, '-verify', join(dir, 'ca.pem'), '-signature', join(dir, 'sig'), join(dir, 'body')]).toString(), /Verified OK/);
      if (!hasSshKeygen()) {
        t.diagnostic('ssh-keygen not installed: certificate parsing skipped');
        continue;
      }
      const text = sshKeygenList(dir, body, answer);
      assert.match(text, new RegExp(`\\(using ${name}\\)`));
      assert.match(text, /Principals: \n\s+alice\n\s+bob\n/);
    }
  });
});
