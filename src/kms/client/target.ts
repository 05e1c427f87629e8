/**
 * Which KMS to talk to, resolved from the command line and the environment, and a one-line description of it that
 * holds no secret. Precedence follows the AWS SDKs' (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
 *  - endpoint: `--kms URL`, else AWS_ENDPOINT_URL_KMS, else AWS_ENDPOINT_URL (both ignored when
 *    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else the AWS endpoint of the Region. `--kms aws` (or no --kms) means
 *    AWS KMS through the standard endpoint resolution, so an endpoint variable still applies (as for the aws CLI);
 *  - Region: `--region`, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's (resolved by the SDK);
 *  - profile: `--profile`, else AWS_PROFILE, else `default`; credentials come from the standard AWS chain.
 */
import { KmsUsageError } from './errors.js';

export interface KmsTargetOptions {
  /** `aws` (or undefined) for AWS KMS; otherwise an http(s) URL of a KMS-compatible endpoint. */
  kms?: 'aws' | string;
  profile?: string;
  region?: string;
  env: Readonly<Record<string, string | undefined>>;
}

export type EndpointSource = '--kms' | 'AWS_ENDPOINT_URL_KMS' | 'AWS_ENDPOINT_URL';
/** `forRegion`: set by the program (e.g. a replica's Region), not by the user. */
export type RegionSource = '--region' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'forRegion';
export type ProfileSource = '--profile' | 'AWS_PROFILE';

export interface KmsTarget {
  /** `aws`: AWS's own endpoint for the Region. `endpoint`: an explicit URL (a local server, a VPC endpoint, …). */
  kind: 'aws' | 'endpoint';
  /** Normalised URL (origin + path, no query, no credentials); only for kind `endpoint`. */
  endpoint?: string;
  endpointSource?: EndpointSource;
  /** Undefined: the SDK takes it from the profile's config (or fails with KMS_REGION_MISSING). */
  region?: string;
  regionSource?: RegionSource;
  profile?: string;
  profileSource?: ProfileSource;
  /** One line, no secrets, e.g. `AWS KMS, Region eu-west-1 (--region), profile prod (--profile), credentials from the AWS chain`. */
  description: string;
}

const REGION = /^[a-z]{2}(-[a-z0-9]+){1,3}-\d{1,2}$/;
const PROFILE = /^[A-Za-z0-9_.@+=,/-]{1,128}$/;

/** Resolves the target; throws KmsUsageError (code KMS_TARGET_INVALID) for a malformed --kms, --region or --profile. */
export function kmsTargetFromOptions(options: KmsTargetOptions): KmsTarget {
  const env = options.env;
  let endpoint: string | undefined;
  let endpointSource: EndpointSource | undefined;
  const kms = options.kms?.trim();
  if (kms !== undefined && kms !== '' && kms !== 'aws') {
    endpoint = normaliseEndpoint(kms, '--kms');
    endpointSource = '--kms';
  } else if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== 'true') {
    for (const name of ['AWS_ENDPOINT_URL_KMS', 'AWS_ENDPOINT_URL'] as const) {
      const v = env[name]?.trim();
      if (v) {
        endpoint = normaliseEndpoint(v, name);
        endpointSource = name;
        break;
      }
    }
  }

  let region: string | undefined;
  let regionSource: RegionSource | undefined;
  const regionCandidates: [RegionSource, string | undefined][] = [
    ['--region', options.region],
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION],
  ];
  for (const [source, value] of regionCandidates) {
    const v = value?.trim();
    if (v) {
      if (!REGION.test(v)) {
        throw new KmsUsageError('KMS_TARGET_INVALID', `${source} ${JSON.stringify(v)} is not an AWS Region name; use one like us-east-1 or eu-west-2.`);
      }
      region = v;
      regionSource = source;
      break;
    }
  }

  let profile: string | undefined;
  let profileSource: ProfileSource | undefined;
  const p = options.profile?.trim() || env.AWS_PROFILE?.trim();
  if (p) {
    profileSource = options.profile?.trim() ? '--profile' : 'AWS_PROFILE';
    if (!PROFILE.test(p)) {
      throw new KmsUsageError('KMS_TARGET_INVALID', `${profileSource} ${JSON.stringify(p)} is not a profile name; use a name from ~/.aws/config.`);
    }
    profile = p;
  }

  const target: Omit<KmsTarget, 'description'> = {
    kind: endpoint ? 'endpoint' : 'aws',
    endpoint,
    endpointSource,
    region,
    regionSource,
    profile,
    profileSource,
  };
  return { ...target, description: describeTarget(target) };
}

/** The one-line description of a target (no secrets: no credentials are part of a target). */
export function describeTarget(t: Omit<KmsTarget, 'description'>): string {
  const parts: string[] = [];
  parts.push(t.endpoint ? `KMS endpoint ${t.endpoint} (${t.endpointSource})` : 'AWS KMS');
  parts.push(t.region ? `Region ${t.region} (${t.regionSource})` : `Region from ${t.profile ? `profile ${t.profile}` : 'the AWS config'}`);
  if (t.profile) parts.push(`profile ${t.profile} (${t.profileSource})`);
  parts.push('credentials from the AWS chain');
  return parts.join(', ');
}

/** The same target in another Region (a multi-Region replica's). */
export function targetInRegion(t: KmsTarget, region: string): KmsTarget {
  if (typeof region !== 'string' || !REGION.test(region)) {
    throw new KmsUsageError('KMS_TARGET_INVALID', `${JSON.stringify(region)} is not an AWS Region name; use one like us-east-1 or eu-west-2.`);
  }
  const next = { ...t, region, regionSource: 'forRegion' as const };
  return { ...next, description: describeTarget(next) };
}

/** Checks an endpoint URL and returns it without query, fragment or trailing slash; refuses embedded credentials. */
export function normaliseEndpoint(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new KmsUsageError('KMS_TARGET_INVALID', `${source} must be "aws" or an http(s) URL such as http://127.0.0.1:4599, not ${JSON.stringify(shorten(text))}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KmsUsageError('KMS_TARGET_INVALID', `${source} must be an http or https URL, not ${url.protocol}; e.g. http://127.0.0.1:4599.`);
  }
  if (url.username || url.password) {
    // Never echo the URL: it holds a credential.
    throw new KmsUsageError('KMS_TARGET_INVALID', `${source} must not carry a user name or password; pass credentials with --profile or the AWS_* variables.`);
  }
  if (url.search || url.hash) {
    throw new KmsUsageError('KMS_TARGET_INVALID', `${source} must not have a query or fragment; give only scheme, host, port (and path).`);
  }
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')}`;
}

/** Text safe to echo: nothing that may be a user:password part, at most 60 characters. */
function shorten(text: string): string {
  if (text.includes('@')) return '<a URL with an @, not shown>';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
