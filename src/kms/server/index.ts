/**
 * The local AWS-KMS-compatible server, usable in-process (the ceremony embeds it) and from `hsm2kms kms serve`.
 * Any AWS SDK or the AWS CLI works against it with an endpoint override and one of its access keys; the Region is
 * the one in the request's SigV4 credential scope, the account the one of the access key.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from '../../crypto/random.js';
import { SigV4Verifier } from '../../crypto/sigv4.js';
import { UsageError } from '../../errors.js';
import { kmsRequestListener } from './http.js';
import { KmsState } from './kms-state.js';
import { KmsStore } from './store.js';
import type { WrappingKeySource } from './wrapping-keys.js';

export { KmsException } from './kms-exception.js';
export type { WrappingKeySource } from './wrapping-keys.js';

export interface KmsServerCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** 12-digit AWS account ID the access key belongs to. */
  accountId: string;
}

/**
 * Access keys accepted when none are configured: AWS's documented example keys (public, for local use only), in
 * two accounts so cross-account behaviour can be tried.
 */
export const DEFAULT_LOCAL_CREDENTIALS: readonly KmsServerCredential[] = Object.freeze([
  Object.freeze({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', accountId: '111122223333' }),
  Object.freeze({ accessKeyId: 'AKIAI44QH8DHBEXAMPLE', secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', accountId: '444455556666' }),
]);

export const DEFAULT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface KmsServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4599; 0 picks a free port. */
  port?: number;
  /** Directory for the SQLite store; without it the state lives in memory only. */
  dataDir?: string;
  /** Clock (tests move it to expire tokens, material and deletion windows). Default: the system clock. */
  now?: () => Date;
  /** Access keys; default DEFAULT_LOCAL_CREDENTIALS. */
  credentials?: readonly KmsServerCredential[];
  /** Import token (ParametersValidTo) lifetime; default 24 hours as in AWS. */
  tokenLifetimeMs?: number;
  /** Receives start-up lines, internal errors and (with logRequests) one line per request. */
  log?: (line: string) => void;
  logRequests?: boolean;
  /**
   * Where GetParametersForImport gets fresh RSA wrapping key pairs; default a pool that generates them off the
   * event loop (RSA-4096 takes about a second). The embedded ceremony passes a cache (KMS-SPEC 1.2 allows reuse).
   */
  wrappingKeySource?: WrappingKeySource;
}

export interface KmsServer {
  /** `http://host:port`, the endpoint to give SDKs and the AWS CLI. */
  url: string;
  host: string;
  port: number;
  credentials: readonly KmsServerCredential[];
  /** The SQLite file, or undefined for the in-memory store. */
  databasePath: string | undefined;
  /** TCP connections accepted since start (keep-alive clients reuse theirs; benchmarks check that). */
  connectionsAccepted(): number;
  close(): Promise<void>;
}

function checkCredentials(credentials: readonly KmsServerCredential[]): Map<string, KmsServerCredential> {
  const byId = new Map<string, KmsServerCredential>();
  if (credentials.length === 0) throw new UsageError('KMS_NO_CREDENTIALS', 'Configure at least one access key for the KMS server.');
  for (const c of credentials) {
    if (!/^[A-Z0-9]{16,128}$/.test(c.accessKeyId)) {
      throw new UsageError('KMS_BAD_ACCESS_KEY_ID', `Access key ID "${c.accessKeyId}" must be 16-128 uppercase letters and digits.`);
    }
    if (c.secretAccessKey.length < 16) {
      throw new UsageError('KMS_BAD_SECRET_KEY', `The secret access key of ${c.accessKeyId} must be at least 16 characters.`);
    }
    if (!/^\d{12}$/.test(c.accountId)) {
      throw new UsageError('KMS_BAD_ACCOUNT_ID', `Account ID "${c.accountId}" of ${c.accessKeyId} must be 12 digits.`);
    }
    if (byId.has(c.accessKeyId)) throw new UsageError('KMS_DUPLICATE_ACCESS_KEY', `Access key ID ${c.accessKeyId} is configured twice.`);
    byId.set(c.accessKeyId, c);
  }
  return byId;
}

/** Starts the server; resolves once it listens. */
export async function startKmsServer(options: KmsServerOptions = {}): Promise<KmsServer> {
  const credentials = options.credentials ?? DEFAULT_LOCAL_CREDENTIALS;
  const byId = checkCredentials(credentials);
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const store = KmsStore.open(options.dataDir, () => randomBytes(32));
  const kms = new KmsState(store, {
    tokenLifetimeMs: options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
    ...(options.wrappingKeySource ? { wrappingKeys: options.wrappingKeySource } : {}),
  });
  const verifier = new SigV4Verifier({ service: 'kms', lookupSecret: (id) => byId.get(id)?.secretAccessKey });
  const server = createServer(kmsRequestListener({
    kms, verifier, now, log: options.log, logRequests: options.logRequests,
    accountOf: (id) => (byId.get(id) as KmsServerCredential).accountId,
  }));
  server.keepAliveTimeout = 30_000;
  let accepted = 0;
  server.on('connection', () => {
    accepted++;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4599, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    store.close();
    throw new UsageError('KMS_LISTEN_FAILED',
      `The KMS server cannot listen on ${host}:${options.port ?? 4599} (${(err as Error).message}); choose another --listen address.`,
      { cause: err });
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    credentials,
    databasePath: store.path,
    connectionsAccepted: () => accepted,
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await kms.wrappingKeys.close();
        store.close();
      })();
      return closing;
    },
  };
}
