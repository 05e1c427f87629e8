/**
 * The adapter's requests on the wire (AWS JSON 1.1, KMS-SPEC 5) and its handling of odd answers, against a stub HTTP
 * server that records each request and replays canned answers. The stub knows nothing of our code: expected request
 * bodies are written out by hand from the API reference.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AwsKms } from '../../../src/kms/client/aws-kms.js';
import { KmsExpiredImportTokenError, KmsResponseError, KmsServiceError, KmsUnreachableError } from '../../../src/kms/client/errors.js';
import { kmsTargetFromOptions } from '../../../src/kms/client/target.js';

interface Recorded {
  target: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}
type Answer = { status?: number; body: string | object; contentType?: string };

let server: Server;
let url: string;
let recorded: Recorded[] = [];
let answers: Answer[] = [];
let kms: AwsKms;

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function reply(res: ServerResponse, a: Answer): void {
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stub-req' });
  res.end(text);
}

describe('AwsKms on the wire', () => {
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        recorded.push({ target: String(req.headers['x-amz-target']), body: text ? JSON.parse(text) : {}, headers: req.headers });
        reply(res, answers.shift() ?? { status: 500, body: { __type: 'KMSInternalException', message: 'no canned answer' } });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    kms = new AwsKms({
      target: kmsTargetFromOptions({ kms: url, region: 'us-east-1', env: {} }),
      credentials: { accessKeyId: 'AKIDSTUBSTUBSTUB0001', secretAccessKey: 'stub-secret-not-real' },
      maxAttempts: 1,
      pageSize: 2,
    });
  });
  after(async () => {
    kms.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    recorded = [];
    answers = [];
  });

  it('signs requests with SigV4 for kms in the target Region and sends JSON 1.1', async () => {
    answers.push({ body: { Keys: [], Truncated: false } });
    await kms.listKeys();
    const r = recorded[0];
    assert.equal(r.target, 'TrentService.ListKeys');
    assert.equal(r.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(String(r.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDSTUBSTUBSTUB0001\/\d{8}\/us-east-1\/kms\/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(r.headers).includes('stub-secret-not-real'));
    assert.equal(kms.target, `KMS endpoint ${url} (--kms), Region us-east-1 (--region), credentials given explicitly`);
  });

  it('ImportKeyMaterial sends the expiration model explicitly, ValidTo only with KEY_MATERIAL_EXPIRES', async () => {
    answers.push({ body: { KeyId: ARN } }, { body: { KeyId: ARN } });
    await kms.importKeyMaterial({
      keyId: ARN,
      importToken: Uint8Array.of(1, 2, 3),
      encryptedKeyMaterial: Uint8Array.of(4, 5),
      expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' },
    });
    await kms.importKeyMaterial({
      keyId: ARN,
      importToken: Uint8Array.of(1, 2, 3),
      encryptedKeyMaterial: Uint8Array.of(4, 5),
      expiration: { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: new Date('2027-01-02T03:04:05Z') }, // 1798859045 = date -u -d 2027-01-02T03:04:05Z +%s
    });
    assert.equal(recorded[0].target, 'TrentService.ImportKeyMaterial');
    assert.deepEqual(recorded[0].body, { KeyId: ARN, ImportToken: 'AQID', EncryptedKeyMaterial: 'BAU=', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    assert.deepEqual(recorded[1].body, { KeyId: ARN, ImportToken: 'AQID', EncryptedKeyMaterial: 'BAU=', ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: 1798859045 });
  });

  it('refuses an import without an explicit expiration before sending anything', async () => {
    const base = { keyId: ARN, importToken: Uint8Array.of(1), encryptedKeyMaterial: Uint8Array.of(2) };
    await assert.rejects(kms.importKeyMaterial({ ...base } as never), {
      code: 'KMS_EXPIRATION_REQUIRED',
      message: 'ImportKeyMaterial needs an explicit expiration model; choose KEY_MATERIAL_DOES_NOT_EXPIRE, or KEY_MATERIAL_EXPIRES with validTo (in the future, at most 365 days ahead).',
    });
    await assert.rejects(kms.importKeyMaterial({ ...base, expiration: { expirationModel: 'KEY_MATERIAL_EXPIRES' } } as never), { code: 'KMS_EXPIRATION_REQUIRED' });
    await assert.rejects(
      kms.importKeyMaterial({ ...base, expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: new Date() } } as never),
      { code: 'KMS_EXPIRATION_CONFLICT' },
    );
    assert.equal(recorded.length, 0);
  });

  it('GetParametersForImport, Sign and Verify send the members the API reference names', async () => {
    answers.push(
      { body: { KeyId: ARN, ImportToken: 'AAEC', PublicKey: 'AwQ=', ParametersValidTo: 1798859045.5 } },
      { body: { KeyId: ARN, Signature: 'MAY=', SigningAlgorithm: 'ECDSA_SHA_256' } },
      { body: { KeyId: ARN, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' } },
      { status: 400, body: { __type: 'KMSInvalidSignatureException' } },
    );
    const p = await kms.getParametersForImport({ keyId: 'k', wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096' });
    assert.deepEqual(recorded[0].body, { KeyId: 'k', WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec: 'RSA_4096' });
    assert.deepEqual(
      { ...p, importToken: [...p.importToken], wrappingPublicKey: [...p.wrappingPublicKey], parametersValidTo: p.parametersValidTo.toISOString() },
      { keyArn: ARN, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_4096', importToken: [0, 1, 2], wrappingPublicKey: [3, 4], parametersValidTo: '2027-01-02T03:04:05.500Z' },
    );
    const s = await kms.sign({ keyRef: 'alias/key0x100', message: new TextEncoder().encode('hi'), messageType: 'RAW', signingAlgorithm: 'ECDSA_SHA_256' });
    assert.deepEqual(recorded[1].body, { KeyId: 'alias/key0x100', Message: 'aGk=', MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    assert.deepEqual([...s.signature], [0x30, 0x06]);
    const req = { keyRef: 'alias/key0x100', message: new Uint8Array(32), messageType: 'DIGEST' as const, signingAlgorithm: 'ECDSA_SHA_256' as const, signature: Uint8Array.of(0x30) };
    assert.equal(await kms.verify(req), true);
    assert.deepEqual(recorded[2].body, { KeyId: 'alias/key0x100', Message: 'A'.repeat(43) + '=', MessageType: 'DIGEST', Signature: 'MA==', SigningAlgorithm: 'ECDSA_SHA_256' });
    assert.equal(await kms.verify(req), false);
  });

  it('follows NextMarker through every page and stops on a repeating marker', async () => {
    answers.push(
      { body: { Aliases: [{ AliasName: 'alias/a', AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/a', TargetKeyId: 'k1' }], Truncated: true, NextMarker: 'm1' } },
      { body: { Aliases: [{ AliasName: 'alias/b', AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/b' }], Truncated: false } },
    );
    const aliases = await kms.listAliases();
    assert.deepEqual(aliases.map((a) => a.aliasName), ['alias/a', 'alias/b']);
    assert.deepEqual(recorded.map((r) => r.body), [{ Limit: 2 }, { Limit: 2, Marker: 'm1' }]);
    answers.push({ body: { Keys: [], Truncated: true, NextMarker: 'x' } }, { body: { Keys: [], Truncated: true, NextMarker: 'x' } });
    await assert.rejects(kms.listKeys(), (e: Error & { code?: string }) => e instanceof KmsResponseError && e.code === 'KMS_BAD_RESPONSE');
  });

  it('maps error bodies to named errors and HTML answers to KMS_BAD_RESPONSE', async () => {
    answers.push({ status: 400, body: { __type: 'ExpiredImportTokenException', message: 'Import token expired.' } });
    await assert.rejects(
      kms.importKeyMaterial({ keyId: ARN, importToken: Uint8Array.of(1), encryptedKeyMaterial: Uint8Array.of(2), expiration: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } }),
      (e: unknown) => {
        assert.ok(e instanceof KmsExpiredImportTokenError);
        assert.equal(e.awsName, 'ExpiredImportTokenException');
        assert.equal(e.fault, 'client');
        assert.equal(e.requestId, 'stub-req');
        assert.equal(e.message, 'ImportKeyMaterial failed with ExpiredImportTokenException: Import token expired; the import token expired; fetch new import parameters (hsm2kms kms params) and wrap again.');
        return true;
      },
    );
    answers.push({ status: 400, body: { __type: 'com.amazonaws.kms#SomeFutureException', message: 'x' } });
    await assert.rejects(kms.describeKey('k'), (e: unknown) => e instanceof KmsServiceError && e.awsName === 'SomeFutureException' && e.code === 'KMS_SERVICE_ERROR');
    answers.push({ status: 404, body: '<html>not here</html>', contentType: 'text/html' });
    await assert.rejects(kms.describeKey('k'), (e: Error & { code?: string }) => {
      assert.ok(e instanceof KmsResponseError, e.constructor.name);
      assert.equal(e.code, 'KMS_BAD_RESPONSE');
      // The middle is V8's JSON.parse text; the frame around it is ours.
      assert.ok(e.message.startsWith(`DescribeKey: ${url} did not answer as KMS does (HTTP 404): `), e.message);
      assert.ok(e.message.endsWith('; check that --kms points at a KMS endpoint.'), e.message);
      assert.ok(!e.message.includes('Deserialization error') && !e.message.includes('\n'), e.message);
      return true;
    });
  });

  it('reports a closed port as KMS_UNREACHABLE naming the endpoint', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const dead = new AwsKms({
      target: kmsTargetFromOptions({ kms: `http://127.0.0.1:${port}`, region: 'us-east-1', env: {} }),
      credentials: { accessKeyId: 'AKIDSTUBSTUBSTUB0001', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      await assert.rejects(dead.listKeys(), (e: Error & { code?: string }) => {
        assert.ok(e instanceof KmsUnreachableError);
        assert.equal(e.message, `ListKeys: cannot reach http://127.0.0.1:${port} (ECONNREFUSED); check --kms / AWS_ENDPOINT_URL_KMS, --region and the network, then re-run.`);
        return true;
      });
    } finally {
      dead.destroy();
    }
  });
});
