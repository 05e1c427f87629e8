/**
 * Runs async jobs strictly one after another (PROTOCOL.md 8, client rule 5: one frame in flight per device).
 * A failing job does not stop the queue. Used by every transport and by the connector server's device mutex.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Number of jobs queued or running. */
  get size(): number {
    return this.pending;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(job);
    const done = (): void => {
      this.pending--;
    };
    // The next job waits for this one to settle either way; errors stay with this job's caller.
    this.tail = result.then(done, done);
    return result;
  }
}
