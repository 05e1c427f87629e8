/**
 * Errors of the KMS port. Every AWS exception the ceremony can meet has its own class carrying the AWS name
 * (`awsName`, exactly as in the API model / the `__type` of the JSON error body) and the fault side AWS gives it
 * (`fault`: client or server), plus a stable `code` and a one-line message saying what to do.
 * `kmsErrorFrom` turns whatever the SDK threw into one of these; nothing else in the adapter builds messages.
 * Exceptions: https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html and each operation's "Errors".
 */
import { AuthenticationError, Hsm2KmsError, ProtocolError, TransportError, UsageError } from '../../errors.js';

export type AwsFault = 'client' | 'server';

export interface KmsErrorContext {
  /** The AWS operation, e.g. `ImportKeyMaterial`. */
  operation: string;
  /** The key reference the caller gave, if any (ids and ARNs are not secret). */
  keyRef?: string;
  /** The Region the request went to, when known. */
  region?: string;
  /** The endpoint, when one was set explicitly (already stripped of anything secret). */
  endpoint?: string;
}

interface KmsServiceErrorInit {
  code: string;
  message: string;
  awsName: string;
  fault: AwsFault;
  side: 'kms' | 'authentication';
  operation: string;
  awsMessage?: string;
  httpStatusCode?: number;
  requestId?: string;
  cause?: unknown;
}

/** KMS (or the AWS front end before it) answered with an exception. */
export class KmsServiceError extends Hsm2KmsError {
  readonly side: 'kms' | 'authentication';
  /** The AWS exception name, e.g. `ExpiredImportTokenException`. */
  readonly awsName: string;
  /** Whose fault AWS says it is. */
  readonly fault: AwsFault;
  readonly operation: string;
  /** The text KMS sent, if any (never contains secrets: ids, ARNs, states). */
  readonly awsMessage?: string;
  readonly httpStatusCode?: number;
  readonly requestId?: string;

  constructor(init: KmsServiceErrorInit) {
    super(init.code, init.message, { cause: init.cause });
    this.side = init.side;
    this.awsName = init.awsName;
    this.fault = init.fault;
    this.operation = init.operation;
    this.awsMessage = init.awsMessage;
    this.httpStatusCode = init.httpStatusCode;
    this.requestId = init.requestId;
  }
}

// One class per AWS exception name handled. The static `awsName` is the name on the wire.
export class KmsNotFoundError extends KmsServiceError { static readonly awsName = 'NotFoundException'; }
export class KmsAlreadyExistsError extends KmsServiceError { static readonly awsName = 'AlreadyExistsException'; }
export class KmsInvalidStateError extends KmsServiceError { static readonly awsName = 'KMSInvalidStateException'; }
export class KmsDisabledError extends KmsServiceError { static readonly awsName = 'DisabledException'; }
export class KmsExpiredImportTokenError extends KmsServiceError { static readonly awsName = 'ExpiredImportTokenException'; }
export class KmsInvalidImportTokenError extends KmsServiceError { static readonly awsName = 'InvalidImportTokenException'; }
export class KmsIncorrectKeyMaterialError extends KmsServiceError { static readonly awsName = 'IncorrectKeyMaterialException'; }
export class KmsInvalidCiphertextError extends KmsServiceError { static readonly awsName = 'InvalidCiphertextException'; }
export class KmsInvalidKeyUsageError extends KmsServiceError { static readonly awsName = 'InvalidKeyUsageException'; }
export class KmsInvalidSignatureError extends KmsServiceError { static readonly awsName = 'KMSInvalidSignatureException'; }
export class KmsUnsupportedOperationError extends KmsServiceError { static readonly awsName = 'UnsupportedOperationException'; }
export class KmsValidationError extends KmsServiceError { static readonly awsName = 'ValidationException'; }
export class KmsInvalidArnError extends KmsServiceError { static readonly awsName = 'InvalidArnException'; }
export class KmsInvalidAliasNameError extends KmsServiceError { static readonly awsName = 'InvalidAliasNameException'; }
export class KmsInvalidMarkerError extends KmsServiceError { static readonly awsName = 'InvalidMarkerException'; }
export class KmsMalformedPolicyDocumentError extends KmsServiceError { static readonly awsName = 'MalformedPolicyDocumentException'; }
export class KmsTagError extends KmsServiceError { static readonly awsName = 'TagException'; }
export class KmsLimitExceededError extends KmsServiceError { static readonly awsName = 'LimitExceededException'; }
export class KmsThrottlingError extends KmsServiceError { static readonly awsName = 'ThrottlingException'; }
export class KmsDependencyTimeoutError extends KmsServiceError { static readonly awsName = 'DependencyTimeoutException'; }
export class KmsInternalError extends KmsServiceError { static readonly awsName = 'KMSInternalException'; }
export class KmsKeyUnavailableError extends KmsServiceError { static readonly awsName = 'KeyUnavailableException'; }
export class KmsAccessDeniedError extends KmsServiceError { static readonly awsName = 'AccessDeniedException'; }
export class KmsUnrecognizedClientError extends KmsServiceError { static readonly awsName = 'UnrecognizedClientException'; }
export class KmsRequestSignatureError extends KmsServiceError { static readonly awsName = 'InvalidSignatureException'; }
export class KmsMissingAuthenticationTokenError extends KmsServiceError { static readonly awsName = 'MissingAuthenticationTokenException'; }
export class KmsExpiredTokenError extends KmsServiceError { static readonly awsName = 'ExpiredTokenException'; }
export class KmsUnknownOperationError extends KmsServiceError { static readonly awsName = 'UnknownOperationException'; }
export class KmsSerializationError extends KmsServiceError { static readonly awsName = 'SerializationException'; }

/** An argument the caller passed is invalid; nothing was sent to KMS. */
export class KmsUsageError extends UsageError {}
/** The endpoint could not be reached (refused, unknown host, timeout, TLS). */
export class KmsUnreachableError extends TransportError {}
/** No credentials could be found by the AWS credential chain. */
export class KmsCredentialsError extends AuthenticationError {}
/** The endpoint answered, but not as KMS does (not JSON, unexpected status). */
export class KmsResponseError extends ProtocolError {}

type ServiceErrorClass = (new (init: KmsServiceErrorInit) => KmsServiceError) & { awsName: string };

interface Entry {
  cls: ServiceErrorClass;
  code: string;
  side?: 'authentication';
  fault?: AwsFault;
  hint: (c: KmsErrorContext) => string;
}

const where = (c: KmsErrorContext) => (c.region ? ` (Region ${c.region})` : '');
const keyOf = (c: KmsErrorContext) => (c.keyRef ? ` ${c.keyRef}` : '');
const creds = 'check the AWS credentials: --profile, AWS_PROFILE or the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables';

const TABLE: Entry[] = [
  { cls: KmsNotFoundError, code: 'KMS_NOT_FOUND', hint: (c) => `check the key id or alias${keyOf(c)} and the Region${where(c)}; keys and aliases exist in one Region only` },
  { cls: KmsAlreadyExistsError, code: 'KMS_ALREADY_EXISTS', hint: () => 'the alias already exists; point it at the key with UpdateAlias or choose another alias name' },
  { cls: KmsInvalidStateError, code: 'KMS_INVALID_STATE', hint: (c) => `the key${keyOf(c)} is not in a state that allows ${c.operation}; check its KeyState with DescribeKey (a PendingImport key needs its key material imported first)` },
  { cls: KmsDisabledError, code: 'KMS_DISABLED', hint: (c) => `the key${keyOf(c)} is disabled; enable it (EnableKey) and retry` },
  { cls: KmsExpiredImportTokenError, code: 'KMS_EXPIRED_IMPORT_TOKEN', hint: () => 'the import token expired; fetch new import parameters (hsm2kms kms params) and wrap again' },
  { cls: KmsInvalidImportTokenError, code: 'KMS_INVALID_IMPORT_TOKEN', hint: () => 'the import token does not belong to this key or was altered; fetch new import parameters for this key (hsm2kms kms params) and wrap again' },
  { cls: KmsIncorrectKeyMaterialError, code: 'KMS_INCORRECT_KEY_MATERIAL', hint: () => 'this KMS key already holds different key material; a KMS key can only ever be re-imported with the same material, so import into a new KMS key' },
  { cls: KmsInvalidCiphertextError, code: 'KMS_INVALID_CIPHERTEXT', hint: () => 'KMS could not unwrap the key material; wrap it with the wrapping key and algorithm of these import parameters (PKCS#8 of the key spec) and retry' },
  { cls: KmsInvalidKeyUsageError, code: 'KMS_INVALID_KEY_USAGE', hint: (c) => `the key's usage or spec does not allow ${c.operation} with this algorithm; check KeyUsage and the key's SigningAlgorithms with DescribeKey` },
  { cls: KmsInvalidSignatureError, code: 'KMS_INVALID_SIGNATURE', hint: () => 'the signature does not verify for this key, message and algorithm' },
  { cls: KmsUnsupportedOperationError, code: 'KMS_UNSUPPORTED_OPERATION', hint: (c) => `${c.operation} is not supported for this key (check its Origin, KeySpec and whether it is a multi-Region primary)` },
  { cls: KmsValidationError, code: 'KMS_VALIDATION', hint: (c) => `KMS rejected a parameter of ${c.operation}; correct the value named above and retry` },
  { cls: KmsInvalidArnError, code: 'KMS_INVALID_ARN', hint: () => 'the ARN is malformed; use a key id, key ARN, alias name (alias/…) or alias ARN' },
  { cls: KmsInvalidAliasNameError, code: 'KMS_INVALID_ALIAS_NAME', hint: () => 'use an alias name of the form alias/<name> (letters, digits, /_-), not starting with alias/aws/' },
  { cls: KmsInvalidMarkerError, code: 'KMS_INVALID_MARKER', hint: () => 'the paging marker was rejected; list again from the start' },
  { cls: KmsMalformedPolicyDocumentError, code: 'KMS_MALFORMED_POLICY', hint: () => 'the key policy was rejected; check that every principal ARN exists in IAM and that the policy keeps the account root statement' },
  { cls: KmsTagError, code: 'KMS_TAG', hint: () => 'a tag was rejected; use unique tag keys, at most 50 tags, none starting with aws:' },
  { cls: KmsLimitExceededError, code: 'KMS_LIMIT_EXCEEDED', hint: () => 'an account quota is reached (keys, aliases or grants); delete unused resources or request a quota increase' },
  { cls: KmsThrottlingError, code: 'KMS_THROTTLED', fault: 'client', hint: () => 'KMS throttled the request; wait a few seconds and re-run (GetParametersForImport allows about one call per 4 s)' },
  { cls: KmsDependencyTimeoutError, code: 'KMS_DEPENDENCY_TIMEOUT', fault: 'server', hint: () => 'KMS timed out internally; re-run the same command' },
  { cls: KmsInternalError, code: 'KMS_INTERNAL', fault: 'server', hint: () => 'KMS had an internal error; re-run the same command' },
  { cls: KmsKeyUnavailableError, code: 'KMS_KEY_UNAVAILABLE', fault: 'server', hint: () => 'the key is temporarily unavailable; re-run the same command later' },
  { cls: KmsAccessDeniedError, code: 'KMS_ACCESS_DENIED', side: 'authentication', hint: (c) => `the caller may not call kms:${c.operation} here; ${creds}, and that the key policy or IAM policy allows kms:${c.operation}` },
  { cls: KmsUnrecognizedClientError, code: 'KMS_UNRECOGNIZED_CLIENT', side: 'authentication', hint: (c) => `the access key is not known to ${c.endpoint ? `the endpoint ${c.endpoint}` : 'AWS'}; ${creds}` },
  { cls: KmsRequestSignatureError, code: 'KMS_REQUEST_SIGNATURE', side: 'authentication', hint: () => `the request signature was rejected; ${creds} (secret key) and that the system clock is correct` },
  { cls: KmsMissingAuthenticationTokenError, code: 'KMS_MISSING_AUTHENTICATION', side: 'authentication', hint: () => `the request was not signed; ${creds}` },
  { cls: KmsExpiredTokenError, code: 'KMS_EXPIRED_CREDENTIALS', side: 'authentication', hint: () => 'the session credentials expired; refresh them (aws sso login, or new temporary credentials) and re-run' },
  { cls: KmsUnknownOperationError, code: 'KMS_UNKNOWN_OPERATION', hint: (c) => `the endpoint does not implement ${c.operation}; check that --kms points at AWS KMS or a complete KMS-compatible server` },
  { cls: KmsSerializationError, code: 'KMS_SERIALIZATION', hint: (c) => `the endpoint could not read the ${c.operation} request; check that --kms points at a KMS endpoint` },
];

const BY_NAME = new Map<string, Entry>(TABLE.map((e) => [e.cls.awsName, e]));

/** The AWS exception names this module maps to their own classes. */
export const HANDLED_AWS_EXCEPTIONS: readonly string[] = TABLE.map((e) => e.cls.awsName);

/** Collapses whitespace and caps the length, so a message stays one line. */
export function oneLine(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'ECONNABORTED', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

interface SdkLikeError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number };
}

/** Turns anything the SDK (or the network) threw during `context.operation` into a typed hsm2kms error. */
export function kmsErrorFrom(err: unknown, context: KmsErrorContext): Hsm2KmsError {
  if (err instanceof Hsm2KmsError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkLikeError;
  const name = typeof e.name === 'string' ? e.name : '';
  const rawMessage = typeof e.message === 'string' ? e.message : String(err);
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = e.$metadata?.requestId;
  const target = context.endpoint ?? (context.region ? `KMS in ${context.region}` : 'KMS');

  const entry = BY_NAME.get(name);
  if (entry) {
    const awsMessage = isPlaceholderMessage(rawMessage, name) ? undefined : oneLine(rawMessage);
    const fault: AwsFault = entry.fault ?? (e.$fault === 'server' ? 'server' : 'client');
    const said = awsMessage ? `: ${awsMessage.replace(/\.$/, '')}` : '';
    return new entry.cls({
      code: entry.code,
      message: `${context.operation} failed with ${name}${said}; ${entry.hint(context)}.`,
      awsName: name,
      fault,
      side: entry.side ?? 'kms',
      operation: context.operation,
      awsMessage,
      httpStatusCode: status,
      requestId,
      cause: err,
    });
  }

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(rawMessage)) {
    return new KmsCredentialsError(
      'KMS_NO_CREDENTIALS',
      `${context.operation}: no AWS credentials were found; ${creds}, or sign in with aws sso login.`,
      { cause: err },
    );
  }
  if (/region is missing/i.test(rawMessage)) {
    return new KmsUsageError('KMS_REGION_MISSING', `${context.operation}: no AWS Region is configured; pass --region or set AWS_REGION.`, { cause: err });
  }
  const netCode = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(netCode) || name === 'TimeoutError' || /socket hang up|ECONNREFUSED|ENOTFOUND/.test(rawMessage)) {
    const why = netCode || name || 'network error';
    return new KmsUnreachableError(
      'KMS_UNREACHABLE',
      `${context.operation}: cannot reach ${target} (${why}); check --kms / AWS_ENDPOINT_URL_KMS, --region and the network, then re-run.`,
      { cause: err },
    );
  }
  if (e.$fault === 'client' || e.$fault === 'server') {
    // A well-formed AWS error whose name this module does not know: keep the name and fault.
    const awsMessage = isPlaceholderMessage(rawMessage, name) ? undefined : oneLine(rawMessage);
    if (name && /^[A-Za-z][A-Za-z0-9]*$/.test(name) && !/^Unknown(Error)?$/.test(name)) {
      return new KmsServiceError({
        code: 'KMS_SERVICE_ERROR',
        message: `${context.operation} failed with ${name}${awsMessage ? `: ${awsMessage.replace(/\.$/, '')}` : ''}; see the AWS KMS documentation of ${context.operation} for this exception.`,
        awsName: name,
        fault: e.$fault,
        side: 'kms',
        operation: context.operation,
        awsMessage,
        httpStatusCode: status,
        requestId,
        cause: err,
      });
    }
  }
  // The SDK appends a hint about `$response` to deserialization errors; it means nothing to our users.
  const detail = oneLine(rawMessage.replace(/\s*Deserialization error:[\s\S]*$/, ''), 120);
  const shown = isPlaceholderMessage(detail, name) ? '' : `: ${detail.replace(/\.$/, '')}`;
  return new KmsResponseError(
    'KMS_BAD_RESPONSE',
    `${context.operation}: ${target} did not answer as KMS does${status ? ` (HTTP ${status})` : ''}${shown}; check that --kms points at a KMS endpoint.`,
    undefined,
    { cause: err },
  );
}

/** The SDK fills an empty message with the exception name or "UnknownError"; treat those as no message. */
function isPlaceholderMessage(message: string, name: string): boolean {
  const m = message.trim();
  return m === '' || m === name || m === 'UnknownError' || m === 'Unknown';
}
