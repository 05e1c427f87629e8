import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpiredImportTokenException, KMSServiceException, NotFoundException } from '@aws-sdk/client-kms';
import { Hsm2KmsError } from '../../../src/errors.js';
import {
  HANDLED_AWS_EXCEPTIONS,
  KmsAccessDeniedError,
  KmsCredentialsError,
  KmsExpiredImportTokenError,
  kmsErrorFrom,
  KmsNotFoundError,
  KmsResponseError,
  KmsServiceError,
  KmsUnreachableError,
  KmsUsageError,
} from '../../../src/kms/client/errors.js';

const meta = { httpStatusCode: 400, requestId: 'req-1' };

describe('kmsErrorFrom', () => {
  it('maps an SDK exception to its class, keeping the AWS name, fault, status and request id', () => {
    const sdk = new ExpiredImportTokenException({ message: 'The import token is expired.', $metadata: meta });
    const e = kmsErrorFrom(sdk, { operation: 'ImportKeyMaterial', keyRef: 'k', region: 'us-east-1' });
    assert.ok(e instanceof KmsExpiredImportTokenError);
    assert.ok(e instanceof KmsServiceError && e instanceof Hsm2KmsError);
    const s = e as KmsExpiredImportTokenError;
    assert.equal(s.code, 'KMS_EXPIRED_IMPORT_TOKEN');
    assert.equal(s.awsName, 'ExpiredImportTokenException');
    assert.equal(s.fault, 'client');
    assert.equal(s.side, 'kms');
    assert.equal(s.httpStatusCode, 400);
    assert.equal(s.requestId, 'req-1');
    assert.equal(
      s.message,
      'ImportKeyMaterial failed with ExpiredImportTokenException: The import token is expired; the import token expired; fetch new import parameters (hsm2kms kms params) and wrap again.',
    );
  });

  it('says where to look for a missing key', () => {
    const sdk = new NotFoundException({ message: 'Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found.', $metadata: meta });
    const e = kmsErrorFrom(sdk, { operation: 'DescribeKey', keyRef: 'alias/nope', region: 'us-east-1' });
    assert.ok(e instanceof KmsNotFoundError);
    assert.equal(e.code, 'KMS_NOT_FOUND');
    assert.equal(
      e.message,
      'DescribeKey failed with NotFoundException: Alias arn:aws:kms:us-east-1:111122223333:alias/nope is not found; check the key id or alias alias/nope and the Region (Region us-east-1); keys and aliases exist in one Region only.',
    );
  });

  it('maps AccessDenied to the authentication side with a credentials hint', () => {
    const sdk = new KMSServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'User: arn:aws:iam::111122223333:user/x is not authorized to perform: kms:Sign', $metadata: meta });
    const e = kmsErrorFrom(sdk, { operation: 'Sign' });
    assert.ok(e instanceof KmsAccessDeniedError);
    assert.equal(e.side, 'authentication');
    assert.match(e.message, /^Sign failed with AccessDeniedException: .*; the caller may not call kms:Sign here; check the AWS credentials: --profile, AWS_PROFILE or/);
  });

  it('keeps an unknown AWS exception name and fault in a generic KmsServiceError', () => {
    const sdk = new KMSServiceException({ name: 'BrandNewException', $fault: 'server', message: 'Something new.', $metadata: { httpStatusCode: 503 } });
    const e = kmsErrorFrom(sdk, { operation: 'CreateKey' }) as KmsServiceError;
    assert.equal(e.constructor, KmsServiceError);
    assert.equal(e.code, 'KMS_SERVICE_ERROR');
    assert.equal(e.awsName, 'BrandNewException');
    assert.equal(e.fault, 'server');
  });

  it('omits an empty AWS message (KMSInvalidSignatureException has none)', () => {
    const sdk = new KMSServiceException({ name: 'KMSInvalidSignatureException', $fault: 'client', message: 'KMSInvalidSignatureException', $metadata: meta });
    const e = kmsErrorFrom(sdk, { operation: 'Verify' });
    assert.equal(e.message, 'Verify failed with KMSInvalidSignatureException; the signature does not verify for this key, message and algorithm.');
    // What @aws-sdk/client-kms really puts in `message` when the body has no message member (as AWS sends it).
    const real = new KMSServiceException({ name: 'KMSInvalidSignatureException', $fault: 'client', message: 'UnknownError', $metadata: meta });
    assert.equal(kmsErrorFrom(real, { operation: 'Verify' }).message, e.message);
  });

  it('maps network failures, missing credentials and missing Region', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const e = kmsErrorFrom(refused, { operation: 'ListKeys', endpoint: 'http://127.0.0.1:1' });
    assert.ok(e instanceof KmsUnreachableError);
    assert.equal(e.side, 'transport');
    assert.equal(e.message, 'ListKeys: cannot reach http://127.0.0.1:1 (ECONNREFUSED); check --kms / AWS_ENDPOINT_URL_KMS, --region and the network, then re-run.');
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    assert.ok(kmsErrorFrom(noCreds, { operation: 'ListKeys' }) instanceof KmsCredentialsError);
    const noRegion = kmsErrorFrom(new Error('Region is missing'), { operation: 'ListKeys' });
    assert.ok(noRegion instanceof KmsUsageError);
    assert.equal(noRegion.code, 'KMS_REGION_MISSING');
  });

  it('treats anything else as a bad response, in one line', () => {
    const e = kmsErrorFrom(new SyntaxError('Unexpected token <\n in JSON'), { operation: 'DescribeKey', endpoint: 'http://x' });
    assert.ok(e instanceof KmsResponseError);
    assert.equal(e.code, 'KMS_BAD_RESPONSE');
    assert.ok(!e.message.includes('\n'));
  });

  it('has one class per handled AWS name', () => {
    assert.equal(new Set(HANDLED_AWS_EXCEPTIONS).size, HANDLED_AWS_EXCEPTIONS.length);
    for (const name of ['NotFoundException', 'KMSInvalidStateException', 'ExpiredImportTokenException', 'InvalidImportTokenException', 'IncorrectKeyMaterialException', 'UnrecognizedClientException', 'AccessDeniedException']) {
      assert.ok(HANDLED_AWS_EXCEPTIONS.includes(name), name);
    }
  });
});
