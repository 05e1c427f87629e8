import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConnectorStatus } from '../../src/transport/connector-status.js';

test('a yubihsm-connector status page parses field by field', () => {
  const s = parseConnectorStatus('status=OK\nserial=*\nversion=3.0.4\npid=4242\naddress=localhost\nport=12345\n');
  assert.deepEqual(s, {
    status: 'OK',
    serial: '*',
    version: '3.0.4',
    versionNumbers: { major: 3, minor: 0, patch: 4 },
    pid: 4242,
    address: 'localhost',
    port: 12345,
    fields: { status: 'OK', serial: '*', version: '3.0.4', pid: '4242', address: 'localhost', port: '12345' },
  });
});

test('NO_DEVICE, CRLF lines, unknown keys, odd versions', () => {
  const s = parseConnectorStatus('status=NO_DEVICE\r\nserial=0013200583\r\nversion=2.2.0-rc1\r\nextra=a=b\r\n')!;
  assert.equal(s.status, 'NO_DEVICE');
  assert.equal(s.serial, '0013200583');
  assert.deepEqual(s.versionNumbers, { major: 2, minor: 2, patch: 0 });
  assert.equal(s.fields.extra, 'a=b');
  assert.equal(s.pid, undefined);
  assert.equal(s.port, undefined);
  assert.equal(parseConnectorStatus('status=OK\nversion=3.0\n')!.versionNumbers, undefined);
  assert.equal(parseConnectorStatus('status=OK\npid=12x\n')!.pid, undefined);
});

test('a page without status= is not a status page', () => {
  assert.equal(parseConnectorStatus('<html><body>It works!</body></html>'), undefined);
  assert.equal(parseConnectorStatus(''), undefined);
});
