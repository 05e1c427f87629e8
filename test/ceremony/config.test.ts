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

test('ceremony file values of the wrong type, null and empty items are refused, naming the field', () => {
  const cases: Array<[string, string]> = [
    ['key: { label: 0x10 }', 'key.label: must be text, got the number 16; quote it.'],
    ['wrapKey: { label: true }', 'wrapKey.label: must be text, got true; quote it.'],
    ['kms: { alias: 5 }', 'kms.alias: must be text, got the number 5; quote it.'],
    ['kms: { description: [ a ] }', 'kms.description: must be text, got a list.'],
    ['message: 7', 'message: must be text, got the number 7; quote it.'],
    ['outDir: 5', 'outDir: must be text, got the number 5; quote it.'],
    ['workDir: false', 'workDir: must be text, got false; quote it.'],
    ['outDir: ""', 'outDir: empty; give a path (. for the current directory).'],
    ['hsm: { connector: 12345 }', 'hsm.connector: must be text, got the number 12345; quote it.'],
    ['kms: { tags: { team: 5 } }', 'kms.tags.team: must be text, got the number 5; quote it.'],
    ['kms: { users: [ 111122223333 ] }', 'kms.users[0]: must be text, got the number 111122223333; quote it.'],
    ['version: "1"', 'version: expected the number 1, got the text "1".'],
    ['key: { id: null }', 'key.id: empty (null); remove the line or give a value.'],
    ['key:\n  id:\n', 'key.id: empty (null); remove the line or give a value.'],
    ['version: ~', 'version: empty (null); remove the line or give a value.'],
    ['kms:\n', 'kms: empty (null); remove the line or give a value.'],
    ['kms: { tags: { team: null } }', 'kms.tags.team: empty (null); remove the line or give a value ("" for an empty tag value).'],
    ['kms: { multiRegion: yes }', 'kms.multiRegion: expected true or false, got the text "yes".'],
    ['key: { domains: "1,,2" }', 'key.domains: "1,,2" has an empty item; give domains such as 1 or 1,2,5 (numbers 1 to 16), or "all".'],
    ['key: { domains: "1," }', 'key.domains: "1," has an empty item; give domains such as 1 or 1,2,5 (numbers 1 to 16), or "all".'],
    ['key: { domains: " " }', 'key.domains: empty; give domains such as 1 or 1,2,5 (numbers 1 to 16), or "all".'],
    ['kms: { users: "arn:aws:iam::111122223333:root,,x" }', 'kms.users: "arn:aws:iam::111122223333:root,,x" has an empty item; separate items with single commas or give a list.'],
    ['key: { "a\\nb": 1 }', 'key["a\\nb"]: unknown setting; known settings here: id, label, domains, keySpec, usage.'],
  ];
  for (const [yaml, message] of cases) {
    assert.throws(() => fromYaml(yaml), { code: 'BAD_CEREMONY_CONFIG', message }, yaml);
  }
  // What is still accepted: an id as text (flags are text), domains as a number or a list, an empty tag value.
  const c = fromYaml('key: { id: "0x200", domains: 3 }\nkms: { tags: { team: "" } }\n');
  assert.equal(c.key.id, 0x200);
  assert.equal(c.key.domains, 0b100);
  assert.deepEqual(c.kms.tags, { team: '' });
  assert.equal(fromYaml('key: { domains: "1, 2 ,5" }').key.domains, 0b10011);
});

test('KMS limits are checked before anything is done (message, tags, description), without echoing long values', () => {
  const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v']));
  const long = (ch: string, n: number) => ch.repeat(n);
  const cases: Array<[unknown, string]> = [
    [{ message: '' }, 'message: empty; KMS signs a message of 1 to 4096 bytes, so give one (--message, or message in a ceremony file).'],
    [{ message: long('é', 2049) }, 'message: 4098 bytes as UTF-8; KMS signs at most 4096 bytes, so shorten it.'],
    [{ kms: { tags: tags(50) } }, 'kms.tags: 50 tags; KMS allows 50 per key and the ceremony adds its own hsm2kms:ceremony-id tag, so give at most 49.'],
    [{ kms: { tags: { [long('k', 129)]: 'v' } } }, `kms.tags["${long('k', 20)}…"]: tag key of 129 characters; KMS allows at most 128, so shorten it.`],
    [{ kms: { tags: { '': 'v' } } }, 'kms.tags[""]: empty tag key; KMS tag keys are 1 to 128 characters.'],
    [{ kms: { tags: { team: long('v', 257) } } }, `kms.tags.team: tag value of 257 characters ("${long('v', 20)}…"); KMS allows at most 256, so shorten it.`],
    [{ kms: { tags: { 'AWS:team': 'x' } } }, 'kms.tags.AWS:team: tag keys beginning with aws: are reserved by AWS; choose another key.'],
    [{ kms: { tags: { 'hsm2kms:ceremony-id': 'x' } } }, 'kms.tags.hsm2kms:ceremony-id: the ceremony sets this tag itself (it finds its key by it after an interrupted run); remove it.'],
    [{ kms: { description: long('d', 8193) } }, `kms.description: 8193 characters ("${long('d', 20)}…"); KMS allows at most 8192, so shorten it.`],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => applyConfig(defaultConfig(), raw), { code: 'BAD_CEREMONY_CONFIG', message }, message);
  }
  // The limits themselves are accepted.
  const c = applyConfig(defaultConfig(), {
    message: long('m', 4096),
    kms: { tags: { ...tags(48), [long('k', 128)]: long('v', 256) }, description: long('d', 8192) },
  });
  assert.equal(Object.keys(c.kms.tags).length, 49);
  assert.doesNotThrow(() => applyConfig(defaultConfig(), { message: 'x', kms: { description: '' } }));
  // A library config object (not through the parsers) gets the same checks.
  const lib = defaultConfig();
  lib.kms.tags = tags(50);
  assert.throws(() => validateConfig(lib), { code: 'BAD_CEREMONY_CONFIG', message: /^kms\.tags: 50 tags; / });
  const lib2 = defaultConfig();
  (lib2 as { message: unknown }).message = 5;
  assert.throws(() => validateConfig(lib2), { code: 'BAD_CEREMONY_CONFIG', message: 'message: must be text, got the number 5.' });
});
