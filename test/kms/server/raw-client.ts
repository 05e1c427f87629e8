/**
 * Raw AWS JSON 1.1 requests for wire-level tests: signed with the SDK's own SigV4 signer (@smithy/signature-v4,
 * not our verifier's code), then optionally spoiled, sent with node:http, answer parsed.
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import { DEFAULT_LOCAL_CREDENTIALS } from '../../../src/kms/server/index.js';

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** node:crypto SHA-256 / HMAC-SHA-256 in the shape @smithy/signature-v4 wants. */
export class Sha256 {
  private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {}
}

export interface RawRequest {
  target?: string;
  body?: string | Buffer;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Do not sign at all. */
  unsigned?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Change the signed request before sending (headers, body). */
  spoil?: (req: { headers: Record<string, string>; body: Buffer }) => void;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** Headers of the request signed by `signer` (the SDK's SigV4 implementation). */
export async function signHeaders(signer: SignatureV4, u: URL, method: string, path: string, headers: Record<string, string>,
  body: Buffer, signingDate: Date): Promise<Record<string, string>> {
  const req: HttpRequest = { method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, query: {}, headers, body };
  const signed = (await signer.sign(req, { signingDate })) as HttpRequest;
  return { ...signed.headers };
}

export async function rawRequest(url: string, r: RawRequest): Promise<RawAnswer> {
  const u = new URL(url);
  const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body ?? '{}', 'utf8');
  let headers: Record<string, string> = {
    host: u.host,
    'content-type': 'application/x-amz-json-1.1',
    ...(r.target === undefined ? {} : { 'x-amz-target': r.target }),
    ...r.headers,
  };
  if (!r.unsigned) {
    const c = DEFAULT_LOCAL_CREDENTIALS[0];
    const signer = new SignatureV4({
      service: r.service ?? 'kms',
      region: r.region ?? 'us-east-1',
      credentials: { accessKeyId: r.accessKeyId ?? c.accessKeyId, secretAccessKey: r.secretAccessKey ?? c.secretAccessKey },
      sha256: Sha256,
    });
    headers = await signHeaders(signer, u, r.method ?? 'POST', r.path ?? '/', headers, body, r.signingDate ?? new Date());
  }
  const req = { headers, body };
  r.spoil?.(req);
  return new Promise((resolve, reject) => {
    const h = request({ host: u.hostname, port: u.port, method: r.method ?? 'POST', path: r.path ?? '/', headers: { ...req.headers, 'content-length': String(req.body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | undefined;
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    h.on('error', reject);
    h.end(req.body);
  });
}
