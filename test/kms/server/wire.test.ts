/**
 * The wire (KMS-SPEC 5) with raw HTTP requests signed by the SDK's SigV4 signer: AWS's error shape for every
 * protocol failure (authentication, size, content type, target, JSON, base64, types, constraints), the status codes,
 * headers and body forms of answers.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { rawRequest, type RawAnswer } from './raw-client.js';
import { startTestKms, type TestKms } from './helpers.js';

let t: TestKms;
before(async () => { t = await startTestKms(); });
after(async () => { await t.close(); });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASIC = /\d{8}T\d{6}Z/.source;

function isError(a: RawAnswer, type: string, message?: string | RegExp | null, status = 400): void {
  assert.equal(a.status, status, a.text);
  assert.equal(a.headers['content-type'], 'application/x-amz-json-1.1');
  assert.equal(a.headers['x-amzn-errortype'], type);
  assert.match(String(a.headers['x-amzn-requestid']), UUID);
  assert.ok(a.json, 'JSON body');
  assert.equal(a.json.__type, type);
  if (message === null) assert.deepEqual(Object.keys(a.json), ['__type'], 'no message member');
  else if (typeof message === 'string') assert.equal(a.json.message, message);
  else if (message) assert.match(String(a.json.message), message);
  for (const k of Object.keys(a.json)) assert.ok(k === '__type' || k === 'message', `unexpected member ${k}`);
}

describe('successful answers', () => {
  it('200, JSON 1.1 content type, request id, epoch-second timestamps, empty body for output-less operations', async () => {
    const sentAt = t.now();
    const created = await rawRequest(t.server.url, { target: 'TrentService.CreateKey', body: '{"KeySpec":"ECC_NIST_P256","KeyUsage":"SIGN_VERIFY"}' });
    const answeredAt = t.now();
    assert.equal(created.status, 200);
    assert.equal(created.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(String(created.headers['x-amzn-requestid']), UUID);
    const md = created.json?.KeyMetadata as Record<string, unknown>;
    assert.equal(typeof md.CreationDate, 'number');
    // The server's clock read while the request was in flight: bracketed, so a slow machine needs no allowance.
    const createdMs = (md.CreationDate as number) * 1000;
    assert.ok(createdMs >= sentAt - 1 && createdMs <= answeredAt + 1, `CreationDate ${md.CreationDate} within [${sentAt}, ${answeredAt}] ms`);
    const alias = await rawRequest(t.server.url, { target: 'TrentService.CreateAlias', body: JSON.stringify({ AliasName: 'alias/raw', TargetKeyId: md.KeyId }) });
    assert.equal(alias.status, 200);
    assert.equal(alias.text, '');
    const signed = await rawRequest(t.server.url, { target: 'TrentService.Sign', body: JSON.stringify({ KeyId: 'alias/raw', Message: Buffer.from('m').toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' }) });
    assert.equal(signed.status, 200);
    assert.match(String(signed.json?.Signature), /^[A-Za-z0-9+/]+=*$/);
    const bad = await rawRequest(t.server.url, { target: 'TrentService.Verify', body: JSON.stringify({ KeyId: 'alias/raw', Message: Buffer.from('n').toString('base64'), Signature: signed.json?.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }) });
    isError(bad, 'KMSInvalidSignatureException', null);
    assert.equal(bad.text, '{"__type":"KMSInvalidSignatureException"}');
    // Epoch seconds with a fraction and ISO-8601 strings are both accepted for ValidTo-like timestamps; an empty body is {}.
    const list = await rawRequest(t.server.url, { target: 'TrentService.ListKeys', body: '' });
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.json?.Keys));
  });
});

describe('answers without a message member (KMS-SPEC 5)', () => {
  it('KMSInvalidMacException and the message-less UnsupportedOperationException of RotateKeyOnDemand', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const mac = await rawRequest(t.server.url, { target: 'TrentService.CreateKey', body: '{"KeySpec":"HMAC_256","KeyUsage":"GENERATE_VERIFY_MAC"}' });
    const macKeyId = (mac.json?.KeyMetadata as Record<string, unknown>).KeyId;
    const bad = await rawRequest(t.server.url, {
      target: 'TrentService.VerifyMac',
      body: JSON.stringify({ KeyId: macKeyId, Message: b64('m'), Mac: Buffer.alloc(32).toString('base64'), MacAlgorithm: 'HMAC_SHA_256' }),
    });
    isError(bad, 'KMSInvalidMacException', null);
    assert.equal(bad.text, '{"__type":"KMSInvalidMacException"}');
    // RotateKeyOnDemand on a non-symmetric key: recorded on AWS with no message (KMS-SPEC 1.6).
    const rotate = await rawRequest(t.server.url, { target: 'TrentService.RotateKeyOnDemand', body: JSON.stringify({ KeyId: macKeyId }) });
    isError(rotate, 'UnsupportedOperationException', null);
  });
});

describe('SigV4 refusals', () => {
  it('unsigned, wrong secret, changed body, unknown key', async () => {
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', unsigned: true }), 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ' }), 'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', spoil: (r) => { r.body = Buffer.from('{"Limit":1}'); } }), 'InvalidSignatureException', /^The request signature we calculated/);
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', spoil: (r) => { r.headers['x-amz-target'] = 'TrentService.CreateKey'; } }), 'InvalidSignatureException');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', accessKeyId: 'AKIAUNKNOWNUNKNOWN00' }), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });

  it('more than 15 minutes off is refused with AWS wording; 14 minutes is accepted', async () => {
    // Every signing time is taken from the clock just before its request, so time spent on a slow machine between
    // the requests cannot move one across the 15-minute line.
    const old = new Date(Math.floor((Date.now() - 16 * 60_000) / 1000) * 1000);
    const stamp = old.toISOString().replace(/[-:]/g, '').replace('.000', '');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', signingDate: old }), 'InvalidSignatureException',
      new RegExp(`^Signature expired: ${stamp} is now earlier than ${BASIC} \\(${BASIC} - 15 min\\.\\)$`));
    const future = new Date(Math.floor((Date.now() + 16 * 60_000) / 1000) * 1000);
    const fstamp = future.toISOString().replace(/[-:]/g, '').replace('.000', '');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', signingDate: future }), 'InvalidSignatureException',
      new RegExp(`^Signature not yet current: ${fstamp} is still later than ${BASIC} \\(${BASIC} \\+ 15 min\\.\\)$`));
    for (const skew of [-14 * 60_000, 14 * 60_000]) {
      assert.equal((await rawRequest(t.server.url, { target: 'TrentService.ListKeys', signingDate: new Date(Date.now() + skew) })).status, 200);
    }
  });

  it('malformed Authorization headers and scopes', async () => {
    const auth = (value: string) => rawRequest(t.server.url, { target: 'TrentService.ListKeys', spoil: (r) => { r.headers.authorization = value; } });
    isError(await auth('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/kms/aws4_request'), 'IncompleteSignatureException',
      /^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. Authorization=AWS4-HMAC-SHA256 /);
    isError(await auth('Bearer abc'), 'IncompleteSignatureException', /^Authorization header requires 'Credential' parameter\./);
    isError(await auth('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00'),
      'IncompleteSignatureException', "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAIOSFODNN7EXAMPLE/us-east-1/kms/aws4_request'");
    isError(await auth('AWS4-HMAC-SHA256 Credential AKIAIOSFODNN7EXAMPLE, SignedHeaders=host, Signature=00'), 'IncompleteSignatureException', /not a valid key=value pair \(missing equal-sign\)/);
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', service: 's3' }), 'InvalidSignatureException', "Credential should be scoped to correct service: 'kms'. ");
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', region: 'Mars' }), 'InvalidSignatureException', 'Credential should be scoped to a valid region. ');
    isError(await rawRequest(t.server.url, {
      target: 'TrentService.ListKeys',
      spoil: (r) => { r.headers.authorization = r.headers.authorization.replace(/Credential=([^/]+)\/\d{8}/, 'Credential=$1/20000101'); },
    }), 'InvalidSignatureException', /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20000101' != '\d{8}', from '\d{8}T\d{6}Z'\.$/);
  });
});

describe('protocol errors', () => {
  it('unknown or missing target, wrong method, wrong content type', async () => {
    isError(await rawRequest(t.server.url, { target: 'TrentService.FlyToTheMoon' }), 'UnknownOperationException');
    isError(await rawRequest(t.server.url, { target: 'DynamoDB_20120810.ListTables' }), 'UnknownOperationException');
    isError(await rawRequest(t.server.url, {}), 'UnknownOperationException');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', method: 'GET', body: '' }), 'UnknownOperationException');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', method: 'GET', body: '', unsigned: true }), 'MissingAuthenticationTokenException');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', headers: { 'content-type': 'text/plain' } }), 'UnknownOperationException', /Content-Type "text\/plain"/);
    assert.equal((await rawRequest(t.server.url, { target: 'TrentService.ListKeys', headers: { 'content-type': 'application/x-amz-json-1.1; charset=utf-8' } })).status, 200);
  });

  it('malformed JSON, non-object bodies, wrong member types, bad base64', async () => {
    for (const body of ['{', '{"KeyId":', 'null', '[]', '"text"', '42', '\u0000']) {
      isError(await rawRequest(t.server.url, { target: 'TrentService.DescribeKey', body }), 'SerializationException');
    }
    isError(await rawRequest(t.server.url, { target: 'TrentService.DescribeKey', body: '{"KeyId":5}' }), 'SerializationException', 'Value of KeyId must be a JSON string.');
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', body: '{"Limit":"5"}' }), 'SerializationException');
    isError(await rawRequest(t.server.url, { target: 'TrentService.CreateKey', body: '{"Tags":{"a":1}}' }), 'SerializationException');
    isError(await rawRequest(t.server.url, { target: 'TrentService.Sign', body: '{"KeyId":"alias/raw","Message":"!!!notbase64","SigningAlgorithm":"ECDSA_SHA_256"}' }),
      'SerializationException', /Message is not valid base64/);
    isError(await rawRequest(t.server.url, { target: 'TrentService.Sign', body: '{"KeyId":"alias/raw","Message":"QQ=","SigningAlgorithm":"ECDSA_SHA_256"}' }), 'SerializationException');
  });

  it('missing required members and several violations at once', async () => {
    isError(await rawRequest(t.server.url, { target: 'TrentService.DescribeKey', body: '{}' }), 'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    isError(await rawRequest(t.server.url, { target: 'TrentService.Sign', body: '{"SigningAlgorithm":"NOPE"}' }), 'ValidationException',
      "3 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; Value null at 'message' failed to satisfy constraint: Member must not be null; Value 'NOPE' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSASSA_PSS_SHA_256, RSASSA_PSS_SHA_384, RSASSA_PSS_SHA_512, RSASSA_PKCS1_V1_5_SHA_256, RSASSA_PKCS1_V1_5_SHA_384, RSASSA_PKCS1_V1_5_SHA_512, ECDSA_SHA_256, ECDSA_SHA_384, ECDSA_SHA_512, SM2DSA, ML_DSA_SHAKE_256, ED25519_SHA_512, ED25519_PH_SHA_512]");
    isError(await rawRequest(t.server.url, { target: 'TrentService.ListKeys', body: '{"Limit":0}' }), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it('an oversized body gets 413 in AWS shape and the server keeps serving', async () => {
    // Declared too large: the server answers from the headers alone, before any body byte is sent, so the answer
    // can always be read (sending 2 MiB first could end in a reset socket instead, which would prove nothing).
    const declared = await new Promise<RawAnswer>((resolve, reject) => {
      const u = new URL(t.server.url);
      const req = request({
        host: u.hostname, port: u.port, method: 'POST', path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys', 'content-length': String(2 * 1024 * 1024) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text) as Record<string, unknown> });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    isError(declared, 'RequestEntityTooLargeException', 'The request body exceeds 1048576 bytes; KMS requests are much smaller.', 413);
    assert.equal(declared.headers.connection, 'close');
    // Sent without a declared length (chunked) and over the limit: refused too, or the socket cut; never a 200.
    const streamed = await new Promise<number | Error>((resolve) => {
      const u = new URL(t.server.url);
      const req = request({ host: u.hostname, port: u.port, method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' } },
        (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', (err) => resolve(err));
      req.end(Buffer.alloc(2 * 1024 * 1024, 0x20));
    });
    if (typeof streamed === 'number') assert.equal(streamed, 413);
    assert.equal((await rawRequest(t.server.url, { target: 'TrentService.ListKeys' })).status, 200);
  });
});
