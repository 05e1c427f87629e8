/**
 * The ceremony's port to KMS: the operations hsm2kms needs, in domain terms (camelCase fields, bytes as
 * Uint8Array, times as Date), with KMS names spelled as the AWS API has them (`names.ts`). No SDK types appear
 * here, so a fake, the AWS adapter (`aws-kms.ts`) or another backend can implement it.
 *
 * Key references (`keyRef`) are what KMS accepts for the operation: a key id, a key ARN, an alias name
 * (`alias/…`) or an alias ARN. GetParametersForImport, ImportKeyMaterial and DeleteImportedKeyMaterial accept only
 * a key id or key ARN (AWS rejects aliases there), hence `keyId` in those requests.
 *
 * Every method rejects with an `Hsm2KmsError` (see `errors.ts`): KMS exceptions as `KmsServiceError` subclasses named
 * after the AWS exception, unreachable endpoints as `KmsUnreachableError`, bad arguments as `KmsUsageError`.
 */
import type {
  AlgorithmSpec,
  EncryptionAlgorithmSpec,
  ExpirationModelType,
  KeyManagerType,
  KeySpec,
  KeyState,
  KeyUsageType,
  MacAlgorithmSpec,
  MultiRegionKeyType,
  OriginType,
  SigningAlgorithmSpec,
  WrappingKeySpec,
} from './names.js';

/** A tag as KMS stores it (TagKey/TagValue). Order is kept as given. */
export interface KmsTag {
  key: string;
  value: string;
}

/** The KeyMetadata of DescribeKey / CreateKey / ReplicateKey, in domain terms. */
export interface KmsKey {
  keyId: string;
  arn: string;
  /** The account that owns the key (AWSAccountId). */
  accountId: string;
  keySpec: KeySpec;
  keyUsage: KeyUsageType;
  origin: OriginType;
  keyState: KeyState;
  enabled: boolean;
  description: string;
  creationDate: Date;
  keyManager?: KeyManagerType;
  /** Present only once material is imported into an EXTERNAL key (absent while PendingImport). */
  expirationModel?: ExpirationModelType;
  /** Present only with KEY_MATERIAL_EXPIRES: when KMS deletes the imported material. */
  validTo?: Date;
  /** Present while the key is PendingDeletion. */
  deletionDate?: Date;
  pendingDeletionWindowInDays?: number;
  signingAlgorithms: SigningAlgorithmSpec[];
  encryptionAlgorithms: EncryptionAlgorithmSpec[];
  macAlgorithms: MacAlgorithmSpec[];
  multiRegion: boolean;
  multiRegionConfiguration?: {
    multiRegionKeyType: MultiRegionKeyType;
    primaryKey?: { arn: string; region: string };
    replicaKeys: { arn: string; region: string }[];
  };
  /** SYMMETRIC_DEFAULT keys only. */
  currentKeyMaterialId?: string;
}

export interface CreateKeyRequest {
  keySpec: KeySpec;
  keyUsage: KeyUsageType;
  /** EXTERNAL: a key without material, to be imported (PendingImport). AWS_KMS: KMS generates the material. */
  origin: 'EXTERNAL' | 'AWS_KMS';
  description?: string;
  tags?: KmsTag[];
  multiRegion?: boolean;
  /** Key policy JSON text (see `key-policy.ts`); omitted = KMS's default policy (account root only). */
  policy?: string;
  bypassPolicyLockoutSafetyCheck?: boolean;
}

export interface KmsAlias {
  /** `alias/<name>` */
  aliasName: string;
  aliasArn: string;
  /** Key id (not ARN) of the key the alias points to; absent for some AWS managed aliases. */
  targetKeyId?: string;
  creationDate?: Date;
  lastUpdatedDate?: Date;
}

export interface KmsKeyListEntry {
  keyId: string;
  keyArn: string;
}

export interface GetParametersForImportRequest {
  keyId: string;
  wrappingAlgorithm: AlgorithmSpec;
  wrappingKeySpec: WrappingKeySpec;
}

/** The wrapping public key and import token: an indivisible pair, bound to one key and one wrapping algorithm. */
export interface ImportParameters {
  /** KMS answers with the key ARN. */
  keyArn: string;
  wrappingAlgorithm: AlgorithmSpec;
  wrappingKeySpec: WrappingKeySpec;
  /** DER X.509 SubjectPublicKeyInfo of the RSA wrapping key (the console's WrappingPublicKey.bin). */
  wrappingPublicKey: Uint8Array;
  /** Opaque token (the console's ImportToken.bin). */
  importToken: Uint8Array;
  /** After this instant KMS answers ExpiredImportTokenException (issue time + 24 h on AWS). */
  parametersValidTo: Date;
}

/**
 * How long imported material lives. There is no default: KMS defaults to KEY_MATERIAL_EXPIRES and then requires
 * ValidTo, so the caller must choose one of the two explicitly.
 */
export type KeyMaterialExpiration =
  | { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
  | { expirationModel: 'KEY_MATERIAL_EXPIRES'; validTo: Date };

export interface ImportKeyMaterialRequest {
  keyId: string;
  importToken: Uint8Array;
  /** The wrapped key material (for RSA_AES_KEY_WRAP_*: RSA-OAEP(AES key) ‖ AES-KWP(PKCS#8)). */
  encryptedKeyMaterial: Uint8Array;
  expiration: KeyMaterialExpiration;
}

export interface ImportKeyMaterialResult {
  keyArn: string;
  /** SYMMETRIC_DEFAULT keys only (64 hex). */
  keyMaterialId?: string;
}

export interface KmsPublicKey {
  keyArn: string;
  /** DER X.509 SubjectPublicKeyInfo. */
  publicKey: Uint8Array;
  keySpec: KeySpec;
  keyUsage: KeyUsageType;
  signingAlgorithms: SigningAlgorithmSpec[];
  encryptionAlgorithms: EncryptionAlgorithmSpec[];
}

export interface SignRequest {
  keyRef: string;
  /** 1 to 4096 bytes with RAW; exactly the hash length with DIGEST. */
  message: Uint8Array;
  messageType: 'RAW' | 'DIGEST';
  signingAlgorithm: SigningAlgorithmSpec;
}

export interface SignResult {
  keyArn: string;
  /** As KMS returns it: DER ECDSA-Sig-Value for ECDSA, PKCS#1 bytes for RSA. */
  signature: Uint8Array;
  signingAlgorithm: SigningAlgorithmSpec;
}

export interface VerifyRequest extends SignRequest {
  signature: Uint8Array;
}

export interface EncryptRequest {
  keyRef: string;
  /** 1 to 4096 bytes (an RSA key takes less: the OAEP capacity of its size). Secret: never logged. */
  plaintext: Uint8Array;
  encryptionAlgorithm: EncryptionAlgorithmSpec;
}

export interface EncryptResult {
  keyArn: string;
  ciphertext: Uint8Array;
  encryptionAlgorithm: EncryptionAlgorithmSpec;
}

export interface DecryptRequest {
  keyRef: string;
  /** 1 to 6144 bytes (CiphertextBlob). */
  ciphertext: Uint8Array;
  encryptionAlgorithm: EncryptionAlgorithmSpec;
}

export interface DecryptResult {
  keyArn: string;
  /** Secret: the caller wipes it (fill(0)) after use. */
  plaintext: Uint8Array;
  encryptionAlgorithm: EncryptionAlgorithmSpec;
}

export interface ScheduleKeyDeletionResult {
  keyArn: string;
  deletionDate?: Date;
  keyState?: KeyState;
  pendingWindowInDays?: number;
}

export interface ReplicateKeyRequest {
  /** Key id or ARN of a multi-Region primary key. */
  keyId: string;
  replicaRegion: string;
  description?: string;
  policy?: string;
  tags?: KmsTag[];
  bypassPolicyLockoutSafetyCheck?: boolean;
}

export interface ReplicateKeyResult {
  /** The replica's metadata, as the replica Region reports it (an EXTERNAL replica settles in PendingImport). */
  replicaKey: KmsKey;
  replicaPolicy?: string;
}

export interface KmsPort {
  /** One line naming what this port talks to (endpoint, region, profile), without secrets. */
  readonly target: string;
  /**
   * True once an answer showed the endpoint to be hsm2kms's local KMS server, which keeps imported key material in
   * files on its host (see kms/model/local-server.ts). Optional: a backend that cannot tell leaves it out.
   */
  localKmsSeen?(): boolean;
  /** The same backend and credentials in another Region (replicas are imported Region by Region). */
  forRegion(region: string): KmsPort;

  createKey(request: CreateKeyRequest): Promise<KmsKey>;
  describeKey(keyRef: string): Promise<KmsKey>;
  /** All keys of the account and Region (every page). */
  listKeys(): Promise<KmsKeyListEntry[]>;

  createAlias(aliasName: string, targetKeyId: string): Promise<void>;
  updateAlias(aliasName: string, targetKeyId: string): Promise<void>;
  deleteAlias(aliasName: string): Promise<void>;
  /** The alias, or undefined when the Region has no alias of that name. */
  findAlias(aliasName: string): Promise<KmsAlias | undefined>;
  /** All aliases (every page), or those of one key. */
  listAliases(options?: { keyId?: string }): Promise<KmsAlias[]>;

  getParametersForImport(request: GetParametersForImportRequest): Promise<ImportParameters>;
  importKeyMaterial(request: ImportKeyMaterialRequest): Promise<ImportKeyMaterialResult>;
  deleteImportedKeyMaterial(keyId: string): Promise<void>;

  getPublicKey(keyRef: string): Promise<KmsPublicKey>;
  sign(request: SignRequest): Promise<SignResult>;
  /** True when the signature verifies; false when KMS answers KMSInvalidSignatureException. */
  verify(request: VerifyRequest): Promise<boolean>;

  /** Encrypt with an ENCRYPT_DECRYPT key (symmetric, or RSA with RSAES_OAEP_SHA_1/256). */
  encrypt(request: EncryptRequest): Promise<EncryptResult>;
  decrypt(request: DecryptRequest): Promise<DecryptResult>;

  /** pendingWindowInDays: 7 to 30. */
  scheduleKeyDeletion(keyId: string, pendingWindowInDays: number): Promise<ScheduleKeyDeletionResult>;
  /** The key comes back Disabled (KMS does not re-enable it; call enableKey). */
  cancelKeyDeletion(keyId: string): Promise<{ keyArn: string }>;
  enableKey(keyId: string): Promise<void>;
  disableKey(keyId: string): Promise<void>;
  replicateKey(request: ReplicateKeyRequest): Promise<ReplicateKeyResult>;

  tagResource(keyId: string, tags: KmsTag[]): Promise<void>;
  untagResource(keyId: string, tagKeys: string[]): Promise<void>;
  /** All tags (every page), in the order KMS returns them. */
  listResourceTags(keyId: string): Promise<KmsTag[]>;
  /** The key policy JSON text (policy name `default`). */
  getKeyPolicy(keyId: string): Promise<string>;
}
