/**
 * Fuzz: 20,000+ mutated requests (bodies, members, headers, targets, signatures) over real HTTP, from a seeded
 * PRNG so failures reproduce. Every answer must be a valid success (200 with an empty body or a JSON object) or
 * AWS's error shape (400/413, `{"__type": "...Exception"[, "message": string]}`, matching `x-amzn-ErrorType`); never
 * a 500, a non-JSON body or a dropped connection. Afterwards the server still serves and signs.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateAliasCommand, CreateKeyCommand, SignCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import { DEFAULT_LOCAL_CREDENTIALS } from '../../../src/kms/server/index.js';
import { asymmetricMaterial, importMaterial, startTestKms, type TestKms } from './helpers.js';
import { Sha256, signHeaders } from './raw-client.js';

const REQUESTS = 20_000;
const CONCURRENCY = 16;
const SEED = Number(process.env.KMS_FUZZ_SEED ?? 0x5eed1234);

/** xorshift32: deterministic, seeded. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)],
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}

let t: TestKms;
const seeds: Array<{ target: string; body: Record<string, unknown> }> = [];

before(async () => {
  t = await startTestKms();
  const ec = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata as KeyMetadata;
  const sym = (await t.kms.send(new CreateKeyCommand({}))).KeyMetadata as KeyMetadata;
  const mac = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata as KeyMetadata;
  const ext = (await t.kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }))).KeyMetadata as KeyMetadata;
  await importMaterial(t.kms, ext.KeyId as string, asymmetricMaterial('ECC_NIST_P256').pkcs8);
  await t.kms.send(new CreateAliasCommand({ AliasName: 'alias/fuzz', TargetKeyId: ec.KeyId }));
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const sig = (await t.kms.send(new SignCommand({ KeyId: ec.KeyId, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature as Uint8Array;
  seeds.push(
    { target: 'CreateKey', body: { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', Description: 'fuzz', Tags: [{ TagKey: 'a', TagValue: 'b' }] } },
    { target: 'CreateKey', body: { Origin: 'EXTERNAL', MultiRegion: true } },
    { target: 'DescribeKey', body: { KeyId: 'alias/fuzz' } },
    { target: 'DescribeKey', body: { KeyId: ec.Arn } },
    { target: 'ListKeys', body: { Limit: 5 } },
    { target: 'ListAliases', body: { KeyId: ec.KeyId, Limit: 2 } },
    { target: 'Sign', body: { KeyId: ec.KeyId, Message: b64('hello'), SigningAlgorithm: 'ECDSA_SHA_256' } },
    { target: 'Sign', body: { KeyId: ext.KeyId, Message: createHash('sha256').update('x').digest('base64'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' } },
    { target: 'Verify', body: { KeyId: ec.KeyId, Message: b64('m'), Signature: Buffer.from(sig).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' } },
    { target: 'GetPublicKey', body: { KeyId: ext.Arn } },
    { target: 'Encrypt', body: { KeyId: sym.KeyId, Plaintext: b64('secret'), EncryptionContext: { a: 'b' } } },
    { target: 'Decrypt', body: { CiphertextBlob: b64('not a ciphertext at all, but long enough to parse'), EncryptionContext: { a: 'b' } } },
    { target: 'GenerateDataKey', body: { KeyId: sym.KeyId, KeySpec: 'AES_256' } },
    { target: 'GenerateMac', body: { KeyId: mac.KeyId, Message: b64('mac'), MacAlgorithm: 'HMAC_SHA_256' } },
    { target: 'GetParametersForImport', body: { KeyId: ext.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' } },
    { target: 'ImportKeyMaterial', body: { KeyId: ext.KeyId, ImportToken: b64('token'), EncryptedKeyMaterial: b64('x'.repeat(256)), ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: Date.now() / 1000 + 3600 } },
    { target: 'TagResource', body: { KeyId: sym.KeyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] } },
    { target: 'ListResourceTags', body: { KeyId: sym.KeyId } },
    { target: 'GetKeyPolicy', body: { KeyId: sym.KeyId, PolicyName: 'default' } },
    { target: 'CreateAlias', body: { AliasName: 'alias/fuzz-2', TargetKeyId: sym.KeyId } },
    { target: 'ListKeyRotations', body: { KeyId: sym.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' } },
    { target: 'ReplicateKey', body: { KeyId: ext.KeyId, ReplicaRegion: 'eu-west-1' } },
  );
});

after(async () => { await t.close(); });

const weird: unknown[] = [
  null, 0, -1, 1e308, 1.5, true, false, '', ' ', 'x'.repeat(5000), '\u0000', '\ud800', 'alias/', 'arn:aws:kms:', '==', 'AAAA',
  [], [null], {}, { a: { b: [1, { c: 'd' }] } }, 'mrk-00000000000000000000000000000000', '00000000-0000-0000-0000-000000000000',
  '__proto__', 'RSA_2048', 'SYMMETRIC_DEFAULT', 'DIGEST', -1e-7, 2 ** 53, '1e3', 'KEY_MATERIAL_DOES_NOT_EXPIRE',
];
const targets = [
  'CreateKey', 'DescribeKey', 'ListKeys', 'EnableKey', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'UpdateKeyDescription',
  'CreateAlias', 'UpdateAlias', 'DeleteAlias', 'ListAliases', 'GetKeyPolicy', 'PutKeyPolicy', 'ListKeyPolicies', 'TagResource',
  'UntagResource', 'ListResourceTags', 'GetParametersForImport', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial', 'RotateKeyOnDemand',
  'ListKeyRotations', 'ReplicateKey', 'GetPublicKey', 'Sign', 'Verify', 'Encrypt', 'Decrypt', 'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext', 'GenerateRandom', 'GenerateMac', 'VerifyMac', 'Nope', '', 'CreateKey ', 'createkey',
];
// Mutations that could make the run slow (RSA key generation) or destroy the seed keys are left to the other tests.
const harmless = (target: string, body: Record<string, unknown>): boolean =>
  !(target === 'CreateKey' && typeof body.KeySpec === 'string' && body.KeySpec.startsWith('RSA'))
  && !(target === 'GetParametersForImport' && body.WrappingKeySpec !== 'RSA_2048')
  && target !== 'ScheduleKeyDeletion' && target !== 'DisableKey' && target !== 'DeleteImportedKeyMaterial' && target !== 'DeleteAlias';

interface Mutated {
  target: string | undefined;
  body: Buffer;
  headers: Record<string, string>;
  postSign?: (h: Record<string, string>, body: Buffer) => Buffer;
  accessKeyId?: string;
  secret?: string;
  service?: string;
  region?: string;
  skewMs?: number;
  unsigned?: boolean;
}

function mutate(r: ReturnType<typeof prng>): Mutated {
  const seed = r.pick(seeds);
  const body: Record<string, unknown> = structuredClone(seed.body);
  let target: string | undefined = `TrentService.${seed.target}`;
  const m: Mutated = { target, body: Buffer.alloc(0), headers: {} };
  const rounds = 1 + r.int(3);
  let text: string | undefined;
  for (let i = 0; i < rounds; i++) {
    switch (r.int(14)) {
      case 0: { const k = r.pick(Object.keys(body)); if (k) body[k] = r.pick(weird); break; }
      case 1: { const k = r.pick(Object.keys(body)); if (k) delete body[k]; break; }
      case 2: body[r.pick(['KeyId', 'Message', 'Extra', 'Limit', 'Tags', 'ValidTo', 'Signature', 'EncryptionContext'])] = r.pick(weird); break;
      case 3: body[r.pick(['Message', 'Plaintext', 'CiphertextBlob', 'ImportToken', 'Signature', 'Mac', 'EncryptedKeyMaterial'])] = r.bytes(r.int(6000)).toString('base64'); break;
      case 4: body[r.pick(['Message', 'ImportToken', 'Signature'])] = r.bytes(1 + r.int(40)).toString('latin1'); break;
      case 5: target = `TrentService.${r.pick(targets)}`; break;
      case 6: target = r.pick([undefined, 'TrentService', 'trentservice.ListKeys', 'TrentService.ListKeys.Extra', r.bytes(8).toString('hex')]); break;
      case 7: m.headers['content-type'] = r.pick(['text/plain', 'application/json', 'application/x-amz-json-1.0', '', 'application/x-amz-json-1.1; charset=utf-8', 'multipart/form-data']); break;
      case 8: text = JSON.stringify(body).slice(0, r.int(JSON.stringify(body).length + 1)); break;
      case 9: { const s = Buffer.from(text ?? JSON.stringify(body)); if (s.length) s[r.int(s.length)] = r.int(256); text = s.toString('latin1'); break; }
      case 10: text = r.pick(['[]', 'null', '1', '"s"', '{"a":' + '['.repeat(2000) + ']'.repeat(2000) + '}', '{}{}', '{"KeyId":"x","KeyId":"y"}', '']); break;
      case 11: m.postSign = r.pick([
        (h: Record<string, string>, b: Buffer) => { h.authorization = (h.authorization ?? '').replace(/Signature=(.)/, (_x, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`); return b; },
        (h: Record<string, string>, b: Buffer) => { delete h.authorization; return b; },
        (h: Record<string, string>, b: Buffer) => { h.authorization = r.pick(['', 'AWS4-HMAC-SHA256', 'Basic Zm9vOmJhcg==', 'AWS4-HMAC-SHA256 Credential=/, SignedHeaders=, Signature=']); return b; },
        (h: Record<string, string>, b: Buffer) => Buffer.concat([b, Buffer.from(' ')]),
        (h: Record<string, string>, b: Buffer) => { h['x-amz-date'] = '20200101T000000Z'; return b; },
        (h: Record<string, string>, b: Buffer) => { delete h['x-amz-date']; return b; },
        (h: Record<string, string>, b: Buffer) => { h['x-amz-target'] = 'TrentService.CreateKey'; return b; },
      ]); break;
      case 12: Object.assign(m, r.pick([
        { accessKeyId: 'AKIANOTKNOWN00000000' }, { secret: 'wrong-secret-wrong-secret' }, { service: 'dynamodb' }, { region: 'x' },
        { skewMs: r.pick([-20, -14, 14, 20]) * 60_000 }, { unsigned: true }, { accessKeyId: DEFAULT_LOCAL_CREDENTIALS[1].accessKeyId, secret: DEFAULT_LOCAL_CREDENTIALS[1].secretAccessKey },
        { region: r.pick(['eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1']) },
      ])); break;
      default: break;
    }
  }
  const finalTarget = target?.replace(/^TrentService\./, '') ?? '';
  if (!harmless(finalTarget, body)) target = 'TrentService.DescribeKey';
  m.target = target;
  m.body = Buffer.from(text ?? JSON.stringify(body), text === undefined ? 'utf8' : 'latin1');
  return m;
}

describe('fuzz', () => {
  it(`${REQUESTS} mutated requests get valid successes or AWS's error shape, never a 500`, { timeout: 600_000 }, async (ctx) => {
    const r = prng(SEED);
    const url = new URL(t.server.url);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const signers = new Map<string, SignatureV4>();
    const signer = (akid: string, secret: string, region: string, service: string): SignatureV4 => {
      const id = `${akid}/${secret}/${region}/${service}`;
      let s = signers.get(id);
      if (!s) {
        s = new SignatureV4({ service, region, credentials: { accessKeyId: akid, secretAccessKey: secret }, sha256: Sha256 });
        signers.set(id, s);
      }
      return s;
    };
    const counts = new Map<string, number>();
    let done = 0;

    const one = async (i: number): Promise<void> => {
      const m = mutate(r);
      let headers: Record<string, string> = { host: url.host, 'content-type': 'application/x-amz-json-1.1', ...m.headers };
      if (m.target !== undefined) headers['x-amz-target'] = m.target;
      let body = m.body;
      if (!m.unsigned) {
        const c = DEFAULT_LOCAL_CREDENTIALS[0];
        const s = signer(m.accessKeyId ?? c.accessKeyId, m.secret ?? c.secretAccessKey, m.region ?? 'us-east-1', m.service ?? 'kms');
        headers = await signHeaders(s, url, 'POST', '/', headers, body, new Date(Date.now() + (m.skewMs ?? 0)));
      }
      if (m.postSign) body = m.postSign(headers, body);
      const answer = await new Promise<{ status: number; type: string | undefined; text: string }>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['x-amzn-errortype'] as string | undefined, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
      const where = `request ${i}: ${m.target} ${m.body.subarray(0, 200).toString('latin1')} -> ${answer.status} ${answer.text.slice(0, 300)}`;
      if (answer.status === 200) {
        if (answer.text !== '') {
          const json = JSON.parse(answer.text) as unknown;
          assert.ok(json !== null && typeof json === 'object' && !Array.isArray(json), where);
        }
        counts.set('200', (counts.get('200') ?? 0) + 1);
      } else {
        assert.ok(answer.status === 400 || answer.status === 413, where);
        const json = JSON.parse(answer.text) as Record<string, unknown>;
        assert.match(String(json.__type), /^[A-Za-z]+Exception$/, where);
        assert.equal(answer.type, json.__type, where);
        for (const k of Object.keys(json)) assert.ok(k === '__type' || (k === 'message' && typeof json.message === 'string'), where);
        counts.set(String(json.__type), (counts.get(String(json.__type)) ?? 0) + 1);
      }
      done++;
    };

    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) await one(next++);
    }));
    agent.destroy();
    ctx.diagnostic(`seed ${SEED}: ${[...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    assert.equal(done, REQUESTS);
    assert.ok((counts.get('200') ?? 0) > 500, 'a fair share of the mutations still succeed');
    for (const type of ['SerializationException', 'ValidationException', 'InvalidSignatureException', 'UnknownOperationException', 'NotFoundException']) {
      assert.ok((counts.get(type) ?? 0) > 0, `the fuzz reached ${type}`);
    }
    const sig = await t.kms.send(new SignCommand({ KeyId: 'alias/fuzz', Message: Buffer.from('still here'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.ok((sig.Signature as Uint8Array).length > 60);
  });
});
