/**
 * A fake YubiHSM 2 at the USB packet level, for testing the USB framing without a device. It behaves like a bulk
 * endpoint pair with 64-byte packets: the device sees the end of a host transfer only at a short packet (a
 * zero-length packet included), and an IN transfer ends at a short packet or when the host's buffer is full.
 */
import { UsbTimeout, type UsbBackend, type UsbCandidate, type UsbEndpoints } from '../../src/transport/usb.js';

const PACKET = 64;

export interface FakeOptions {
  serialNumber?: string;
  bcdDevice?: number;
  /** Answers one whole received message; default: Echo-style (code | 0x80). */
  respond?: (message: Uint8Array) => Uint8Array;
  /** Packets already waiting on the IN endpoint when the device is opened (stale data). */
  stalePackets?: Uint8Array[];
  /** Fail this many OUT transfers (then work). */
  failWrites?: number;
  /** Fail open() with this message. */
  openError?: string;
  /** Deliver each answer in two IN transfers (first part ends with an artificial short packet). */
  splitAnswers?: boolean;
}

export class FakeYubiHsm implements UsbCandidate {
  readonly info: { serialNumber: string | undefined; bcdDevice: number };
  /** Lengths of every OUT transfer the host made (0 = zero-length packet). */
  readonly outTransfers: number[] = [];
  /** Whole messages the device recognised. */
  readonly messages: string[] = [];
  /** Every IN transfer request: requested length and timeout. */
  readonly inRequests: Array<{ maxLength: number; timeoutMs: number }> = [];
  opens = 0;
  closes = 0;
  private partial: number[] = [];
  private readonly inPackets: Uint8Array[] = [];
  private failWrites: number;

  constructor(private readonly options: FakeOptions = {}) {
    this.info = { serialNumber: options.serialNumber, bcdDevice: options.bcdDevice ?? 0x0240 };
    this.failWrites = options.failWrites ?? 0;
    this.inPackets.push(...(options.stalePackets ?? []));
  }

  get pendingInPackets(): number {
    return this.inPackets.length;
  }

  async open(): Promise<UsbEndpoints> {
    if (this.options.openError) throw new Error(this.options.openError);
    this.opens++;
    let open = true;
    return {
      transferOut: async (data, _timeoutMs) => {
        if (!open) throw new Error('device closed');
        if (this.failWrites > 0) {
          this.failWrites--;
          throw new Error('LIBUSB_ERROR_PIPE');
        }
        this.outTransfers.push(data.length);
        this.receive(data);
        return data.length;
      },
      transferIn: async (maxLength, timeoutMs) => {
        if (!open) throw new Error('device closed');
        this.inRequests.push({ maxLength, timeoutMs });
        if (this.inPackets.length === 0) throw new UsbTimeout();
        const parts: Uint8Array[] = [];
        let total = 0;
        while (this.inPackets.length > 0 && total < maxLength) {
          const p = this.inPackets.shift()!;
          parts.push(p);
          total += p.length;
          if (p.length < PACKET) break;
        }
        return Buffer.concat(parts);
      },
      close: async () => {
        open = false;
        this.closes++;
      },
    };
  }

  /** Splits a host transfer into packets; a short packet ends the message. */
  private receive(data: Uint8Array): void {
    if (data.length === 0) {
      this.endOfMessage();
      return;
    }
    for (let off = 0; off < data.length; off += PACKET) {
      const packet = data.subarray(off, Math.min(off + PACKET, data.length));
      this.partial.push(...packet);
      if (packet.length < PACKET) this.endOfMessage();
    }
  }

  private endOfMessage(): void {
    const message = Uint8Array.from(this.partial);
    this.partial = [];
    this.messages.push(Buffer.from(message).toString('hex'));
    const respond = this.options.respond ?? ((m: Uint8Array) => Uint8Array.from([m[0] | 0x80, ...m.subarray(1)]));
    const answer = respond(message);
    if (this.options.splitAnswers && answer.length > 10) {
      this.queue(answer.subarray(0, 10), true);
      this.queue(answer.subarray(10), false);
    } else {
      this.queue(answer, false);
    }
  }

  private queue(bytes: Uint8Array, forceShortEnd: boolean): void {
    for (let off = 0; off < bytes.length; off += PACKET) this.inPackets.push(bytes.slice(off, off + PACKET));
    if (bytes.length % PACKET === 0 && !forceShortEnd) this.inPackets.push(new Uint8Array(0)); // device-side ZLP
  }
}

export function backendOf(...devices: UsbCandidate[]): UsbBackend & { lists: number } {
  const b = {
    lists: 0,
    async listYubiHsms() {
      b.lists++;
      return devices;
    },
  };
  return b;
}
