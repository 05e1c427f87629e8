import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { applyConfig, defaultConfig, validateConfig } from '../../src/ceremony/config.js';
import { makePlan, STEP_NAMES } from '../../src/ceremony/plan.js';

function fromYaml(text: string) {
  return applyConfig(defaultConfig(), parseYaml(text));
}

test('defaults follow the seed guide', () => {
  const c = defaultConfig();
  assert.equal(c.key.id, 0x100);
  assert.equal(c.key.keySpec, 'ECC_NIST_P256');
  assert.equal(c.wrapKey.id, 0x101);
  assert.equal(c.kms.alias, 'alias/key0x100');
  assert.equal(c.kms.wrappingKeySpec, 'RSA_4096');
  assert.equal(c.kms.wrappingAlgorithm, 'RSA_AES_KEY_WRAP_SHA_256');
  assert.equal(c.message, 'Message signed by AWS KMS\n');
  assert.equal(Buffer.from(c.message).toString('base64'), 'TWVzc2FnZSBzaWduZWQgYnkgQVdTIEtNUwo=');
});

test('a full ceremony file is read', () => {
  const c = fromYaml(`
version: 1
hsm: { connector: "http://127.0.0.1:12345", authKeyId: 2 }
key: { id: 0x200, label: "Signer", domains: "1,2", keySpec: ECC_NIST_P384 }
wrapKey: { id: 0x201 }
kms:
  target: aws
  region: eu-west-1
  alias: signer
  tags: { team: security }
  administrators: [ "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole" ]
  users: [ "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole" ]
  expiration: { model: KEY_MATERIAL_EXPIRES, validTo: "2027-01-01T00:00:00Z" }
`);
  assert.deepEqual(c.hsm.target, { kind: 'connector', url: 'http://127.0.0.1:12345' });
  assert.equal(c.hsm.authKeyId, 2);
  assert.equal(c.key.id, 0x200);
  assert.equal(c.key.domains, 0b11);
  assert.equal(c.key.keySpec, 'ECC_NIST_P384');
  assert.deepEqual(c.kms.target, { kind: 'aws', region: 'eu-west-1' });
  assert.equal(c.kms.alias, 'alias/signer');
  assert.deepEqual(c.kms.expiration, { model: 'KEY_MATERIAL_EXPIRES', validTo: '2027-01-01T00:00:00.000Z' });
});

test('bad ceremony files get one-line errors naming the field', () => {
  const cases: Array<[string, RegExp]> = [
    ['key: { keySpec: ECC_NIST_P999 }', /^key\.keySpec: Unknown key spec "ECC_NIST_P999"; use one of /],
    ['key: { idd: 3 }', /^key\.idd: unknown setting; known settings here: id, label/],
    ['hsm: { password: hunter2 }', /^hsm\.password: passwords never go in a ceremony file/],
    ['kms: { wrappingAlgorithm: RSAES_OAEP_SHA_256 }', /^kms\.wrappingAlgorithm: Cannot use RSAES_OAEP_SHA_256 here/],
    ['key: { keySpec: RSA_2048 }\nkms: { wrappingAlgorithm: RSAES_OAEP_SHA_1 }', /does not fit in RSAES_OAEP_SHA_1/],
    ['kms: { expiration: { model: KEY_MATERIAL_EXPIRES } }', /^kms\.expiration\.validTo: KEY_MATERIAL_EXPIRES needs a validTo date/],
    ['kms: { alias: "alias/aws/x" }', /^kms\.alias: "alias\/aws\/x" is not a valid alias/],
    ['kms: { users: [ "bob" ] }', /^kms\.users: "bob" is not an IAM principal ARN/],
    ['key: { keySpec: ECC_NIST_P256, usage: ENCRYPT_DECRYPT }', /^key\.usage: ECC_NIST_P256 keys can be SIGN_VERIFY, not ENCRYPT_DECRYPT/],
    ['version: 7', /^version: this hsm2kms reads ceremony files of version 1, not 7/],
    ['- just a list', /^ceremony file: expected a mapping/],
    ['key: { id: 0 }', /^key\.id: Key id "0" is not valid/],
  ];
  for (const [yaml, re] of cases) {
    assert.throws(() => fromYaml(yaml), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'BAD_CEREMONY_CONFIG', yaml);
      assert.match(e.message, re, yaml);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });
  }
});

test('the plan lists every step with exact parameters', () => {
  const plan = makePlan(defaultConfig());
  assert.deepEqual(plan.steps.map((s) => s.name), [...STEP_NAMES]);
  assert.equal(plan.simulated, true);
  const gen = plan.steps.find((s) => s.name === 'hsm-generate-key')!;
  assert.equal(gen.details[0], 'generate asymmetric 0x0100 "YubiHSM Signing Key" domains 1 capabilities sign-ecdsa,exportable-under-wrap ecp256');
  const wrap = plan.steps.find((s) => s.name === 'hsm-put-wrap-key')!;
  assert.match(wrap.details[0], /capabilities export-wrapped delegated sign-ecdsa,exportable-under-wrap$/);
});

test('simulator keys never go to a non-local KMS unless asked for explicitly', async () => {
  const { checkTargetsSafe, kmsIsLocal } = await import('../../src/ceremony/runner.js');
  const c = defaultConfig();
  assert.equal(kmsIsLocal({ kind: 'embedded' }), true);
  assert.equal(kmsIsLocal({ kind: 'endpoint', url: 'http://127.0.0.1:4599' }), true);
  assert.equal(kmsIsLocal({ kind: 'endpoint', url: 'http://[::1]:4599' }), true);
  assert.equal(kmsIsLocal({ kind: 'endpoint', url: 'http://localhost:4599' }), true);
  assert.equal(kmsIsLocal({ kind: 'endpoint', url: 'https://kms.eu-west-1.amazonaws.com' }), false);
  // Other spellings of this machine (a real HSM's key must not reach a local KMS through them).
  for (const url of ['http://0.0.0.0:4599', 'http://[::]:4599', 'http://localhost.:4599', 'http://kms.localhost:4599', 'http://[::ffff:127.0.0.1]:4599', 'http://127.1:4599']) {
    assert.equal(kmsIsLocal({ kind: 'endpoint', url }), true, url);
  }
  for (const url of ['http://[::ffff:10.0.0.1]:4599', 'http://localhost.example.com:4599', 'http://10.0.0.127:4599']) {
    assert.equal(kmsIsLocal({ kind: 'endpoint', url }), false, url);
  }
  assert.equal(kmsIsLocal({ kind: 'aws' }), false);
  c.kms.target = { kind: 'aws', region: 'eu-west-1' };
  assert.throws(() => checkTargetsSafe(c, false), (e: Error & { code?: string; preflight?: boolean }) => {
    assert.equal(e.code, 'SIMULATED_HSM_TO_REAL_KMS');
    assert.equal(e.preflight, true);
    assert.match(e.message, /^Refusing to import a key from the embedded software HSM \(a simulator; its keys sit in a plain file\) into AWS KMS in eu-west-1; name a real YubiHSM with --connector or --usb, or pass --allow-simulated-hsm/);
    return true;
  });
  checkTargetsSafe(c, true);
  c.hsm.target = { kind: 'connector', url: 'http://127.0.0.1:12345' };
  checkTargetsSafe(c, false);
});

test('validateConfig checks a library config object as the parsers check flags and files', () => {
  const bad = (f: (c: ReturnType<typeof defaultConfig>) => void, message: RegExp) => {
    const c = defaultConfig();
    f(c);
    assert.throws(() => validateConfig(c), { code: 'BAD_CEREMONY_CONFIG', message });
  };
  bad((c) => (c.key.id = 0), /^key\.id: Key id "0" is not valid; use a number from 1 to 0xfffe/);
  bad((c) => (c.key.id = 0x10000), /^key\.id: /);
  bad((c) => (c.wrapKey.id = 1.5), /^wrapKey\.id: /);
  bad((c) => (c.hsm.authKeyId = 0), /^hsm\.authKeyId: /);
  bad((c) => ((c.key as { keySpec: string }).keySpec = 'ECC_NIST_P999'), /^key\.keySpec: Unknown key spec "ECC_NIST_P999"; use one of ECC_NIST_P256, /);
  assert.doesNotThrow(() => validateConfig(defaultConfig()));
});
