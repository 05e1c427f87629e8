import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessTransport } from '../../src/transport/in-process.js';
import { TransportError, UsageError } from '../../src/errors.js';
import { echoHandler, expectedEcho, frameOf } from './helpers.js';

test('frames reach the handler and answers come back as copies', async () => {
  let kept: Uint8Array | undefined;
  const answerBuffer = Uint8Array.from(Buffer.from('8100024142', 'hex'));
  const t = new InProcessTransport(async (f) => {
    kept = f;
    return answerBuffer;
  });
  const request = Uint8Array.from(Buffer.from('0100024142', 'hex'));
  const answer = await t.send(request);
  assert.equal(Buffer.from(answer).toString('hex'), '8100024142');
  request.fill(0); // the caller wipes its buffer: the handler's copy is untouched
  assert.equal(Buffer.from(kept!).toString('hex'), '0100024142');
  answerBuffer.fill(0); // the handler reuses its buffer: the caller's answer is untouched
  assert.equal(Buffer.from(answer).toString('hex'), '8100024142');
  assert.equal(t.description, 'in-process device');
});

test('one frame in flight even when callers do not wait', async () => {
  let inFlight = 0;
  let max = 0;
  const order: number[] = [];
  const t = new InProcessTransport(
    async (f) => {
      inFlight++;
      max = Math.max(max, inFlight);
      order.push(f[3]);
      await new Promise((r) => setTimeout(r, f[3] % 3));
      inFlight--;
      return echoHandler(f);
    },
    { description: 'software YubiHSM 2' },
  );
  const frames = Array.from({ length: 30 }, (_, i) => frameOf(0x01, 1, () => i));
  const answers = await Promise.all(frames.map((f) => t.send(f)));
  answers.forEach((a, i) => assert.deepEqual(a, expectedEcho(frames[i])));
  assert.equal(max, 1);
  assert.deepEqual(order, frames.map((_, i) => i), 'first in, first out');
});

test('a throwing handler is IN_PROCESS_HANDLER_FAILED and the next frame still works', async () => {
  let fail = true;
  const t = new InProcessTransport(async (f) => {
    if (fail) {
      fail = false;
      throw Object.assign(new TypeError('boom'), { code: 'X_Y' });
    }
    return echoHandler(f);
  });
  await assert.rejects(t.send(frameOf(1, 0)), (e: unknown) => {
    assert.ok(e instanceof TransportError);
    assert.equal(e.code, 'IN_PROCESS_HANDLER_FAILED');
    assert.equal(
      e.message,
      'in-process device failed to answer a frame (TypeError X_Y); a device answers with an error frame, so this is a bug in the frame handler: report it with the command you ran.',
    );
    return true;
  });
  assert.equal(Buffer.from(await t.send(frameOf(1, 0))).toString('hex'), '810000');
});

test('answers that are not one whole frame are TRANSPORT_BAD_RESPONSE_FRAME', async () => {
  const answers = [Uint8Array.of(0x81, 0x00), Uint8Array.of(0x81, 0x00, 0x02, 0x01)];
  const t = new InProcessTransport(async () => answers.shift()!);
  await assert.rejects(t.send(frameOf(1, 0)), {
    code: 'TRANSPORT_BAD_RESPONSE_FRAME',
    message: 'in-process device answered 2 bytes, less than a frame header; check that it is a YubiHSM 2 (or a faithful simulator), then retry.',
  });
  await assert.rejects(t.send(frameOf(1, 0)), {
    code: 'TRANSPORT_BAD_RESPONSE_FRAME',
    message: 'in-process device answered a frame whose length field says 2 payload bytes but 1 arrived; reopen the session and retry.',
  });
});

test('bad request frames are refused before the handler; send after close is TRANSPORT_CLOSED', async () => {
  let calls = 0;
  const t = new InProcessTransport(async (f) => (calls++, echoHandler(f)));
  await assert.rejects(t.send(new Uint8Array(2)), (e: unknown) => e instanceof UsageError && e.code === 'TRANSPORT_BAD_FRAME');
  await assert.rejects(t.send(Uint8Array.of(1, 0, 0, 7)), { code: 'TRANSPORT_BAD_FRAME' });
  assert.equal(calls, 0);
  await t.close();
  await assert.rejects(t.send(frameOf(1, 0)), { code: 'TRANSPORT_CLOSED' });
  assert.equal(calls, 0);
});
