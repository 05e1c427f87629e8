/** The ceremony's KMS side: the port, its AWS SDK adapter, and the files KMS import and signing produce. */
export * from './names.js';
export type * from './port.js';
export * from './errors.js';
export * from './target.js';
export * from './aws-kms.js';
export * from './key-policy.js';
export * from './wrapping-key.js';
export * from './console-zip.js';
export * from './import-params.js';
export * from './signature-format.js';
