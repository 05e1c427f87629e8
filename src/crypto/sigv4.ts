/**
 * AWS Signature Version 4 verification of a request received by a server (header authorization,
 * `AWS4-HMAC-SHA256`). The canonical request and string to sign follow the SigV4 specification
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): only the headers listed in
 * SignedHeaders are canonicalised, values trimmed and inner runs of spaces collapsed, the payload hash is the
 * SHA-256 of the body received. Failures carry the generic AWS error name and AWS's wording.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SigV4Request {
  method: string;
  /** Request target as received: path plus optional query string. */
  url: string;
  /** Node's `IncomingMessage.rawHeaders`: name, value, name, value... */
  rawHeaders: readonly string[];
  body: Uint8Array;
}

export type SigV4ErrorName =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

export type SigV4Result =
  | { ok: true; accessKeyId: string; region: string; service: string; signedAt: Date }
  | { ok: false; error: SigV4ErrorName; message: string };

export interface SigV4VerifierOptions {
  /** Signing name the credential scope must carry, e.g. `kms`. */
  service: string;
  /** Secret access key of an access key id, or undefined when the id is unknown. */
  lookupSecret(accessKeyId: string): string | undefined;
  /** Allowed clock difference between X-Amz-Date and now; AWS allows 15 minutes. */
  maxSkewMs?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const REGION_PATTERN = /^([a-z]+-){2,3}\d+$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function fail(error: SigV4ErrorName, message: string): SigV4Result {
  return { ok: false, error, message };
}

/** RFC 3986 percent-encoding as SigV4 wants it: everything but unreserved characters, uppercase hex. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

/** Canonical URI of a non-S3 service: each raw path segment encoded once more (the "double encoding" of the spec). */
function canonicalUri(path: string): string {
  if (path === '' || path === '/') return '/';
  return path.split('/').map((seg) => uriEncode(seg)).join('/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query.split('&').filter((p) => p !== '').map((p) => {
    const i = p.indexOf('=');
    const k = i < 0 ? p : p.slice(0, i);
    const v = i < 0 ? '' : p.slice(i + 1);
    return [uriEncode(safeDecode(k)), uriEncode(safeDecode(v))] as const;
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Tabs, CR/LF, or runs of spaces: a value without them is already canonical once its edge spaces are cut. */
const UNCANONICAL_SPACE = /[\t\r\n]| {2}/;

/**
 * A header value in SigV4's canonical form, as AWS's signers make it: CR/LF become spaces, runs of spaces and tabs
 * become one space, and one leading and one trailing space are cut. Other Unicode whitespace is kept as it is.
 */
function canonicalValue(raw: string): string {
  const v = UNCANONICAL_SPACE.test(raw) ? raw.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ') : raw;
  return v.replace(/^ | $/g, '');
}

/** Header values by lowercase name; repeated headers joined with ',' in arrival order. */
function headerMap(rawHeaders: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = canonicalValue(rawHeaders[i + 1]);
    const prev = map.get(name);
    map.set(name, prev === undefined ? value : `${prev},${value}`);
  }
  return map;
}

/** Splits `Credential=..., SignedHeaders=..., Signature=...` into a map, or names the first malformed pair. */
function parseAuthParams(rest: string): Map<string, string> | { bad: string } {
  const params = new Map<string, string>();
  for (const raw of rest.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return { bad: part };
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return params;
}

function parseHttpDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (m) {
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
    return Number.isNaN(d.getTime()) || d.getUTCDate() !== +m[3] ? undefined : d;
  }
  return undefined;
}

function basicFormat(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** crypto.hash (Node 20.12+, one call, no Hash object); undefined on older Node 20 releases. */
const oneShotHash: typeof nodeCrypto.hash | undefined = nodeCrypto.hash;

function sha256Hex(data: Uint8Array | string): string {
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** HMAC chain kSecret -> kDate -> kRegion -> kService -> kSigning. */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secret).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** Verifies SigV4 header signatures for one service against a set of access keys. */
export class SigV4Verifier {
  private readonly service: string;
  private readonly lookupSecret: (accessKeyId: string) => string | undefined;
  private readonly maxSkewMs: number;
  /** Derived signing keys by access key, date, region (they change once a day). */
  private readonly keyCache = new Map<string, { secret: string; key: Buffer }>();

  constructor(options: SigV4VerifierOptions) {
    this.service = options.service;
    this.lookupSecret = options.lookupSecret;
    this.maxSkewMs = options.maxSkewMs ?? 15 * 60 * 1000;
  }

  verify(req: SigV4Request, now: Date): SigV4Result {
    const headers = headerMap(req.rawHeaders);
    const authorization = headers.get('authorization');
    if (authorization === undefined || authorization === '') {
      return fail('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    }
    const space = authorization.indexOf(' ');
    const scheme = space < 0 ? authorization : authorization.slice(0, space);
    const parsed = scheme === ALGORITHM ? parseAuthParams(authorization.slice(space + 1)) : new Map<string, string>();
    if (!(parsed instanceof Map)) {
      return fail('IncompleteSignatureException',
        `'${parsed.bad}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
    }
    const credential = parsed.get('Credential');
    const signedHeadersParam = parsed.get('SignedHeaders');
    const signature = parsed.get('Signature');
    const dateHeader = headers.get('x-amz-date') ?? headers.get('date');
    const missing: string[] = [];
    if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
    if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
    if (!signedHeadersParam) missing.push("Authorization header requires 'SignedHeaders' parameter.");
    if (!dateHeader) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    if (missing.length > 0 || !credential || !signature || !signedHeadersParam || !dateHeader) {
      return fail('IncompleteSignatureException', `${missing.join(' ')} Authorization=${authorization}`);
    }

    const scope = credential.split('/');
    if (scope.length !== 5) {
      return fail('IncompleteSignatureException',
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
    }
    const [accessKeyId, scopeDate, region, service, terminator] = scope;
    const signedAt = headers.has('x-amz-date') ? parseHttpDate(dateHeader) : parseRfc1123(dateHeader);
    if (!signedAt) {
      return fail('IncompleteSignatureException',
        `Date must be in ISO-8601 'basic format'. Got '${dateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    }
    const amzDate = headers.has('x-amz-date') ? dateHeader : basicFormat(signedAt);
    const signedHeaders = signedHeadersParam.split(';');
    if (!signedHeaders.includes('host')) {
      return fail('IncompleteSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (scopeDate !== amzDate.slice(0, 8)) {
      return fail('InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
    }
    if (!REGION_PATTERN.test(region)) return fail('InvalidSignatureException', 'Credential should be scoped to a valid region. ');
    if (service !== this.service) {
      return fail('InvalidSignatureException', `Credential should be scoped to correct service: '${this.service}'. `);
    }
    if (terminator !== 'aws4_request') {
      return fail('InvalidSignatureException',
        `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `);
    }
    const skew = signedAt.getTime() - now.getTime();
    if (skew < -this.maxSkewMs) {
      const min = Math.round(this.maxSkewMs / 60000);
      return fail('InvalidSignatureException',
        `Signature expired: ${amzDate} is now earlier than ${basicFormat(new Date(now.getTime() - this.maxSkewMs))} (${basicFormat(now)} - ${min} min.)`);
    }
    if (skew > this.maxSkewMs) {
      const min = Math.round(this.maxSkewMs / 60000);
      return fail('InvalidSignatureException',
        `Signature not yet current: ${amzDate} is still later than ${basicFormat(new Date(now.getTime() + this.maxSkewMs))} (${basicFormat(now)} + ${min} min.)`);
    }
    const secret = this.lookupSecret(accessKeyId);
    if (secret === undefined) {
      return fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }

    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const query = q < 0 ? '' : req.url.slice(q + 1);
    const canonicalHeaders = signedHeaders.map((h) => `${h}:${headers.get(h) ?? ''}\n`).join('');
    const canonicalRequest = [
      req.method.toUpperCase(), canonicalUri(path), canonicalQuery(query), canonicalHeaders, signedHeadersParam,
      sha256Hex(req.body),
    ].join('\n');
    const stringToSign = [ALGORITHM, amzDate, `${scopeDate}/${region}/${service}/${terminator}`, sha256Hex(canonicalRequest)]
      .join('\n');
    const expected = createHmac('sha256', this.signingKey(accessKeyId, secret, scopeDate, region)).update(stringToSign).digest();
    const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : undefined;
    if (!given || !timingSafeEqual(given, expected)) {
      return fail('InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
    }
    return { ok: true, accessKeyId, region, service, signedAt };
  }

  private signingKey(accessKeyId: string, secret: string, date: string, region: string): Buffer {
    const id = `${accessKeyId}/${date}/${region}`;
    const hit = this.keyCache.get(id);
    if (hit && hit.secret === secret) return hit.key;
    if (this.keyCache.size > 256) this.keyCache.clear();
    const key = deriveSigningKey(secret, date, region, this.service);
    this.keyCache.set(id, { secret, key });
    return key;
  }
}

/** `Date:` header form (RFC 7231 IMF-fixdate), accepted when X-Amz-Date is absent. */
function parseRfc1123(value: string): Date | undefined {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
