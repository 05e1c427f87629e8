/**
 * UsbBackend over the optional `usb` npm package (3.x, WebUSB-style API over nusb), loaded lazily so the rest of
 * hsm2kms works without it. Endpoint numbers are WebUSB numbers (1 for both 0x01 OUT and 0x81 IN).
 */
import { TransportError } from '../errors.js';
import { TransportErrorCode } from './errors.js';
import {
  USB_CONFIGURATION,
  USB_ENDPOINT_IN,
  USB_ENDPOINT_OUT,
  USB_INTERFACE,
  UsbTimeout,
  YUBIHSM_PRODUCT_ID,
  YUBIHSM_VENDOR_ID,
  type UsbBackend,
  type UsbCandidate,
  type UsbEndpoints,
} from './usb.js';

/** The part of the `usb` package's device object used here. */
interface NodeUsbDevice {
  vendorId: number;
  productId: number;
  deviceVersionMajor: number;
  deviceVersionMinor: number;
  deviceVersionSubminor: number;
  readonly serialNumber: string | null | undefined;
  readonly configuration: { configurationValue: number } | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  transferOut(endpoint: number, data: Uint8Array, timeout?: number): Promise<{ bytesWritten: number; status: string }>;
  transferIn(endpoint: number, length: number, timeout?: number): Promise<{ data?: DataView; status: string }>;
}

interface NodeUsbModule {
  usb?: { getDevices(): Promise<NodeUsbDevice[]> };
}

export type ModuleImporter = (name: string) => Promise<unknown>;

const defaultImporter: ModuleImporter = (name) => import(name);

/** Loads the `usb` package; a TransportError USB_UNAVAILABLE says how to get it when it is missing. */
export async function loadNodeUsbBackend(importer: ModuleImporter = defaultImporter): Promise<UsbBackend> {
  let mod: NodeUsbModule;
  try {
    const loaded = (await importer('usb')) as NodeUsbModule & { default?: NodeUsbModule };
    mod = loaded.usb ? loaded : (loaded.default ?? {});
  } catch (e) {
    throw new TransportError(
      TransportErrorCode.USB_UNAVAILABLE,
      'Direct USB needs the optional `usb` package, which is not installed or does not load on this platform; ' +
        'install it (npm install usb) or use yubihsm-connector (http://127.0.0.1:12345).',
      { cause: e },
    );
  }
  const usb = mod.usb;
  if (!usb || typeof usb.getDevices !== 'function') {
    throw new TransportError(
      TransportErrorCode.USB_UNAVAILABLE,
      'The installed `usb` package has no WebUSB-style `usb.getDevices()`; install usb 3.x or use yubihsm-connector.',
    );
  }
  return {
    async listYubiHsms(): Promise<UsbCandidate[]> {
      const devices = await usb.getDevices();
      return devices
        .filter((d) => d.vendorId === YUBIHSM_VENDOR_ID && d.productId === YUBIHSM_PRODUCT_ID)
        .map((d) => candidate(d));
    },
  };
}

function candidate(device: NodeUsbDevice): UsbCandidate {
  let serialNumber: string | undefined;
  try {
    serialNumber = device.serialNumber ?? undefined;
  } catch {
    serialNumber = undefined; // reading the string descriptor can need permissions we lack
  }
  const bcdDevice =
    ((device.deviceVersionMajor & 0xff) << 8) | ((device.deviceVersionMinor & 0xf) << 4) | (device.deviceVersionSubminor & 0xf);
  return {
    info: { serialNumber, bcdDevice },
    async open(): Promise<UsbEndpoints> {
      await device.open();
      try {
        let current: number | undefined;
        try {
          current = device.configuration?.configurationValue;
        } catch {
          current = undefined;
        }
        if (current !== USB_CONFIGURATION) await device.selectConfiguration(USB_CONFIGURATION);
        await device.claimInterface(USB_INTERFACE);
      } catch (e) {
        await device.close().catch(() => undefined);
        throw e;
      }
      return endpoints(device);
    },
  };
}

function endpoints(device: NodeUsbDevice): UsbEndpoints {
  const outNumber = USB_ENDPOINT_OUT & 0x7f;
  const inNumber = USB_ENDPOINT_IN & 0x7f;
  return {
    async transferOut(data, timeoutMs) {
      try {
        const r = await device.transferOut(outNumber, data, timeoutMs);
        if (r.status !== 'ok') throw new Error(`bulk OUT ${r.status}`);
        return r.bytesWritten;
      } catch (e) {
        throw classify(e);
      }
    },
    async transferIn(maxLength, timeoutMs) {
      try {
        const r = await device.transferIn(inNumber, maxLength, timeoutMs);
        if (r.status !== 'ok' || !r.data) throw new Error(`bulk IN ${r.status}`);
        return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
      } catch (e) {
        throw classify(e);
      }
    },
    async close() {
      await device.releaseInterface(USB_INTERFACE).catch(() => undefined);
      await device.close();
    },
  };
}

/** nusb reports a timed-out transfer as cancelled. */
function classify(e: unknown): Error {
  const message = e instanceof Error ? e.message : String(e);
  if (/cancel|timed? ?out/i.test(message)) return new UsbTimeout(message);
  return e instanceof Error ? e : new Error(message);
}
