/**
 * The KMS port over the official AWS SDK (@aws-sdk/client-kms): one method per AWS operation, request and response
 * members mapped by name between the API model (PascalCase) and the port (camelCase). Every SDK error goes through
 * `kmsErrorFrom`. API reference: https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html
 *
 * Configuration: the target from `kmsTargetFromOptions` (endpoint, Region, profile); credentials from the standard
 * AWS chain for that profile, unless `credentials` are given explicitly (the local server's, in tests and the
 * embedded ceremony). The SDK logs nothing (no logger is passed), so no request, key or token reaches a log.
 */
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  VerifyCommand,
  type KMSClientConfig,
} from '@aws-sdk/client-kms';
import { checkExpiration, checkSignRequest, requireBytes, requireEnum, requirePolicy, requireString } from './arguments.js';
import { kmsErrorFrom, KmsUsageError } from './errors.js';
import { AlgorithmSpec, EncryptionAlgorithmSpec, KeySpec, KeyUsageType, WrappingKeySpec } from './names.js';
import type {
  CreateKeyRequest,
  DecryptRequest,
  DecryptResult,
  EncryptRequest,
  EncryptResult,
  GetParametersForImportRequest,
  ImportKeyMaterialRequest,
  ImportKeyMaterialResult,
  ImportParameters,
  KmsAlias,
  KmsKey,
  KmsKeyListEntry,
  KmsPort,
  KmsPublicKey,
  KmsTag,
  ReplicateKeyRequest,
  ReplicateKeyResult,
  ScheduleKeyDeletionResult,
  SignResult,
  SignRequest,
  VerifyRequest,
} from './port.js';
import { badResponse, toAlias, toKmsKey, toSdkTags } from './sdk-mapping.js';
import { kmsTargetFromOptions, targetInRegion, type KmsTarget, type KmsTargetOptions } from './target.js';
import { LOCAL_KMS_HEADER } from '../model/local-server.js';

/** Explicit credentials (otherwise the standard AWS chain is used). Never logged or printed. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsKmsOptions {
  target: KmsTarget;
  credentials?: StaticCredentials;
  /** SDK attempts per call, retries included (default 3, the SDK's standard mode). */
  maxAttempts?: number;
  /** Page size for ListKeys / ListAliases / ListResourceTags (default 100; ListResourceTags caps it at 50). */
  pageSize?: number;
  /** Socket connect timeout, ms (default 10 000). */
  connectionTimeoutMs?: number;
  /** Whole-request timeout, ms (default 60 000). */
  requestTimeoutMs?: number;
}

export class AwsKms implements KmsPort {
  readonly target: string;
  /** The SDK client (for tests and for callers that need an operation the port lacks). */
  readonly client: KMSClient;
  private readonly options: AwsKmsOptions;
  private readonly pageSize: number;

  constructor(options: AwsKmsOptions) {
    this.options = options;
    this.target = options.credentials
      ? options.target.description.replace('credentials from the AWS chain', 'credentials given explicitly')
      : options.target.description;
    const pageSize = options.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new KmsUsageError('KMS_BAD_OPTION', `pageSize ${pageSize} must be an integer from 1 to 1000.`);
    }
    this.pageSize = pageSize;
    const config: KMSClientConfig = {
      maxAttempts: options.maxAttempts ?? 3,
      customUserAgent: 'hsm2kms',
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 10_000,
        requestTimeout: options.requestTimeoutMs ?? 60_000,
      },
    };
    const t = options.target;
    if (t.region) config.region = t.region;
    if (t.kind === 'endpoint' && t.endpoint) config.endpoint = t.endpoint;
    if (options.credentials) {
      const c = options.credentials;
      config.credentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
    } else if (t.profile) {
      config.profile = t.profile;
    }
    // The SDK warns on Node < 22 about *future* SDK releases; ours is pinned, so the notice would only clutter the
    // ceremony's output. Users can still turn it on by setting the variable to anything else.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new KMSClient(config);
    // Inside the deserializer, so that error answers count too.
    this.client.middlewareStack.add((next) => async (args) => {
      const result = await next(args);
      const headers = (result.response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
      if (headers?.[LOCAL_KMS_HEADER] !== undefined) this.localServerSeen = true;
      return result;
    }, { step: 'deserialize', priority: 'low', name: 'hsm2kmsLocalKmsHeader' });
  }

  /** True once an answer came from hsm2kms's local KMS server (its LOCAL_KMS_HEADER), wherever it runs. */
  private localServerSeen = false;

  localKmsSeen(): boolean {
    return this.localServerSeen;
  }

  /** Builds the target from CLI options and the environment (see kmsTargetFromOptions) and an adapter for it. */
  static fromOptions(options: KmsTargetOptions & Omit<AwsKmsOptions, 'target'>): AwsKms {
    const { kms, profile, region, env, ...rest } = options;
    return new AwsKms({ ...rest, target: kmsTargetFromOptions({ kms, profile, region, env }) });
  }

  forRegion(region: string): AwsKms {
    return new AwsKms({ ...this.options, target: targetInRegion(this.options.target, region) });
  }

  /** The Region requests go to (from the target, or the profile's config through the SDK), if resolvable. */
  async region(): Promise<string | undefined> {
    if (this.options.target.region) return this.options.target.region;
    try {
      return await this.client.config.region();
    } catch {
      return undefined;
    }
  }

  /** Closes the SDK's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  private async call<T>(operation: string, keyRef: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw kmsErrorFrom(e, {
        operation,
        keyRef,
        region: await this.region(),
        endpoint: this.options.target.kind === 'endpoint' ? this.options.target.endpoint : undefined,
      });
    }
  }

  // ---- keys ------------------------------------------------------------------------------------------------

  /** CreateKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html */
  async createKey(request: CreateKeyRequest): Promise<KmsKey> {
    requireEnum('keySpec', KeySpec, request.keySpec);
    requireEnum('keyUsage', KeyUsageType, request.keyUsage);
    if (request.origin !== 'EXTERNAL' && request.origin !== 'AWS_KMS') {
      throw new KmsUsageError('KMS_BAD_ARGUMENT', `origin must be EXTERNAL (import key material later) or AWS_KMS, not ${JSON.stringify(request.origin)}.`);
    }
    if (request.policy !== undefined) requirePolicy(request.policy);
    const out = await this.call('CreateKey', undefined, () =>
      this.client.send(
        new CreateKeyCommand({
          KeySpec: request.keySpec,
          KeyUsage: request.keyUsage,
          Origin: request.origin,
          Description: request.description,
          Tags: toSdkTags(request.tags),
          MultiRegion: request.multiRegion,
          Policy: request.policy,
          BypassPolicyLockoutSafetyCheck: request.bypassPolicyLockoutSafetyCheck,
        }),
      ),
    );
    return toKmsKey(out.KeyMetadata, 'CreateKey');
  }

  /** DescribeKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html */
  async describeKey(keyRef: string): Promise<KmsKey> {
    requireString('keyRef', keyRef);
    const out = await this.call('DescribeKey', keyRef, () => this.client.send(new DescribeKeyCommand({ KeyId: keyRef })));
    return toKmsKey(out.KeyMetadata, 'DescribeKey');
  }

  /** ListKeys (every page): https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html */
  async listKeys(): Promise<KmsKeyListEntry[]> {
    const result: KmsKeyListEntry[] = [];
    await this.paginate('ListKeys', async (marker) => {
      const out = await this.client.send(new ListKeysCommand({ Limit: this.pageSize, Marker: marker }));
      for (const k of out.Keys ?? []) if (k.KeyId && k.KeyArn) result.push({ keyId: k.KeyId, keyArn: k.KeyArn });
      return out;
    });
    return result;
  }

  /** EnableKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKey.html */
  async enableKey(keyId: string): Promise<void> {
    requireString('keyId', keyId);
    await this.call('EnableKey', keyId, () => this.client.send(new EnableKeyCommand({ KeyId: keyId })));
  }

  /** DisableKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_DisableKey.html */
  async disableKey(keyId: string): Promise<void> {
    requireString('keyId', keyId);
    await this.call('DisableKey', keyId, () => this.client.send(new DisableKeyCommand({ KeyId: keyId })));
  }

  // ---- aliases ---------------------------------------------------------------------------------------------

  /** CreateAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html */
  async createAlias(aliasName: string, targetKeyId: string): Promise<void> {
    requireString('aliasName', aliasName);
    requireString('targetKeyId', targetKeyId);
    await this.call('CreateAlias', aliasName, () => this.client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId })));
  }

  /** UpdateAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html */
  async updateAlias(aliasName: string, targetKeyId: string): Promise<void> {
    requireString('aliasName', aliasName);
    requireString('targetKeyId', targetKeyId);
    await this.call('UpdateAlias', aliasName, () => this.client.send(new UpdateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId })));
  }

  /** DeleteAlias: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html */
  async deleteAlias(aliasName: string): Promise<void> {
    requireString('aliasName', aliasName);
    await this.call('DeleteAlias', aliasName, () => this.client.send(new DeleteAliasCommand({ AliasName: aliasName })));
  }

  async findAlias(aliasName: string): Promise<KmsAlias | undefined> {
    requireString('aliasName', aliasName);
    const all = await this.listAliases();
    return all.find((a) => a.aliasName === aliasName);
  }

  /** ListAliases (every page): https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html */
  async listAliases(options: { keyId?: string } = {}): Promise<KmsAlias[]> {
    if (options.keyId !== undefined) requireString('keyId', options.keyId);
    const result: KmsAlias[] = [];
    await this.paginate(
      'ListAliases',
      async (marker) => {
        const out = await this.client.send(new ListAliasesCommand({ KeyId: options.keyId, Limit: Math.min(this.pageSize, 100), Marker: marker }));
        for (const a of out.Aliases ?? []) {
          const alias = toAlias(a);
          if (alias) result.push(alias);
        }
        return out;
      },
      options.keyId,
    );
    return result;
  }

  // ---- import --------------------------------------------------------------------------------------------

  /** GetParametersForImport: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html */
  async getParametersForImport(request: GetParametersForImportRequest): Promise<ImportParameters> {
    requireString('keyId', request.keyId);
    requireEnum('wrappingAlgorithm', AlgorithmSpec, request.wrappingAlgorithm);
    requireEnum('wrappingKeySpec', WrappingKeySpec, request.wrappingKeySpec);
    const out = await this.call('GetParametersForImport', request.keyId, () =>
      this.client.send(
        new GetParametersForImportCommand({
          KeyId: request.keyId,
          WrappingAlgorithm: request.wrappingAlgorithm,
          WrappingKeySpec: request.wrappingKeySpec,
        }),
      ),
    );
    if (!out.PublicKey || !out.ImportToken || !(out.ParametersValidTo instanceof Date)) {
      throw badResponse('GetParametersForImport', 'PublicKey, ImportToken or ParametersValidTo is missing');
    }
    return {
      keyArn: out.KeyId ?? request.keyId,
      wrappingAlgorithm: request.wrappingAlgorithm,
      wrappingKeySpec: request.wrappingKeySpec,
      wrappingPublicKey: out.PublicKey,
      importToken: out.ImportToken,
      parametersValidTo: out.ParametersValidTo,
    };
  }

  /** ImportKeyMaterial: https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html */
  async importKeyMaterial(request: ImportKeyMaterialRequest): Promise<ImportKeyMaterialResult> {
    requireString('keyId', request.keyId);
    requireBytes('importToken', request.importToken, 1, 6144);
    requireBytes('encryptedKeyMaterial', request.encryptedKeyMaterial, 1, 6144);
    const { expirationModel, validTo } = checkExpiration(request.expiration);
    const out = await this.call('ImportKeyMaterial', request.keyId, () =>
      this.client.send(
        new ImportKeyMaterialCommand({
          KeyId: request.keyId,
          ImportToken: request.importToken,
          EncryptedKeyMaterial: request.encryptedKeyMaterial,
          ExpirationModel: expirationModel,
          ValidTo: validTo,
        }),
      ),
    );
    return { keyArn: out.KeyId ?? request.keyId, keyMaterialId: out.KeyMaterialId };
  }

  /** DeleteImportedKeyMaterial: https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteImportedKeyMaterial.html */
  async deleteImportedKeyMaterial(keyId: string): Promise<void> {
    requireString('keyId', keyId);
    await this.call('DeleteImportedKeyMaterial', keyId, () => this.client.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId })));
  }

  // ---- asymmetric use --------------------------------------------------------------------------------------

  /** GetPublicKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html */
  async getPublicKey(keyRef: string): Promise<KmsPublicKey> {
    requireString('keyRef', keyRef);
    const out = await this.call('GetPublicKey', keyRef, () => this.client.send(new GetPublicKeyCommand({ KeyId: keyRef })));
    const keySpec = out.KeySpec ?? out.CustomerMasterKeySpec;
    if (!out.PublicKey || !out.KeyId || !keySpec || !out.KeyUsage) throw badResponse('GetPublicKey', 'KeyId, PublicKey, KeySpec or KeyUsage is missing');
    return {
      keyArn: out.KeyId,
      publicKey: out.PublicKey,
      keySpec,
      keyUsage: out.KeyUsage,
      signingAlgorithms: out.SigningAlgorithms ?? [],
      encryptionAlgorithms: out.EncryptionAlgorithms ?? [],
    };
  }

  /** Sign: https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html */
  async sign(request: SignRequest): Promise<SignResult> {
    checkSignRequest(request, 'Sign');
    const out = await this.call('Sign', request.keyRef, () =>
      this.client.send(
        new SignCommand({
          KeyId: request.keyRef,
          Message: request.message,
          MessageType: request.messageType,
          SigningAlgorithm: request.signingAlgorithm,
        }),
      ),
    );
    if (!out.Signature || !out.KeyId) throw badResponse('Sign', 'KeyId or Signature is missing');
    return { keyArn: out.KeyId, signature: out.Signature, signingAlgorithm: out.SigningAlgorithm ?? request.signingAlgorithm };
  }

  /** Verify: https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html — KMSInvalidSignatureException is `false`. */
  async verify(request: VerifyRequest): Promise<boolean> {
    checkSignRequest(request, 'Verify');
    requireBytes('signature', request.signature, 1, 6144);
    return this.call('Verify', request.keyRef, async () => {
      try {
        const out = await this.client.send(
          new VerifyCommand({
            KeyId: request.keyRef,
            Message: request.message,
            MessageType: request.messageType,
            Signature: request.signature,
            SigningAlgorithm: request.signingAlgorithm,
          }),
        );
        if (out.SignatureValid !== true) throw badResponse('Verify', 'SignatureValid is not true in a successful answer');
        return true;
      } catch (e) {
        if ((e as { name?: unknown })?.name === 'KMSInvalidSignatureException') return false;
        throw e;
      }
    });
  }

  /** Encrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html */
  async encrypt(request: EncryptRequest): Promise<EncryptResult> {
    requireString('keyRef', request.keyRef);
    requireBytes('plaintext', request.plaintext, 1, 4096);
    requireEnum('encryptionAlgorithm', EncryptionAlgorithmSpec, request.encryptionAlgorithm);
    const out = await this.call('Encrypt', request.keyRef, () =>
      this.client.send(new EncryptCommand({ KeyId: request.keyRef, Plaintext: request.plaintext, EncryptionAlgorithm: request.encryptionAlgorithm })),
    );
    if (!out.CiphertextBlob || !out.KeyId) throw badResponse('Encrypt', 'KeyId or CiphertextBlob is missing');
    return { keyArn: out.KeyId, ciphertext: out.CiphertextBlob, encryptionAlgorithm: out.EncryptionAlgorithm ?? request.encryptionAlgorithm };
  }

  /** Decrypt: https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html */
  async decrypt(request: DecryptRequest): Promise<DecryptResult> {
    requireString('keyRef', request.keyRef);
    requireBytes('ciphertext', request.ciphertext, 1, 6144);
    requireEnum('encryptionAlgorithm', EncryptionAlgorithmSpec, request.encryptionAlgorithm);
    const out = await this.call('Decrypt', request.keyRef, () =>
      this.client.send(new DecryptCommand({ KeyId: request.keyRef, CiphertextBlob: request.ciphertext, EncryptionAlgorithm: request.encryptionAlgorithm })),
    );
    if (!out.Plaintext || !out.KeyId) throw badResponse('Decrypt', 'KeyId or Plaintext is missing');
    return { keyArn: out.KeyId, plaintext: out.Plaintext, encryptionAlgorithm: out.EncryptionAlgorithm ?? request.encryptionAlgorithm };
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** ScheduleKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html */
  async scheduleKeyDeletion(keyId: string, pendingWindowInDays: number): Promise<ScheduleKeyDeletionResult> {
    requireString('keyId', keyId);
    if (!Number.isInteger(pendingWindowInDays) || pendingWindowInDays < 7 || pendingWindowInDays > 30) {
      throw new KmsUsageError('KMS_BAD_ARGUMENT', `pendingWindowInDays must be a whole number of days from 7 to 30, not ${pendingWindowInDays}.`);
    }
    const out = await this.call('ScheduleKeyDeletion', keyId, () =>
      this.client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: pendingWindowInDays })),
    );
    return { keyArn: out.KeyId ?? keyId, deletionDate: out.DeletionDate, keyState: out.KeyState, pendingWindowInDays: out.PendingWindowInDays };
  }

  /** CancelKeyDeletion: https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html */
  async cancelKeyDeletion(keyId: string): Promise<{ keyArn: string }> {
    requireString('keyId', keyId);
    const out = await this.call('CancelKeyDeletion', keyId, () => this.client.send(new CancelKeyDeletionCommand({ KeyId: keyId })));
    return { keyArn: out.KeyId ?? keyId };
  }

  /** ReplicateKey: https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html */
  async replicateKey(request: ReplicateKeyRequest): Promise<ReplicateKeyResult> {
    requireString('keyId', request.keyId);
    requireString('replicaRegion', request.replicaRegion);
    if (request.policy !== undefined) requirePolicy(request.policy);
    const out = await this.call('ReplicateKey', request.keyId, () =>
      this.client.send(
        new ReplicateKeyCommand({
          KeyId: request.keyId,
          ReplicaRegion: request.replicaRegion,
          Description: request.description,
          Policy: request.policy,
          Tags: toSdkTags(request.tags),
          BypassPolicyLockoutSafetyCheck: request.bypassPolicyLockoutSafetyCheck,
        }),
      ),
    );
    return { replicaKey: toKmsKey(out.ReplicaKeyMetadata, 'ReplicateKey'), replicaPolicy: out.ReplicaPolicy };
  }

  // ---- tags and policy -------------------------------------------------------------------------------------

  /** TagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html */
  async tagResource(keyId: string, tags: KmsTag[]): Promise<void> {
    requireString('keyId', keyId);
    if (!Array.isArray(tags) || tags.length === 0) throw new KmsUsageError('KMS_BAD_ARGUMENT', 'tagResource needs at least one tag {key, value}.');
    await this.call('TagResource', keyId, () => this.client.send(new TagResourceCommand({ KeyId: keyId, Tags: toSdkTags(tags) })));
  }

  /** UntagResource: https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html */
  async untagResource(keyId: string, tagKeys: string[]): Promise<void> {
    requireString('keyId', keyId);
    if (!Array.isArray(tagKeys) || tagKeys.length === 0 || tagKeys.some((k) => typeof k !== 'string')) {
      throw new KmsUsageError('KMS_BAD_ARGUMENT', 'untagResource needs at least one tag key (a string).');
    }
    await this.call('UntagResource', keyId, () => this.client.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: tagKeys })));
  }

  /** ListResourceTags (every page): https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html */
  async listResourceTags(keyId: string): Promise<KmsTag[]> {
    requireString('keyId', keyId);
    const result: KmsTag[] = [];
    await this.paginate(
      'ListResourceTags',
      async (marker) => {
        const out = await this.client.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: Math.min(this.pageSize, 50), Marker: marker }));
        for (const t of out.Tags ?? []) if (t.TagKey !== undefined) result.push({ key: t.TagKey, value: t.TagValue ?? '' });
        return out;
      },
      keyId,
    );
    return result;
  }

  /** GetKeyPolicy (policy name `default`): https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html */
  async getKeyPolicy(keyId: string): Promise<string> {
    requireString('keyId', keyId);
    const out = await this.call('GetKeyPolicy', keyId, () => this.client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })));
    if (typeof out.Policy !== 'string') throw badResponse('GetKeyPolicy', 'Policy is missing');
    return out.Policy;
  }

  /** Runs `page` until KMS says the list is complete; a marker that repeats is a broken server, not a loop. */
  private async paginate(
    operation: string,
    page: (marker: string | undefined) => Promise<{ Truncated?: boolean; NextMarker?: string }>,
    keyRef?: string,
  ): Promise<void> {
    const seen = new Set<string>();
    let marker: string | undefined;
    for (;;) {
      const out = await this.call(operation, keyRef, () => page(marker));
      if (!out.Truncated) return;
      if (!out.NextMarker || seen.has(out.NextMarker)) throw badResponse(operation, 'Truncated is true but NextMarker is missing or repeats');
      seen.add(out.NextMarker);
      marker = out.NextMarker;
    }
  }
}
