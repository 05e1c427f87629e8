/**
 * The software YubiHSM 2's state (PROTOCOL.md 4): the object store keyed by (type, id), the per-(type, id)
 * sequence counters that survive delete and re-create, the device options, the audit log and the device's
 * own identity (serial, asymmetric-authentication key pair, attestation key and certificate).
 *
 * Two parts: `identity` survives a factory reset (it is burnt in at manufacture on a real device), `contents`
 * is wiped by a reset and rebuilt to the factory state of PROTOCOL.md 4.7. Sessions are never part of the
 * state (they live in sessions.ts and are never persisted).
 */
import type { Capabilities } from '../protocol/capabilities.js';
import { Algorithm } from '../protocol/algorithms.js';
import { ObjectType } from '../protocol/object-types.js';
import { encodeLabel } from '../protocol/label.js';

/** One stored object. `material` is the type-specific key body (see objects.ts for each layout). */
export interface SimObject {
  type: number;
  id: number;
  algorithm: number;
  /** Raw 40-byte label. */
  label: Uint8Array;
  domains: number;
  capabilities: Capabilities;
  /** Meaningful for authentication keys, wrap keys and public wrap keys; 0 for the rest. */
  delegated: Capabilities;
  /** u8, number of earlier objects with the same (type, id). */
  sequence: number;
  /** 0x01 generated, 0x02 imported, OR 0x10 when imported under wrap. */
  origin: number;
  material: Uint8Array;
}

export const Origin = { GENERATED: 0x01, IMPORTED: 0x02, WRAPPED: 0x10 } as const;

/** Force-audit / command-audit values (PROTOCOL.md 4.6). */
export const Audit = { OFF: 0, ON: 1, FIXED: 2 } as const;

export interface LogState {
  /** Stored entries (32 bytes each), oldest first; at most LOG_CAPACITY. */
  entries: Uint8Array[];
  /** Number of the last entry written (u16, wraps). */
  lastNumber: number;
  /** Digest of the last entry written (16 bytes); the chain continues from it. */
  lastDigest: Uint8Array;
  unloggedBoots: number;
  unloggedAuthentications: number;
}

export interface DeviceOptions {
  /** 0 off, 1 on, 2 on and fixed until reset. */
  forceAudit: number;
  /** Per-command audit setting (0/1/2) for the commands listed in COMMAND_AUDIT_ORDER. */
  commandAudit: Map<number, number>;
  /** Algorithms switched off with the algorithm-toggle option. */
  disabledAlgorithms: Set<number>;
}

export interface DeviceContents {
  objects: Map<number, SimObject>;
  /** Next sequence number per (type, id) key; survives delete. */
  sequences: Map<number, number>;
  options: DeviceOptions;
  log: LogState;
}

export interface DeviceIdentity {
  serial: number;
  /** P-256 key pair for asymmetric authentication (GetDevicePublicKey): private scalar (32) and 04‖X‖Y (65). */
  authPrivateKey: Uint8Array;
  authPublicKey: Uint8Array;
  /**
   * The built-in attestation key (attesting key id 0 of SignAttestationCertificate) and the device attestation
   * certificate issued for it by the simulator's test CA (DER, readable as opaque id 0). Created on first use.
   */
  attestation?: DeviceAttestation;
}

export interface DeviceAttestation {
  /** Algorithm (EC P-256, 12) and stored material (private scalar) of the attestation key. */
  algorithm: number;
  material: Uint8Array;
  certificate: Uint8Array;
}

export interface DeviceState {
  identity: DeviceIdentity;
  contents: DeviceContents;
}

/** 256 object slots and 1024 pages of 126 bytes (PROTOCOL.md 4.7). */
export const STORAGE = { records: 256, pages: 1024, pageSize: 126 } as const;
export const LOG_CAPACITY = 62;

export const DEFAULT_AUTH_KEY_ID = 1;
export const DEFAULT_AUTH_KEY_LABEL = 'DEFAULT AUTHKEY CHANGE THIS ASAP';
/** K-ENC ‖ K-MAC for the password `password` (PROTOCOL.md 3.1; libyubihsm YH_DEFAULT_ENC_KEY / YH_DEFAULT_MAC_KEY). */
export const DEFAULT_AUTH_KEY_MATERIAL = Uint8Array.from(
  Buffer.from('090b47dbed595654901dee1cc655e420592fd483f759e29909a04c4505d2ce0a', 'hex'),
);

/**
 * The command list of the command-audit option, in the order a firmware 2.4 device reports it
 * (docs.yubico.com "Set Command Audit Option" example output; includes the undocumented 0x07 and 0x09).
 */
export const COMMAND_AUDIT_ORDER: readonly number[] = [
  0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09, 0x08, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x55, 0x56,
  0x48, 0x49, 0x57, 0x4a, 0x4b, 0x4c, 0x4d, 0x67, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x58, 0x59, 0x5a,
  0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x0a,
  0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
];

export function objectKey(type: number, id: number): number {
  return type * 0x10000 + id;
}

/**
 * Capabilities and delegated capabilities of the factory key: all 64 bits, unassigned ones included, as a reset
 * device reports them (GetObjectInfo bytes in tendermint/yubihsm-rs issue 70). yubihsm-shell's keyword `all` sends
 * the same 64 bits, and its cmdline_test.sh creates an auth key with `-c all --delegated all` from this key.
 */
export const FACTORY_AUTH_KEY_CAPABILITIES: Capabilities = 0xffff_ffff_ffff_ffffn;

/** The factory authentication key of PROTOCOL.md 4.7. */
export function defaultAuthKey(): SimObject {
  return {
    type: ObjectType.AUTHENTICATION_KEY,
    id: DEFAULT_AUTH_KEY_ID,
    algorithm: Algorithm.AES128_YUBICO_AUTHENTICATION,
    label: encodeLabel(DEFAULT_AUTH_KEY_LABEL),
    domains: 0xffff,
    capabilities: FACTORY_AUTH_KEY_CAPABILITIES,
    delegated: FACTORY_AUTH_KEY_CAPABILITIES,
    sequence: 0,
    origin: Origin.IMPORTED,
    material: DEFAULT_AUTH_KEY_MATERIAL.slice(),
  };
}

/**
 * Factory contents: the default auth key (its sequence counter consumed), options at their defaults and an
 * empty log whose chain starts from `logSeed` (16 random bytes). The reset and boot markers are written by the
 * audit log, not here.
 */
export function factoryContents(logSeed: Uint8Array, commandAuditDefault: number): DeviceContents {
  const key = defaultAuthKey();
  const k = objectKey(key.type, key.id);
  const commandAudit = new Map<number, number>();
  for (const c of COMMAND_AUDIT_ORDER) commandAudit.set(c, commandAuditDefault);
  return {
    objects: new Map([[k, key]]),
    sequences: new Map([[k, 1]]),
    options: { forceAudit: Audit.OFF, commandAudit, disabledAlgorithms: new Set() },
    log: { entries: [], lastNumber: 0, lastDigest: logSeed.slice(0, 16), unloggedBoots: 0, unloggedAuthentications: 0 },
  };
}

/** Wipes key material held by the contents (before a reset or when the device is discarded). */
export function wipeContents(c: DeviceContents): void {
  for (const o of c.objects.values()) o.material.fill(0);
  c.objects.clear();
}
