/**
 * Test harness for the local KMS server: starts it on 127.0.0.1 port 0 with a movable clock and gives SDK clients
 * (`@aws-sdk/client-kms` over real HTTP, SigV4 with the local credentials). Key material is made and wrapped here
 * with node:crypto alone (KMS-SPEC 2), independently of the server's code.
 */
import assert from 'node:assert/strict';
import {
  constants, createCipheriv, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes,
} from 'node:crypto';
import {
  GetParametersForImportCommand, ImportKeyMaterialCommand, KMSClient, type AlgorithmSpec, type ImportKeyMaterialCommandInput,
  type ImportKeyMaterialCommandOutput, type KMSClientConfig, type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { DEFAULT_LOCAL_CREDENTIALS, startKmsServer, type KmsServer, type KmsServerOptions } from '../../../src/kms/server/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

export interface TestKms {
  server: KmsServer;
  /** SDK client: first default access key (account 111122223333), us-east-1. */
  kms: KMSClient;
  client(region?: string, credential?: number): KMSClient;
  /** The server's current time, epoch ms. */
  now(): number;
  /** Moves the server's clock (and the clock the SDK clients sign with) forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * Starts a server whose clock is the real time plus an offset that tests move forward; the SDK clients sign with the
 * same offset (`systemClockOffset`), so their requests stay within SigV4's 15-minute window.
 */
export async function startTestKms(options: Omit<KmsServerOptions, 'now' | 'port'> = {}): Promise<TestKms> {
  const clock = { offset: 0 };
  const server = await startKmsServer({ ...options, port: 0, now: () => new Date(Date.now() + clock.offset) });
  const clients: KMSClient[] = [];
  const client = (region = 'us-east-1', credential = 0): KMSClient => {
    const c = DEFAULT_LOCAL_CREDENTIALS[credential];
    const config: KMSClientConfig = {
      endpoint: server.url,
      region,
      credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
      maxAttempts: 1,
    };
    const k = new KMSClient(config);
    Object.defineProperty(k.config, 'systemClockOffset', { get: () => clock.offset, set: () => {}, configurable: true });
    clients.push(k);
    return k;
  };
  return {
    server,
    kms: client(),
    client,
    now: () => Date.now() + clock.offset,
    advance: (ms) => { clock.offset += ms; },
    close: async () => {
      for (const c of clients) c.destroy();
      await server.close();
    },
  };
}

/** Asserts a rejected SDK call: AWS error name, HTTP 400 (unless given), and the message (exact string or pattern). */
export async function rejectsKms(p: Promise<unknown>, name: string, message?: string | RegExp, status = 400): Promise<void> {
  await assert.rejects(p, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name, `error name (message: ${err.message})`);
    assert.equal(err.$metadata?.httpStatusCode, status, 'HTTP status');
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

// ---- key material and wrapping (independent of the server) ----------------------------------------------------

export interface AsymmetricMaterial {
  pkcs8: Buffer;
  spki: Buffer;
}

const curves: Record<string, string> = {
  ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1', ECC_SECG_P256K1: 'secp256k1',
};
const rsaCache = new Map<number, AsymmetricMaterial>();

/** A private key for an ECC or RSA key spec (RSA pairs are cached per size: generating them is slow). */
export function asymmetricMaterial(spec: string): AsymmetricMaterial {
  if (curves[spec]) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curves[spec] });
    return { pkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }), spki: publicKey.export({ type: 'spki', format: 'der' }) };
  }
  const bits = Number(spec.slice(4));
  let m = rsaCache.get(bits);
  if (!m) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    m = { pkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }), spki: publicKey.export({ type: 'spki', format: 'der' }) };
    rsaCache.set(bits, m);
  }
  return m;
}

/** RFC 5649 AES key wrap with padding via OpenSSL's id-aesN-wrap-pad (IV A6 59 59 A6). */
export function aesKwp(kek: Buffer, plaintext: Uint8Array): Buffer {
  const c = createCipheriv(`id-aes${kek.length * 8}-wrap-pad`, kek, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([c.update(plaintext), c.final()]);
}

/** EncryptedKeyMaterial for `material` under the wrapping public key (SPKI DER) per KMS-SPEC 2. */
export function wrapMaterial(publicKeyDer: Uint8Array, algorithm: string, material: Uint8Array, aesKeyBytes = 32): Buffer {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Uint8Array): Buffer => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return oaep(material);
  const aesKey = randomBytes(aesKeyBytes);
  return Buffer.concat([oaep(aesKey), aesKwp(aesKey, material)]);
}

/** GetParametersForImport + wrap + ImportKeyMaterial (KEY_MATERIAL_DOES_NOT_EXPIRE unless `extra` says otherwise). */
export async function importMaterial(
  kms: KMSClient,
  keyId: string,
  material: Uint8Array,
  algorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256',
  wrappingKeySpec: WrappingKeySpec = 'RSA_2048',
  extra: Partial<ImportKeyMaterialCommandInput> = {},
): Promise<ImportKeyMaterialCommandOutput> {
  const p = await kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: wrappingKeySpec }));
  return kms.send(new ImportKeyMaterialCommand({
    KeyId: keyId,
    ImportToken: p.ImportToken,
    EncryptedKeyMaterial: wrapMaterial(p.PublicKey as Uint8Array, algorithm, material),
    ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    ...extra,
  }));
}
