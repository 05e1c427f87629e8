/**
 * Test harness for the client: the software YubiHSM 2 reached in-process (through a transport that can drop,
 * tamper with or replay frames) or over real HTTP on loopback (connector server on 127.0.0.1, port 0).
 * Everything started here is stopped by `close()`.
 */
import { YubiHsm, type HsmSession, type SessionOptions } from '../../src/client/index.js';
import { TransportError } from '../../src/errors.js';
import { startConnectorServer, type ConnectorServer } from '../../src/simulator/connector-server.js';
import { SoftwareYubiHsm, type SoftwareYubiHsmOptions } from '../../src/simulator/device.js';
import { HttpConnectorTransport } from '../../src/transport/http-connector.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import type { Transport } from '../../src/transport/transport.js';

export const DEFAULT_AUTH = { authKeyId: 1, password: 'password' } as const;

/** The factory credentials unless the options bring their own. */
function withDefaults(options: Partial<SessionOptions>): SessionOptions {
  const own = options.password !== undefined || options.keys !== undefined || options.privateKey !== undefined;
  return (own ? { authKeyId: 1, ...options } : { ...DEFAULT_AUTH, ...options }) as SessionOptions;
}

/** Wraps a transport; tests queue faults that apply to the next frames. */
export class FaultyTransport implements Transport {
  readonly description = 'fault-injecting test transport';
  /** Frames sent so far (copies). */
  readonly sent: Uint8Array[] = [];
  private readonly faults: ((frame: Uint8Array) => Promise<Uint8Array> | undefined)[] = [];

  constructor(private readonly inner: Transport) {}

  /** The next frame's answer is altered by `f` (it reaches the device). */
  tamperNextResponse(f: (res: Uint8Array) => Uint8Array): void {
    this.faults.push((frame) => this.inner.send(frame).then((r) => f(r.slice())));
  }

  /** The next frame is altered by `f` before it reaches the device. */
  tamperNextRequest(f: (frame: Uint8Array) => Uint8Array): void {
    this.faults.push((frame) => this.inner.send(f(frame.slice())));
  }

  /** The next frame is lost before it reaches the device. */
  dropNextRequest(): void {
    this.faults.push(() => Promise.reject(new TransportError('TEST_DROPPED', 'frame dropped by the test transport')));
  }

  /** The next frame reaches the device but its answer is lost. */
  dropNextResponse(): void {
    this.faults.push((frame) =>
      this.inner.send(frame).then(() => Promise.reject(new TransportError('TEST_DROPPED', 'answer dropped by the test transport'))),
    );
  }

  /** Sends raw bytes to the device, bypassing faults (for replay tests). */
  raw(frame: Uint8Array): Promise<Uint8Array> {
    return this.inner.send(frame);
  }

  send(frame: Uint8Array): Promise<Uint8Array> {
    this.sent.push(frame.slice());
    const fault = this.faults.shift();
    return fault ? (fault(frame) as Promise<Uint8Array>) : this.inner.send(frame);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface InProcessRig {
  device: SoftwareYubiHsm;
  transport: FaultyTransport;
  hsm: YubiHsm;
  /** The device's clock (ms), when the rig was made with `clock: true`. */
  clock: { now: number };
  open(options?: Partial<SessionOptions>): Promise<HsmSession>;
  close(): Promise<void>;
}

export async function inProcessRig(o: { device?: SoftwareYubiHsmOptions; clock?: boolean } = {}): Promise<InProcessRig> {
  const clock = { now: 1_000_000 };
  const device = new SoftwareYubiHsm({ ...(o.clock ? { now: () => clock.now } : {}), ...o.device });
  const transport = new FaultyTransport(new InProcessTransport((f) => device.handle(f)));
  const hsm = await YubiHsm.connect({ transport });
  return {
    device,
    transport,
    hsm,
    clock,
    open: (options = {}) => hsm.openSession(withDefaults(options)),
    close: () => hsm.close(),
  };
}

export interface HttpRig {
  device: SoftwareYubiHsm;
  server: ConnectorServer;
  hsm: YubiHsm;
  /** The client's transport: the HTTP connector transport behind a fault-injecting wrapper. */
  transport: FaultyTransport;
  url: string;
  open(options?: Partial<SessionOptions>): Promise<HsmSession>;
  close(): Promise<void>;
}

/** The device behind a connector-compatible HTTP server on 127.0.0.1 (port 0), and a client connected to it. */
export async function httpRig(o: { device?: SoftwareYubiHsmOptions } = {}): Promise<HttpRig> {
  const device = new SoftwareYubiHsm(o.device);
  const server = await startConnectorServer({ handler: (f) => device.handle(f), host: '127.0.0.1', port: 0 });
  let hsm: YubiHsm;
  let transport: FaultyTransport;
  try {
    transport = new FaultyTransport(await HttpConnectorTransport.connect({ url: server.url }));
    hsm = await YubiHsm.connect({ transport });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    device,
    server,
    hsm,
    transport,
    url: server.url,
    open: (options = {}) => hsm.openSession(withDefaults(options)),
    async close() {
      await hsm.close();
      await server.close();
    },
  };
}
