/**
 * The optional state file of the software YubiHSM 2, so a restarted simulator keeps its keys: objects, sequence
 * counters, options, the audit log and the device identity (serial, asymmetric-auth key pair, attestation key
 * and certificate). Sessions are never written. JSON (format `hsm2kms-simulator-state`, version 1), byte strings
 * in hex, capability sets as 16 hex digits. Written atomically (temp file, fsync, rename, directory fsync) with
 * mode 0600: the file holds private keys in the clear, which is exactly why this is a simulator and not an HSM.
 * One process at a time keeps a device in a state file (`lockStateFile`): two would each hold their own copy in
 * memory and the last to write would erase the other's keys.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { takePidLock } from '../util/pid-lock.js';
import { LOG_CAPACITY, type DeviceContents, type DeviceState, type SimObject } from './state.js';

export const STATE_FORMAT = 'hsm2kms-simulator-state';
export const STATE_VERSION = 1;

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const capHex = (c: bigint): string => c.toString(16).padStart(16, '0');

/** The state as the JSON text of a state file. */
export function serializeState(state: DeviceState): string {
  const { identity, contents } = state;
  const doc = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    notice: 'Software YubiHSM 2 state for rehearsal and tests. It holds private keys in the clear: this is not an HSM.',
    identity: {
      serial: identity.serial,
      authPrivateKey: hexOf(identity.authPrivateKey),
      authPublicKey: hexOf(identity.authPublicKey),
      attestation: identity.attestation && {
        algorithm: identity.attestation.algorithm,
        material: hexOf(identity.attestation.material),
        certificate: hexOf(identity.attestation.certificate),
      },
    },
    objects: [...contents.objects.values()].map((o) => ({
      type: o.type,
      id: o.id,
      algorithm: o.algorithm,
      label: hexOf(o.label),
      domains: o.domains,
      capabilities: capHex(o.capabilities),
      delegated: capHex(o.delegated),
      sequence: o.sequence,
      origin: o.origin,
      material: hexOf(o.material),
    })),
    sequences: [...contents.sequences.entries()],
    options: {
      forceAudit: contents.options.forceAudit,
      commandAudit: [...contents.options.commandAudit.entries()],
      disabledAlgorithms: [...contents.options.disabledAlgorithms],
    },
    log: {
      entries: contents.log.entries.map(hexOf),
      lastNumber: contents.log.lastNumber,
      lastDigest: hexOf(contents.log.lastDigest),
      unloggedBoots: contents.log.unloggedBoots,
      unloggedAuthentications: contents.log.unloggedAuthentications,
    },
  };
  return JSON.stringify(doc, null, 1) + '\n';
}

class Bad extends Error {}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Bad(`${what} is not an object`);
  return v as Record<string, unknown>;
}
function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Bad(`${what} is not a list`);
  return v;
}
function int(v: unknown, what: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new Bad(`${what} is not an integer from 0 to ${max}`);
  return v;
}
function bytes(v: unknown, what: string, length?: number | [number, number]): Uint8Array {
  if (typeof v !== 'string' || v.length % 2 !== 0 || !/^[0-9a-f]*$/.test(v)) throw new Bad(`${what} is not lowercase hex`);
  const b = new Uint8Array(Buffer.from(v, 'hex'));
  const [lo, hi] = length === undefined ? [0, Infinity] : typeof length === 'number' ? [length, length] : length;
  if (b.length < lo || b.length > hi) throw new Bad(`${what} has ${b.length} bytes`);
  return b;
}
function caps(v: unknown, what: string): bigint {
  if (typeof v !== 'string' || !/^[0-9a-f]{16}$/.test(v)) throw new Bad(`${what} is not 16 hex digits`);
  return BigInt('0x' + v);
}

/** Parses and checks the JSON text of a state file. Throws UsageError SIM_STATE_INVALID. */
export function parseState(text: string, source = 'the state file'): DeviceState {
  try {
    const doc = obj(JSON.parse(text), 'the document');
    if (doc.format !== STATE_FORMAT) throw new Bad(`its format is not ${STATE_FORMAT}`);
    if (doc.version !== STATE_VERSION) {
      // Only a version number is repeated, never other text from the file (it holds private keys).
      const shown = typeof doc.version === 'number' && Number.isSafeInteger(doc.version) ? ` ${doc.version}` : '';
      throw new Bad(`its version${shown} is not ${STATE_VERSION}`);
    }
    const id = obj(doc.identity, 'identity');
    const att = id.attestation === undefined ? undefined : obj(id.attestation, 'identity.attestation');
    const identity: DeviceState['identity'] = {
      serial: int(id.serial, 'identity.serial', 0xffffffff),
      authPrivateKey: bytes(id.authPrivateKey, 'identity.authPrivateKey', 32),
      authPublicKey: bytes(id.authPublicKey, 'identity.authPublicKey', 65),
      attestation: att && {
        algorithm: int(att.algorithm, 'attestation.algorithm', 255),
        material: bytes(att.material, 'attestation.material', [1, 1024]),
        certificate: bytes(att.certificate, 'attestation.certificate', [1, 4096]),
      },
    };
    const objects = new Map<number, SimObject>();
    for (const [i, raw] of arr(doc.objects, 'objects').entries()) {
      const o = obj(raw, `objects[${i}]`);
      const so: SimObject = {
        type: int(o.type, `objects[${i}].type`, 9),
        id: int(o.id, `objects[${i}].id`, 0xfffe),
        algorithm: int(o.algorithm, `objects[${i}].algorithm`, 55),
        label: bytes(o.label, `objects[${i}].label`, 40),
        domains: int(o.domains, `objects[${i}].domains`, 0xffff),
        capabilities: caps(o.capabilities, `objects[${i}].capabilities`),
        delegated: caps(o.delegated, `objects[${i}].delegated`),
        sequence: int(o.sequence, `objects[${i}].sequence`, 255),
        origin: int(o.origin, `objects[${i}].origin`, 255),
        material: bytes(o.material, `objects[${i}].material`, [1, 4096]),
      };
      const k = so.type * 0x10000 + so.id;
      if (objects.has(k)) throw new Bad(`objects[${i}] repeats type ${so.type} id ${so.id}`);
      objects.set(k, so);
    }
    if (objects.size > 256) throw new Bad('it holds more than 256 objects');
    const sequences = new Map<number, number>();
    for (const [i, raw] of arr(doc.sequences, 'sequences').entries()) {
      const pair = arr(raw, `sequences[${i}]`);
      sequences.set(int(pair[0], `sequences[${i}][0]`, 0x9ffff), int(pair[1], `sequences[${i}][1]`, 255));
    }
    const opt = obj(doc.options, 'options');
    const commandAudit = new Map<number, number>();
    for (const [i, raw] of arr(opt.commandAudit, 'options.commandAudit').entries()) {
      const pair = arr(raw, `options.commandAudit[${i}]`);
      commandAudit.set(int(pair[0], 'command', 255), int(pair[1], 'audit setting', 2));
    }
    const disabledAlgorithms = new Set(arr(opt.disabledAlgorithms, 'options.disabledAlgorithms').map((a) => int(a, 'algorithm', 55)));
    const log = obj(doc.log, 'log');
    const entries = arr(log.entries, 'log.entries').map((e, i) => bytes(e, `log.entries[${i}]`, 32));
    if (entries.length > LOG_CAPACITY) throw new Bad(`the log holds more than ${LOG_CAPACITY} entries`);
    const contents: DeviceContents = {
      objects,
      sequences,
      options: { forceAudit: int(opt.forceAudit, 'options.forceAudit', 2), commandAudit, disabledAlgorithms },
      log: {
        entries,
        lastNumber: int(log.lastNumber, 'log.lastNumber', 0xffff),
        lastDigest: bytes(log.lastDigest, 'log.lastDigest', 16),
        unloggedBoots: int(log.unloggedBoots, 'log.unloggedBoots', 0xffff),
        unloggedAuthentications: int(log.unloggedAuthentications, 'log.unloggedAuthentications', 0xffff),
      },
    };
    return { identity, contents };
  } catch (e) {
    const detail = e instanceof Bad ? e.message : e instanceof SyntaxError ? 'it is not JSON' : String(e);
    throw new UsageError(
      'SIM_STATE_INVALID',
      `${source} is not a software YubiHSM 2 state file (${detail}); point --state at the file the simulator wrote, or at a new path to start a factory-fresh device.`,
    );
  }
}

/** Writes the state file atomically with mode 0600. */
export function saveStateFile(path: string, state: DeviceState): void {
  writeFileAtomic(path, serializeState(state), { mode: 0o600 });
}

/** Reads a state file; undefined when it does not exist (a new device). Throws UsageError SIM_STATE_INVALID. */
export function loadStateFile(path: string): DeviceState | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new UsageError('SIM_STATE_UNREADABLE', code === 'EISDIR'
      ? `The simulator state file ${path} is a directory; name a file, e.g. ${join(path, 'hsm-state.json')}.`
      : `Cannot read the simulator state file ${path} (${code ?? 'error'}); check its owner and mode.`, { cause });
  }
  return parseState(text, `State file ${path}`);
}

/**
 * Takes the lock `<path>.lock` (holding this process's pid) for the state file, creating its directory as
 * saveStateFile would; returns its release. A lock left by a process that no longer runs is taken over. Throws
 * UsageError SIM_STATE_IN_USE when another process holds it; file-system errors (the directory cannot be made or
 * written) as they are.
 */
export function lockStateFile(path: string): () => void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const lockPath = `${path}.lock`;
  const lock = takePidLock(lockPath);
  if (lock.taken) return lock.release;
  const holder = lock.holder !== undefined ? `another hsm2kms hsm serve (pid ${lock.holder})` : 'another hsm2kms hsm serve';
  throw new UsageError('SIM_STATE_IN_USE',
    `The simulator state file ${path} is in use by ${holder}: stop that server or choose another --state file (if none is running, remove ${lockPath}).`);
}
