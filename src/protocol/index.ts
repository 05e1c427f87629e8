/**
 * The YubiHSM 2 protocol layer for library users: pure codecs for frames, command codes, device errors,
 * object types, capabilities, domains, algorithms, ids, labels, log entries, list filters and every command
 * (commands/index.ts). Nothing here does I/O, keeps sessions or touches crypto.
 */
export * from './algorithms.js';
export * from './bytes.js';
export * from './capabilities.js';
export * from './command-codes.js';
export * from './command.js';
export * from './device-errors.js';
export * from './domains.js';
export * from './frame.js';
export * from './ids.js';
export * from './label.js';
export * from './list-filter.js';
export * from './log-entry.js';
export * from './new-object.js';
export * from './object-types.js';
export * from './commands/index.js';
