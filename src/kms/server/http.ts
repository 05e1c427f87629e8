/**
 * The AWS JSON 1.1 wire of the local KMS (KMS-SPEC 5): `POST /` with `X-Amz-Target: TrentService.<Operation>`,
 * SigV4-signed with a configured access key. Every request is answered, and every failure (oversized body, bad
 * signature, wrong content type, unknown target, malformed JSON, bad base64, a handler's KmsException, an
 * unexpected error) in AWS's error shape: HTTP 400 (413, 500), `{"__type", "message"}` and `x-amzn-ErrorType`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SigV4Verifier } from '../../crypto/sigv4.js';
import { randomUuid } from '../../crypto/random.js';
import { operationNames, type OperationName } from '../model/operations.js';
import type { KmsContext } from './context.js';
import { KmsException, renderError } from './kms-exception.js';
import type { KmsState } from './kms-state.js';
import { handlers } from './operations/index.js';
import { validateInput } from './validate.js';
import { LOCAL_KMS_HEADER, LOCAL_KMS_HEADER_VALUE } from '../model/local-server.js';

/** Largest request body accepted; the largest KMS request (a 128 KiB policy, escaped) fits well below it. */
export const MAX_BODY_BYTES = 1024 * 1024;

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);
const operations = new Set<string>(operationNames);

export interface KmsHttpConfig {
  kms: KmsState;
  verifier: SigV4Verifier;
  /** Account ID of an access key the verifier accepted. */
  accountOf(accessKeyId: string): string;
  now(): Date;
  log?: (line: string) => void;
  /** Log one line per request (operation, status, error type, time). */
  logRequests?: boolean;
}

interface Answer {
  status: number;
  body: object | undefined;
  errorType?: string;
  operation?: string;
}

function errorAnswer(err: unknown, log: ((line: string) => void) | undefined, operation?: string): Answer {
  const { status, body } = renderError(err, log);
  return { status, body, errorType: body.__type, operation };
}

/** Handles one complete request; `seen.operation` is set once the target is known (for the request log). */
async function dispatch(cfg: KmsHttpConfig, req: IncomingMessage, body: Buffer, seen: { operation?: string }): Promise<Answer> {
  const now = cfg.now();
  const auth = cfg.verifier.verify({ method: req.method ?? 'GET', url: req.url ?? '/', rawHeaders: req.rawHeaders, body }, now);
  if (!auth.ok) throw new KmsException(auth.error, auth.message);
  if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
    throw new KmsException('UnknownOperationException', 'The local KMS serves AWS JSON 1.1 requests: POST / with an X-Amz-Target header.');
  }
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!CONTENT_TYPES.has(contentType)) {
    throw new KmsException('UnknownOperationException',
      `Content-Type "${contentType}" is not supported; send application/x-amz-json-1.1.`);
  }
  const target = req.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  if (!operations.has(name)) {
    throw new KmsException('UnknownOperationException',
      `X-Amz-Target "${String(target ?? '')}" is not a KMS operation this server supports.`);
  }
  const operation = name as OperationName;
  seen.operation = operation;
  let json: unknown = {};
  if (body.length > 0) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new KmsException('SerializationException', 'The request body is not valid JSON; send a JSON object.');
    }
  }
  const input = validateInput(operation, json);
  const ctx: KmsContext = { account: cfg.accountOf(auth.accessKeyId), region: auth.region, now: now.getTime(), kms: cfg.kms };
  const out = await handlers[operation](input, ctx);
  return { status: 200, body: out, operation };
}

function send(res: ServerResponse, answer: Answer, requestId: string, close: boolean): void {
  const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': requestId,
    [LOCAL_KMS_HEADER]: LOCAL_KMS_HEADER_VALUE,
  };
  if (answer.errorType) headers['x-amzn-ErrorType'] = answer.errorType;
  if (close) headers.Connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/** The request listener of the KMS HTTP server. */
export function kmsRequestListener(cfg: KmsHttpConfig): RequestListener {
  return (req, res) => {
    const started = cfg.logRequests ? performance.now() : 0;
    const requestId = randomUuid();
    const finish = (answer: Answer, close = false): void => {
      if (res.headersSent) return;
      send(res, answer, requestId, close);
      if (cfg.logRequests && cfg.log) {
        const ms = (performance.now() - started).toFixed(1);
        cfg.log(`${requestId} ${answer.operation ?? '-'} ${answer.status}${answer.errorType ? ' ' + answer.errorType : ''} ${ms}ms`);
      }
    };
    const tooLarge = (): void => {
      finish(errorAnswer(new KmsException('RequestEntityTooLargeException',
        `The request body exceeds ${MAX_BODY_BYTES} bytes; KMS requests are much smaller.`), cfg.log), true);
      res.on('finish', () => req.destroy());
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => req.destroy());
    req.on('end', () => {
      if (over) return;
      const seen: { operation?: string } = {};
      dispatch(cfg, req, Buffer.concat(chunks, size), seen).then(
        (answer) => finish(answer),
        (err: unknown) => finish(errorAnswer(err, cfg.log, seen.operation)),
      );
    });
  };
}
