/**
 * The one interface between the client and a device: send one whole command frame, get one whole response
 * frame back. Implementations: yubihsm-connector HTTP, direct USB, and in-process to the software device.
 * A transport never interprets frames; errors reaching the device are TransportErrors.
 */
export interface Transport {
  /** Sends one frame and resolves with the device's response frame (device error frames included). */
  send(frame: Uint8Array): Promise<Uint8Array>;
  /** Releases sockets, USB handles, timers. Idempotent. */
  close(): Promise<void>;
  /** Human-readable target, e.g. `yubihsm-connector at http://127.0.0.1:12345`. Never contains secrets. */
  readonly description: string;
}
