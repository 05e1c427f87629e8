import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpParseError, ResponseParser } from '../../src/transport/http-response-parser.js';

const FIXED = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 6\r\n\r\n\x81\x00\x03abc', 'latin1');
const CHUNKED = Buffer.from(
  'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Request-ID: a\r\nX-Request-ID: b\r\n\r\n' +
    '2;name=val\r\n\x81\x00\r\n4\r\n\x03abc\r\n0\r\nTrailer: x\r\n\r\n',
  'latin1',
);

function parseInPieces(bytes: Buffer, cut: number[]): ResponseParser {
  const p = new ResponseParser(65538);
  let last = 0;
  let done = false;
  for (const c of [...cut, bytes.length]) {
    assert.equal(done, false, 'done before all bytes arrived');
    done = p.feed(bytes.subarray(last, c));
    last = c;
  }
  assert.equal(done, true);
  return p;
}

test('fixed-length and chunked answers parse the same whatever the split points', () => {
  for (const bytes of [FIXED, CHUNKED]) {
    for (let a = 1; a < bytes.length; a++) {
      for (const b of [a + 1, a + 7, bytes.length - 1]) {
        const cuts = b > a && b < bytes.length ? [a, b] : [a];
        const p = parseInPieces(bytes, cuts);
        assert.equal(p.status, 200);
        assert.equal(p.body().toString('hex'), '810003616263', `split at ${cuts}`);
        assert.equal(p.keepAlive, true);
        assert.equal(p.leftover, 0);
      }
    }
  }
  assert.equal(parseInPieces(CHUNKED, []).headers['x-request-id'], 'a, b');
});

test('keep-alive rules: HTTP/1.1 Connection: close, HTTP/1.0, close-delimited bodies', () => {
  const close = new ResponseParser(100);
  assert.ok(close.feed(Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')));
  assert.equal(close.keepAlive, false);
  const old = new ResponseParser(100);
  assert.ok(old.feed(Buffer.from('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n')));
  assert.equal(old.keepAlive, true);
  const untilClose = new ResponseParser(100);
  assert.equal(untilClose.feed(Buffer.from('HTTP/1.0 200 OK\r\n\r\nabc')), false);
  assert.equal(untilClose.feed(Buffer.from('def')), false);
  assert.equal(untilClose.end(), true);
  assert.equal(untilClose.body().toString(), 'abcdef');
  assert.equal(untilClose.keepAlive, false);
  const cut = new ResponseParser(100);
  assert.equal(cut.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab')), false);
  assert.equal(cut.end(), false, 'a short fixed-length body is not complete at EOF');
});

test('bytes after the answer are reported as leftover', () => {
  const p = new ResponseParser(100);
  assert.ok(p.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1')));
  assert.equal(p.leftover, 8);
});

test('malformed and oversized answers throw HttpParseError', () => {
  const bad = (text: string, reason: 'malformed' | 'too-large', max = 100): void => {
    assert.throws(
      () => new ResponseParser(max).feed(Buffer.from(text, 'latin1')),
      (e: unknown) => e instanceof HttpParseError && e.reason === reason,
      JSON.stringify(text.slice(0, 60)),
    );
  };
  bad('HTTP/2 200 OK\r\n\r\n', 'malformed');
  bad('HTTP/1.1 20 OK\r\n\r\n', 'malformed');
  bad('HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n', 'malformed');
  bad('HTTP/1.1 200 OK\r\n folded: x\r\n\r\n', 'malformed');
  bad('HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n', 'malformed');
  bad('HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n', 'malformed');
  bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'malformed');
  bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY', 'malformed');
  bad('HTTP/1.1 101 Switching Protocols\r\n\r\n', 'malformed');
  bad('HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n', 'too-large');
  bad('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n', 'too-large');
  bad(`HTTP/1.0 200 OK\r\n\r\n${'x'.repeat(101)}`, 'too-large');
  bad(`HTTP/1.1 200 OK\r\n${'X: y\r\n'.repeat(4000)}`, 'malformed');
  // Equal repeated Content-Length values are allowed (RFC 9110 8.6).
  assert.ok(new ResponseParser(100).feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\nz')));
});
