/**
 * Transport to a frame handler in this process, e.g. the software YubiHSM 2 (src/simulator). Frames are copied in
 * both directions, as a wire would, and one frame is in flight at a time, as on the device.
 */
import { TransportError } from '../errors.js';
import { TransportErrorCode, closedError } from './errors.js';
import { checkRequestFrame, checkResponseFrame } from './frame-check.js';
import { SerialQueue } from './serial-queue.js';
import type { Transport } from './transport.js';

/** Takes one whole command frame, answers one whole response frame (device error frames included). */
export type FrameHandler = (frame: Uint8Array) => Promise<Uint8Array>;

export interface InProcessOptions {
  /** Shown in messages; default `in-process device`. */
  description?: string;
}

export class InProcessTransport implements Transport {
  readonly description: string;
  private readonly queue = new SerialQueue();
  private closed = false;

  constructor(
    private readonly handler: FrameHandler,
    options: InProcessOptions = {},
  ) {
    this.description = options.description ?? 'in-process device';
  }

  async send(frame: Uint8Array): Promise<Uint8Array> {
    checkRequestFrame(frame);
    const request = frame.slice();
    return this.queue.run(async () => {
      if (this.closed) throw closedError(this.description);
      let answer: Uint8Array;
      try {
        answer = await this.handler(request);
      } catch (e) {
        throw new TransportError(
          TransportErrorCode.IN_PROCESS_HANDLER_FAILED,
          `${this.description} failed to answer a frame (${errorName(e)}); a device answers with an error frame, so ` +
            'this is a bug in the frame handler: report it with the command you ran.',
          { cause: e },
        );
      }
      if (!(answer instanceof Uint8Array)) {
        throw new TransportError(
          TransportErrorCode.IN_PROCESS_HANDLER_FAILED,
          `${this.description} answered something other than a Uint8Array; this is a bug in the frame handler.`,
        );
      }
      const response = new Uint8Array(answer);
      checkResponseFrame(response, this.description);
      return response;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function errorName(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${e.name} ${code}` : e.name;
  }
  return typeof e;
}
