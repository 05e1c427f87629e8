/**
 * Session slots (PROTOCOL.md 3.3-3.6, 5.1; https://developers.yubico.com/YubiHSM2/Concepts/Session.html):
 * 16 slots, ids 0-15, the lowest free one is used; a session (half-open or open) that has been idle for
 * 30 s, measured from the last response, is dropped. Each slot holds the secure channel in its device role
 * (src/session) and a snapshot of its authentication key's domains and capabilities. Never persisted.
 */
import type { SecureChannel } from '../session/index.js';
import type { SessionAuth } from './access.js';

export const MAX_SESSIONS = 16;
export const SESSION_TIMEOUT_MS = 30_000;

export interface SimSession {
  readonly id: number;
  readonly channel: SecureChannel;
  readonly auth: SessionAuth;
  /** Clock time of the last response on this session. */
  lastActivity: number;
}

export class SessionTable {
  private readonly slots: (SimSession | undefined)[] = new Array(MAX_SESSIONS).fill(undefined);

  constructor(
    private readonly now: () => number,
    readonly timeoutMs = SESSION_TIMEOUT_MS,
  ) {}

  /** Drops every session idle for the timeout or longer (wiping its keys). */
  expire(): void {
    const t = this.now();
    for (const s of this.slots) if (s && t - s.lastActivity >= this.timeoutMs) this.drop(s.id);
  }

  /** Lowest free slot, or undefined when all 16 are taken (after expiring idle ones). */
  freeSlot(): number | undefined {
    this.expire();
    const i = this.slots.findIndex((s) => s === undefined);
    return i < 0 ? undefined : i;
  }

  add(s: SimSession): void {
    this.slots[s.id] = s;
  }

  /** The live session with this id (idle ones are expired first). */
  get(id: number): SimSession | undefined {
    this.expire();
    return id < MAX_SESSIONS ? this.slots[id] : undefined;
  }

  touch(s: SimSession): void {
    s.lastActivity = this.now();
  }

  drop(id: number): void {
    const s = this.slots[id];
    if (!s) return;
    s.channel.close();
    this.slots[id] = undefined;
  }

  dropAll(): void {
    for (let i = 0; i < MAX_SESSIONS; i++) this.drop(i);
  }

  get count(): number {
    return this.slots.filter(Boolean).length;
  }
}
