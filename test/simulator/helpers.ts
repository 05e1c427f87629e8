/**
 * Test helpers: drive the software YubiHSM 2 through real frames. Sessions are opened with the session layer's
 * host role; requests are built and responses read with the protocol's command definitions.
 */
import { passwordToKeys } from '../../src/crypto/password.js';
import type { StaticKeys } from '../../src/crypto/scp03.js';
import type { CommandDef } from '../../src/protocol/command.js';
import { decodeFrame, encodeFrame } from '../../src/protocol/frame.js';
import { SecureChannel } from '../../src/session/index.js';
import { SoftwareYubiHsm, type SoftwareYubiHsmOptions } from '../../src/simulator/device.js';
import { InProcessTransport } from '../../src/transport/in-process.js';

const keyCache = new Map<string, StaticKeys>();
export function keysFor(password: string): StaticKeys {
  let k = keyCache.get(password);
  if (!k) {
    k = passwordToKeys(password);
    keyCache.set(password, k);
  }
  return { encKey: k.encKey.slice(), macKey: k.macKey.slice() };
}

/** A device that fails the test on any internal error. */
export function newDevice(options: SoftwareYubiHsmOptions = {}): SoftwareYubiHsm {
  return new SoftwareYubiHsm({
    serial: 12345678,
    onInternalError: (e, where) => {
      throw new Error(`simulator internal error in ${where}: ${(e as Error)?.stack ?? String(e)}`);
    },
    ...options,
  });
}

export class DeviceRefused extends Error {
  constructor(readonly deviceCode: number) {
    super(`device error 0x${deviceCode.toString(16).padStart(2, '0')}`);
  }
}

/** The in-process transport over a device (what the client library uses to reach the simulator). */
export function transportFor(device: SoftwareYubiHsm): InProcessTransport {
  return new InProcessTransport((f) => device.handle(f), { description: 'software YubiHSM 2 (test)' });
}

export class TestSession {
  private readonly transport: InProcessTransport;
  constructor(
    readonly device: SoftwareYubiHsm,
    readonly channel: SecureChannel,
  ) {
    this.transport = transportFor(device);
  }

  get id(): number {
    return this.channel.sessionId!;
  }

  /** Sends an inner frame, returns the decrypted inner response frame. */
  async raw(inner: Uint8Array): Promise<Uint8Array> {
    return this.channel.unwrapResponse(await this.transport.send(this.channel.wrapCommand(inner)));
  }

  /** Sends a command; resolves with the decoded response or rejects with DeviceRefused(code). */
  async send<Q, R>(def: CommandDef<Q, R>, req: Q): Promise<R> {
    const f = decodeFrame(await this.raw(encodeFrame(def.code, def.encodeRequest(req))));
    if (f.code === 0x7f) throw new DeviceRefused(f.payload[0]);
    if (f.code !== (def.code | 0x80)) throw new Error(`unexpected response code 0x${f.code.toString(16)}`);
    return def.decodeResponse(f.payload);
  }

  /** The device error code a command fails with (throws if it succeeds). */
  async errorOf<Q, R>(def: CommandDef<Q, R>, req: Q): Promise<number> {
    try {
      await this.send(def, req);
    } catch (e) {
      if (e instanceof DeviceRefused) return e.deviceCode;
      throw e;
    }
    throw new Error(`${def.name} unexpectedly succeeded`);
  }
}

export async function openSession(device: SoftwareYubiHsm, authKeyId = 1, password = 'password'): Promise<TestSession> {
  const channel = SecureChannel.hostSymmetric({ authKeyId, keys: keysFor(password) });
  const t = transportFor(device);
  await channel.handshake((f) => t.send(f));
  return new TestSession(device, channel);
}

/** Sends a plain command and returns the raw response frame. */
export async function plain(device: SoftwareYubiHsm, code: number, payload: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
  return device.handle(encodeFrame(code, payload));
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs openssl with `args`; returns stdout. Throws with stderr on failure. */
export function openssl(args: string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A temporary directory removed after `f` (also on failure). */
export async function withTempDir<T>(f: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-sim-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** DER SPKI of a P-256 public key X ‖ Y (64 bytes), from a fixed prefix (independent of src/crypto). */
export function p256Spki(xy: Uint8Array): Uint8Array {
  return unhex('3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04' + hex(xy));
}

import { commands as allCommands } from '../../src/protocol/commands/index.js';

/** Puts an authentication key (password `pw-<id>`) with these rights and opens a session with it. */
export async function limitedSession(
  admin: TestSession,
  id: number,
  rights: { domains: number; capabilities: bigint; delegated?: bigint },
): Promise<TestSession> {
  const k = keysFor(`pw-${id}`);
  await admin.send(allCommands.putAuthenticationKey, {
    id, label: `auth ${id}`, domains: rights.domains, capabilities: rights.capabilities, algorithm: 38,
    delegatedCapabilities: rights.delegated ?? 0n, key: new Uint8Array([...k.encKey, ...k.macKey]),
  });
  return openSession(admin.device, id, `pw-${id}`);
}

import { existsSync as fileExists, readFileSync as readFile } from 'node:fs';
import { loadYubihsmVectors } from '../vectors/index.js';

/** The known-answer vectors kept in test/vectors/. */
export function vectors(): Record<string, any> {
  return loadYubihsmVectors();
}
