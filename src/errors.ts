/**
 * Error classes shared by every layer. Each error has a stable `code` (tests assert it together
 * with the message) and a message that says what to do. Classes are split by where the fault is.
 * This module imports nothing of ours.
 */

export abstract class Hsm2KmsError extends Error {
  /** Stable, machine-readable code, e.g. `HSM_INSUFFICIENT_PERMISSIONS`. */
  readonly code: string;
  /** Where the fault is: the transport, the device, the protocol, authentication, the caller, KMS. */
  abstract readonly side: 'transport' | 'device' | 'protocol' | 'authentication' | 'usage' | 'kms' | 'ceremony';

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The connection to the device or service failed (HTTP, USB, socket). */
export class TransportError extends Hsm2KmsError {
  readonly side = 'transport' as const;
}

/** The device answered with an error code. */
export class DeviceError extends Hsm2KmsError {
  readonly side = 'device' as const;
  /** The device error byte (PROTOCOL.md 1.3). */
  readonly deviceCode: number;
  constructor(code: string, deviceCode: number, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.deviceCode = deviceCode;
  }
}

/** Bytes that do not follow the protocol (bad frame, bad length, bad field). */
export class ProtocolError extends Hsm2KmsError {
  readonly side = 'protocol' as const;
  /** The device error byte a device would answer with for these bytes (INVALID_DATA by default). */
  readonly deviceCode: number;
  constructor(code: string, message: string, deviceCode = 0x02, options?: { cause?: unknown }) {
    super(code, message, options);
    this.deviceCode = deviceCode;
  }
}

/** Session authentication failed: wrong password, bad cryptogram, bad MAC. */
export class AuthenticationError extends Hsm2KmsError {
  readonly side = 'authentication' as const;
}

/** The caller asked for something invalid (bad option, bad id, bad file). */
export class UsageError extends Hsm2KmsError {
  readonly side = 'usage' as const;
}
