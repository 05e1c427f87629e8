/**
 * Opens the transport a URL names: `http://` / `https://` -> yubihsm-connector (status checked), `yhusb://` ->
 * direct USB. The in-process transport has no URL; construct InProcessTransport with the device's frame handler.
 */
import { UsageError } from '../errors.js';
import { DEFAULT_CONNECTOR_URL, HttpConnectorTransport, type HttpConnectorOptions } from './http-connector.js';
import type { Transport } from './transport.js';
import type { UsbTransportOptions } from './usb.js';

export interface OpenTransportOptions {
  /** Options for http(s) URLs (the URL itself comes from the first argument). */
  http?: Omit<HttpConnectorOptions, 'url'>;
  /** Options for yhusb URLs. */
  usb?: Omit<UsbTransportOptions, 'url'>;
}

export async function openTransport(url: string = DEFAULT_CONNECTOR_URL, options: OpenTransportOptions = {}): Promise<Transport> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return HttpConnectorTransport.connect({ ...options.http, url });
  if (scheme === 'yhusb') {
    const { UsbTransport } = await import('./usb.js');
    return UsbTransport.open({ ...options.usb, url });
  }
  throw new UsageError(
    'TRANSPORT_BAD_URL',
    `Device URL ${JSON.stringify(url.slice(0, 100))} is not supported; use http://127.0.0.1:12345 (yubihsm-connector or \`hsm2kms hsm serve\`) or yhusb:// (direct USB).`,
  );
}
