import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kmsTargetFromOptions, targetInRegion } from '../../../src/kms/client/target.js';

describe('kmsTargetFromOptions', () => {
  it('defaults to AWS KMS with the Region and profile from the environment', () => {
    const t = kmsTargetFromOptions({ env: { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'prod' } });
    assert.equal(t.kind, 'aws');
    assert.equal(t.endpoint, undefined);
    assert.equal(t.region, 'eu-west-1');
    assert.equal(t.profile, 'prod');
    assert.equal(t.description, 'AWS KMS, Region eu-west-1 (AWS_REGION), profile prod (AWS_PROFILE), credentials from the AWS chain');
  });

  it('prefers --kms URL, --region and --profile over the environment', () => {
    const t = kmsTargetFromOptions({
      kms: 'http://127.0.0.1:4599/',
      region: 'us-east-1',
      profile: 'local',
      env: { AWS_ENDPOINT_URL_KMS: 'https://kms.example', AWS_REGION: 'eu-west-1', AWS_PROFILE: 'prod' },
    });
    assert.deepEqual(
      { kind: t.kind, endpoint: t.endpoint, endpointSource: t.endpointSource, region: t.region, profile: t.profile },
      { kind: 'endpoint', endpoint: 'http://127.0.0.1:4599', endpointSource: '--kms', region: 'us-east-1', profile: 'local' },
    );
    assert.equal(t.description, 'KMS endpoint http://127.0.0.1:4599 (--kms), Region us-east-1 (--region), profile local (--profile), credentials from the AWS chain');
  });

  it('takes AWS_ENDPOINT_URL_KMS, then AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true', () => {
    const env = { AWS_ENDPOINT_URL_KMS: 'https://kms.vpce.example:443', AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_DEFAULT_REGION: 'ap-southeast-2' };
    const a = kmsTargetFromOptions({ kms: 'aws', env });
    assert.equal(a.endpoint, 'https://kms.vpce.example');
    assert.equal(a.endpointSource, 'AWS_ENDPOINT_URL_KMS');
    assert.equal(a.regionSource, 'AWS_DEFAULT_REGION');
    const b = kmsTargetFromOptions({ env: { AWS_ENDPOINT_URL: 'http://localhost:4566' } });
    assert.equal(b.endpoint, 'http://localhost:4566');
    assert.equal(b.description, 'KMS endpoint http://localhost:4566 (AWS_ENDPOINT_URL), Region from the AWS config, credentials from the AWS chain');
    const c = kmsTargetFromOptions({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } });
    assert.equal(c.kind, 'aws');
  });

  it('never echoes credentials embedded in a URL, and rejects bad values with KMS_TARGET_INVALID', () => {
    assert.throws(() => kmsTargetFromOptions({ kms: 'http://AKIDEXAMPLE:s3cr3t@127.0.0.1:1', env: {} }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'KMS_TARGET_INVALID');
      assert.equal(e.message, '--kms must not carry a user name or password; pass credentials with --profile or the AWS_* variables.');
      return true;
    });
    assert.throws(() => kmsTargetFromOptions({ kms: 'ftp://x', env: {} }), { code: 'KMS_TARGET_INVALID', message: '--kms must be an http or https URL, not ftp:; e.g. http://127.0.0.1:4599.' });
    assert.throws(() => kmsTargetFromOptions({ kms: 'localhost:4599', env: {} }), { code: 'KMS_TARGET_INVALID' });
    assert.throws(() => kmsTargetFromOptions({ kms: 'user:pw@@', env: {} }), (e: Error) => !e.message.includes('pw'));
    assert.throws(() => kmsTargetFromOptions({ region: 'Europe', env: {} }), {
      code: 'KMS_TARGET_INVALID',
      message: '--region "Europe" is not an AWS Region name; use one like us-east-1 or eu-west-2.',
    });
  });

  it('moves a target to another Region', () => {
    const t = targetInRegion(kmsTargetFromOptions({ kms: 'http://127.0.0.1:4599', region: 'us-east-1', env: {} }), 'eu-central-1');
    assert.equal(t.description, 'KMS endpoint http://127.0.0.1:4599 (--kms), Region eu-central-1 (forRegion), credentials from the AWS chain');
  });
});
