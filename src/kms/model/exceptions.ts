/**
 * KMS error names (`__type` on the wire) with the HTTP status this project answers with. Real AWS KMS answered
 * HTTP 400 for every recorded client error (KMS-SPEC.md 0), whatever the Smithy model's httpError says; server
 * faults keep their model status. Protocol-level names (SigV4, serialization) are the generic AWS JSON ones.
 * https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html
 */
export const kmsExceptionStatus = {
  AlreadyExistsException: 400,
  DisabledException: 400,
  DryRunOperationException: 400,
  ExpiredImportTokenException: 400,
  IncorrectKeyException: 400,
  IncorrectKeyMaterialException: 400,
  InvalidAliasNameException: 400,
  InvalidArnException: 400,
  InvalidCiphertextException: 400,
  InvalidGrantTokenException: 400,
  InvalidImportTokenException: 400,
  InvalidKeyUsageException: 400,
  InvalidMarkerException: 400,
  KMSInvalidMacException: 400,
  KMSInvalidSignatureException: 400,
  KMSInvalidStateException: 400,
  LimitExceededException: 400,
  MalformedPolicyDocumentException: 400,
  NotAuthorizedException: 400,
  NotFoundException: 400,
  TagException: 400,
  UnsupportedOperationException: 400,
  ValidationException: 400,
  // Generic AWS JSON protocol and authentication errors.
  SerializationException: 400,
  UnknownOperationException: 400,
  MissingAuthenticationTokenException: 400,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 400,
  UnrecognizedClientException: 400,
  RequestEntityTooLargeException: 413,
  // Server faults.
  KMSInternalException: 500,
} as const;

export type KmsExceptionName = keyof typeof kmsExceptionStatus;
