/**
 * Direct USB transport to a YubiHSM 2 (PROTOCOL.md 2.2; libyubihsm yubihsm_libusb.c, python-yubihsm backends/usb.py,
 * yubihsm-connector usb_libusb.go): vendor 0x1050, product 0x0030, configuration 1, interface 0, bulk OUT 0x01 and
 * IN 0x81, 64-byte packets. A frame goes out as one bulk transfer, followed by a zero-length packet when its length
 * is a multiple of 64; the answer is one bulk IN transfer (ended by a short packet). Stale data is drained on open.
 *
 * The USB library sits behind UsbBackend/UsbEndpoints so this framing is testable without a device; the adapter
 * over the optional `usb` package is in usb-node.ts and is loaded only when needed.
 */
import { TransportError, UsageError } from '../errors.js';
import { TransportErrorCode, closedError } from './errors.js';
import { checkRequestFrame, checkResponseFrame } from './frame-check.js';
import { SerialQueue } from './serial-queue.js';
import type { Transport } from './transport.js';

export const YUBIHSM_VENDOR_ID = 0x1050;
export const YUBIHSM_PRODUCT_ID = 0x0030;
export const USB_CONFIGURATION = 1;
export const USB_INTERFACE = 0;
export const USB_ENDPOINT_OUT = 0x01;
export const USB_ENDPOINT_IN = 0x81;
/** Full-speed bulk max packet size. */
export const USB_PACKET_SIZE = 64;
/** Bytes requested per IN transfer: at least 3136 + 3 (libyubihsm uses 3139, the connector 8192). */
export const USB_READ_SIZE = 8192;
/** Timeout of the read that drains stale data on open (python-yubihsm: 10 ms, connector: 1 ms). */
export const USB_DRAIN_TIMEOUT_MS = 10;
/** Default per-transfer timeout, as for HTTP: 10 minutes, room for RSA key generation (python-yubihsm uses 300 s). */
export const DEFAULT_USB_TIMEOUT_MS = 600_000;

/** Descriptor facts read before opening. */
export interface UsbDeviceInfo {
  /** iSerialNumber string (the device serial in decimal, zero-padded), undefined if unreadable. */
  serialNumber: string | undefined;
  /** bcdDevice from the device descriptor; the firmware version in nibbles. */
  bcdDevice: number;
}

/** An opened, claimed YubiHSM 2 interface. Errors thrown are Errors; a timed-out transfer throws UsbTimeout. */
export interface UsbEndpoints {
  /** One bulk OUT transfer on 0x01 (an empty array sends a zero-length packet); resolves with the bytes written. */
  transferOut(data: Uint8Array, timeoutMs: number): Promise<number>;
  /** One bulk IN transfer on 0x81 of at most `maxLength` bytes; it ends on a short packet. */
  transferIn(maxLength: number, timeoutMs: number): Promise<Uint8Array>;
  /** Releases the interface and closes the device. */
  close(): Promise<void>;
}

export interface UsbCandidate {
  readonly info: UsbDeviceInfo;
  /** Opens the device, selects configuration 1 and claims interface 0. */
  open(): Promise<UsbEndpoints>;
}

export interface UsbBackend {
  /** Attached devices with vendor 0x1050 and product 0x0030, in bus order. */
  listYubiHsms(): Promise<UsbCandidate[]>;
}

/** Thrown by UsbEndpoints when a transfer times out. */
export class UsbTimeout extends Error {
  constructor(message = 'USB transfer timed out') {
    super(message);
  }
}

export interface UsbUrl {
  /** Requested device serial; undefined = the first YubiHSM 2 found. */
  serial: number | undefined;
}

/**
 * Parses `yhusb://` and `yhusb://serial=<decimal>` (other `&`-separated options are ignored, as libyubihsm does;
 * its lib/tests/test_usb_url.c cases hold here too: `serial=0001234` is 1234; `0x1234`, `FF`, `1234foo` and an
 * empty value are refused).
 */
export function parseUsbUrl(text: string): UsbUrl {
  const bad = (why: string): UsageError =>
    new UsageError('USB_BAD_URL', `USB URL ${JSON.stringify(text.slice(0, 100))} ${why}; use yhusb:// or yhusb://serial=<decimal serial>.`);
  if (!text.startsWith('yhusb://')) throw bad('must start with yhusb://');
  const rest = text.slice('yhusb://'.length);
  let serial: number | undefined;
  if (rest.length > 0) {
    for (const part of rest.split('&')) {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      if (key !== 'serial') continue;
      const value = eq < 0 ? '' : part.slice(eq + 1);
      if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff) throw bad('has a serial that is not a decimal number');
      serial = Number(value);
    }
  }
  // libyubihsm treats serial 0 as "any device".
  return { serial: serial === 0 ? undefined : serial };
}

/** Firmware version from bcdDevice, decoded as python-yubihsm does: `(v>>8)&0xF`, `(v>>4)&0xF`, `v&0xF`. */
export function decodeBcdFirmware(bcdDevice: number): { major: number; minor: number; patch: number } {
  return { major: (bcdDevice >> 8) & 0xf, minor: (bcdDevice >> 4) & 0xf, patch: bcdDevice & 0xf };
}

/** The serial number from an iSerialNumber string, or undefined if it is not decimal. */
export function parseUsbSerial(serialNumber: string | undefined): number | undefined {
  if (serialNumber === undefined) return undefined;
  const s = serialNumber.trim();
  return /^\d{1,10}$/.test(s) ? Number(s) : undefined;
}

export interface UsbTransportOptions {
  /** `yhusb://` or `yhusb://serial=N`; overridden by `serial`. */
  url?: string;
  serial?: number;
  /** Per-transfer timeout (default 10 minutes). */
  timeoutMs?: number;
  /** The USB library; default: the optional `usb` package. */
  backend?: UsbBackend;
}

export class UsbTransport implements Transport {
  readonly description: string;
  /** Serial number of the opened device (from its descriptor), if readable. */
  readonly serial: number | undefined;
  /** Firmware version from bcdDevice. */
  readonly firmware: { major: number; minor: number; patch: number };
  private readonly queue = new SerialQueue();
  private endpoints: UsbEndpoints | null;
  private closed = false;

  private constructor(
    private readonly backend: UsbBackend,
    info: UsbDeviceInfo,
    endpoints: UsbEndpoints,
    private readonly timeoutMs: number,
  ) {
    this.endpoints = endpoints;
    this.serial = parseUsbSerial(info.serialNumber);
    this.firmware = decodeBcdFirmware(info.bcdDevice);
    this.description = `YubiHSM 2 over USB${this.serial === undefined ? '' : ` (serial ${this.serial})`}`;
  }

  /** Finds the device (first one, or the one with the requested serial), opens it and drains stale data. */
  static async open(options: UsbTransportOptions = {}): Promise<UsbTransport> {
    const wanted = options.serial ?? (options.url !== undefined ? parseUsbUrl(options.url).serial : undefined);
    const timeoutMs = options.timeoutMs ?? DEFAULT_USB_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError('USB_BAD_OPTION', `timeoutMs must be a positive number of milliseconds, got ${timeoutMs}.`);
    }
    const backend = options.backend ?? (await (await import('./usb-node.js')).loadNodeUsbBackend());
    const { candidate, endpoints } = await openMatching(backend, wanted);
    return new UsbTransport(backend, candidate.info, endpoints, timeoutMs);
  }

  async send(frame: Uint8Array): Promise<Uint8Array> {
    checkRequestFrame(frame);
    return this.queue.run(async () => {
      if (this.closed) throw closedError(this.description);
      let ep = await this.ensureOpen();
      try {
        await this.write(ep, frame);
      } catch (e) {
        if (e instanceof UsbTimeout) throw this.ioError(e, 'write');
        // Like libyubihsm and the connector: reopen the device and retry the write once.
        ep = await this.reopen();
        try {
          await this.write(ep, frame);
        } catch (e2) {
          await this.drop();
          throw this.ioError(e2, 'write');
        }
      }
      let answer: Uint8Array;
      try {
        answer = await this.read(ep);
      } catch (e) {
        await this.drop();
        throw this.ioError(e, 'read');
      }
      checkResponseFrame(answer, this.description);
      return answer;
    });
  }

  /** Closes the device at once; a transfer in flight fails with TRANSPORT_CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drop();
  }

  private async write(ep: UsbEndpoints, frame: Uint8Array): Promise<void> {
    const written = await ep.transferOut(frame, this.timeoutMs);
    if (written !== frame.length) throw new Error(`short write: ${written} of ${frame.length} bytes`);
    if (frame.length % USB_PACKET_SIZE === 0) {
      // The device sees the end of a transfer only at a short packet: terminate with a zero-length packet.
      await ep.transferOut(new Uint8Array(0), this.timeoutMs);
    }
  }

  /** One IN transfer normally holds the whole answer; keep reading only if the header promises more bytes. */
  private async read(ep: UsbEndpoints): Promise<Uint8Array> {
    let answer = await ep.transferIn(USB_READ_SIZE, this.timeoutMs);
    let emptyReads = 0;
    while (answer.length < 3 || answer.length < 3 + ((answer[1] << 8) | answer[2])) {
      const more = await ep.transferIn(USB_READ_SIZE, this.timeoutMs);
      if (more.length === 0 && ++emptyReads > 2) break;
      if (answer.length + more.length > USB_READ_SIZE) break;
      const joined = new Uint8Array(answer.length + more.length);
      joined.set(answer, 0);
      joined.set(more, answer.length);
      answer = joined;
    }
    // A plain Uint8Array view (a USB library may hand back a Buffer or a view on a larger buffer).
    return Object.getPrototypeOf(answer) === Uint8Array.prototype ? answer : new Uint8Array(answer.buffer, answer.byteOffset, answer.length);
  }

  private async ensureOpen(): Promise<UsbEndpoints> {
    return this.endpoints ?? this.reopen();
  }

  private async reopen(): Promise<UsbEndpoints> {
    await this.drop();
    const { endpoints } = await openMatching(this.backend, this.serial);
    this.endpoints = endpoints;
    return endpoints;
  }

  private async drop(): Promise<void> {
    const ep = this.endpoints;
    this.endpoints = null;
    if (ep) {
      try {
        await ep.close();
      } catch {
        // The device may be gone already.
      }
    }
  }

  private ioError(e: unknown, what: 'read' | 'write'): TransportError {
    if (this.closed) return closedError(this.description);
    if (e instanceof TransportError) return e;
    const detail = e instanceof Error ? e.message : String(e);
    if (e instanceof UsbTimeout) {
      return new TransportError(
        TransportErrorCode.USB_TIMEOUT,
        `USB ${what} to ${this.description} timed out after ${Math.round(this.timeoutMs / 1000)} s; the device may still be ` +
          'busy (RSA key generation takes minutes): raise the timeout, then reopen the session.',
        { cause: e },
      );
    }
    return new TransportError(
      TransportErrorCode.USB_IO,
      `USB ${what} to ${this.description} failed (${detail.slice(0, 120)}); check the cable, unplug and replug the device, then reopen the session.`,
      { cause: e },
    );
  }
}

/** Lists YubiHSM 2 devices, picks one (by serial if given), opens it and drains stale data. */
async function openMatching(
  backend: UsbBackend,
  wanted: number | undefined,
): Promise<{ candidate: UsbCandidate; endpoints: UsbEndpoints }> {
  let candidates: UsbCandidate[];
  try {
    candidates = await backend.listYubiHsms();
  } catch (e) {
    if (e instanceof TransportError) throw e;
    throw new TransportError(
      TransportErrorCode.USB_ENUMERATION_FAILED,
      `Cannot list USB devices (${(e instanceof Error ? e.message : String(e)).slice(0, 120)}); run on a machine with USB ` +
        'access, or use yubihsm-connector (http://127.0.0.1:12345).',
      { cause: e },
    );
  }
  if (candidates.length === 0) {
    throw new TransportError(
      TransportErrorCode.USB_NO_DEVICE,
      'No YubiHSM 2 (USB 1050:0030) is attached; plug it in (on Linux, install Yubico\'s udev rule for access), or use yubihsm-connector.',
    );
  }
  const matching = wanted === undefined ? candidates : candidates.filter((c) => parseUsbSerial(c.info.serialNumber) === wanted);
  if (matching.length === 0) {
    const seen = candidates.map((c) => parseUsbSerial(c.info.serialNumber) ?? 'unreadable').join(', ');
    throw new TransportError(
      TransportErrorCode.USB_SERIAL_NOT_FOUND,
      `No attached YubiHSM 2 has serial ${wanted} (found: ${seen}); pick one of those serials or plug in the right device.`,
    );
  }
  let lastError: unknown;
  for (const candidate of matching) {
    let endpoints: UsbEndpoints;
    try {
      endpoints = await candidate.open();
    } catch (e) {
      lastError = e;
      continue;
    }
    try {
      await endpoints.transferIn(USB_READ_SIZE, USB_DRAIN_TIMEOUT_MS);
    } catch {
      // Nothing stale to read: the usual case (the drain read times out).
    }
    return { candidate, endpoints };
  }
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  throw new TransportError(
    TransportErrorCode.USB_OPEN_FAILED,
    `Cannot open the YubiHSM 2 (${detail.slice(0, 120)}); stop yubihsm-connector or any other program using it, and on ` +
      'Linux install Yubico\'s udev rule for access.',
    { cause: lastError },
  );
}

/** Opens a direct USB transport (see UsbTransport.open). */
export function openUsbTransport(options: UsbTransportOptions = {}): Promise<UsbTransport> {
  return UsbTransport.open(options);
}
