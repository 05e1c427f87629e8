/**
 * Regressions found by running yubihsm-shell (Yubico/yubihsm-shell, libyubihsm over HTTP) and its test scripts
 * (resources/tests/bash) against `hsm2kms hsm serve`. CI cannot run Yubico's shell, so each test replays the inner
 * frames the shell sent (copied from a frame trace, as hex) and checks the answer the scripts expect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, newDevice, openSession, unhex, type TestSession } from './helpers.js';

/** Sends one inner frame (code ‖ length ‖ payload) given as hex; returns the inner answer as hex. */
async function exchange(s: TestSession, code: string, payloadHex: string): Promise<string> {
  const length = (payloadHex.length / 2).toString(16).padStart(4, '0');
  return hex(await s.raw(unhex(code + length + payloadHex)));
}

const label = (text: string): string => hex(new TextEncoder().encode(text)).padEnd(80, '0');

test('ImportWrapped gives the re-created object the next sequence of its (type, id) (test_wrapkey.sh "Sequence")', async () => {
  const s = await openSession(newDevice());
  // put-wrap-key -i 0x200 -l wrapkey -d 1 -c export-wrapped,import-wrapped --delegated sign-ecdsa,exportable-under-wrap
  //   --in=000102030405060708090a0b0c0d0e0f  (aes128-ccm-wrap)
  assert.equal(
    await exchange(s, '4c', '0200' + label('wrapkey') + '0001' + '0000000000003000' + '1d' + '0000000000010080' + '000102030405060708090a0b0c0d0e0f'),
    'cc00020200',
  );
  // generate-asymmetric-key -i 100 -l eckey -d 1 -c exportable-under-wrap,sign-ecdsa -A ecp224: sequence 0.
  assert.equal(await exchange(s, '46', '0064' + label('eckey') + '0001' + '0000000000010080' + '2f'), 'c600020064');
  assert.equal(await exchange(s, '58', '006403'), 'd80000');
  // put-wrapped --wrap-id 0x200 --in key.wrapped: the blob the device exported for that key (header sequence 0).
  const blob = [
    '77b0f62146ae0123817e6a3b0ac0ede4789b45553ee4c7c82bc4bc0e005e797ac0bb0ee833fcaded594b99ed1e6360c8',
    'a692338b2176c88c9c3fbf153bd81dee0e6220b6b8bca2b038ed90f3c78c41b4dddd372167f8809129eab5f15d8b66a5',
    'bf08a5df75156a557fca031dae5a395311f97c830764e1fee63c5b51a46c4a5de7345abff9e1cfeb929d97a7432ec57a',
    '248ff303f5eb2f9d3fc43ebd41ffc0c42bb1db26e95515e182cbed27',
  ].join('');
  assert.equal(await exchange(s, '4b', '0200' + blob), 'cb0003030064');
  // get-object-info -i 100 -t asymmetric-key: the script wants "sequence: 1" and "origin: generated:imported_wrapped".
  assert.equal(
    await exchange(s, '4e', '006403'),
    'ce0042' + '0000000000010080' + '0064' + '0054' + '0001' + '03' + '2f' + '01' + '11' + label('eckey') + '0000000000000000',
  );
  // The second round (export, delete, import again) reads sequence 2.
  const again = await exchange(s, '4a', '0200030064');
  assert.equal(again.slice(0, 6), 'ca00ac');
  assert.equal(await exchange(s, '58', '006403'), 'd80000');
  assert.equal(await exchange(s, '4b', '0200' + again.slice(6)), 'cb0003030064');
  assert.equal((await exchange(s, '4e', '006403')).slice(6 + 2 * 16, 6 + 2 * 18), '0211');
});

test('the factory key can create an auth key with `-c all --delegated all` (cmdline_test.sh "Authentication Keys")', async () => {
  const d = newDevice();
  const s = await openSession(d);
  // put-authentication-key -i 0 -l authkey -d 1,2,3 -c all --delegated all --new-password foo123: the shell sends
  // all 64 capability bits for `all`; K-ENC ‖ K-MAC are PBKDF2("foo123", "Yubico", 10000).
  const keys = '31ca38e5b8d297cb8431381c8dff884ae5d782559098b01e955cc0d34a926624';
  const id = await exchange(s, '44', '0000' + label('authkey') + '0007' + 'ffffffffffffffff' + '26' + 'ffffffffffffffff' + keys);
  assert.match(id, /^c40002[0-9a-f]{4}$/);
  // "Login using new authentication key": a session with the new key reads the default key's info.
  const k = await openSession(d, parseInt(id.slice(6), 16), 'foo123');
  assert.equal((await exchange(k, '4e', '000102')).slice(0, 6 + 16), 'ce0042' + 'ffffffffffffffff');
  // The factory key itself carries the same 64 bits, delegated too (GetObjectInfo of key 1).
  const info = await exchange(s, '4e', '000102');
  assert.equal(info.slice(-16), 'ffffffffffffffff');
});

test('ImportWrapped keeps only the domains the wrap key has (wrapped_tests.sh put_yhwrapped_authkey_fail_domain)', async () => {
  const s = await openSession(newDevice());
  // put-wrap-key --object-id=0xdead --domains=2 --capabilities=all --delegated=all, a 24-byte key (aes192-ccm-wrap).
  assert.equal(
    await exchange(s, '4c', 'dead' + label('put_yhwrapped_authkey_fail_domain') + '0002' + 'ffffffffffffffff' + '29' + 'ffffffffffffffff' +
      'd227585965aafaa50f4f6d9c785cb1a360a78ad3fa2ff90b'),
    'cc0002dead',
  );
  // put-wrapped of a yubihsm-wrap blob: auth key 0xbeef, all domains, all capabilities and delegated.
  const blob = [
    '0f817d0b1211bfeb4e5ac93a1cb2a11049f1914f05de2a3563ce50801448bddc0346b64aa016fd7eb2eb87e0dd504df5',
    '25e593cb199ab666efa2ae941d35fb6a74a27c0fcbc311d468dfa787160de942376143a1bc6b193b68897ede90645755',
    'e412e08466ca682d36a1923553958a39a3a130b4964a81b946c661a4c0d34f33',
  ].join('');
  assert.equal(await exchange(s, '4b', 'dead' + blob), 'cb000302beef');
  // "Domains just get filtered": the script reads domains 2 back.
  assert.equal(
    await exchange(s, '4e', 'beef02'),
    'ce0042' + 'ffffffffffffffff' + 'beef' + '0028' + '0002' + '02' + '26' + '00' + '12' +
      label('put_yhwrapped_authkey_fail_domain') + 'ffffffffffffffff',
  );
});

test('ImportWrapped of an object that shares no domain with the wrap key is refused (INSUFFICIENT_PERMISSIONS) [I]', async () => {
  const key = '000102030405060708090a0b0c0d0e0f';
  const putWrapKey = (domains: string) =>
    '0010' + label('w') + domains + '0000000000003000' + '1d' + '0000000000010080' + key;
  // Device A: wrap key in domains 1 and 2 exports a domain-1 key.
  const a = await openSession(newDevice());
  assert.equal(await exchange(a, '4c', putWrapKey('0003')), 'cc00020010');
  assert.equal(await exchange(a, '46', '0064' + label('k') + '0001' + '0000000000010080' + '0c'), 'c600020064');
  const blob = await exchange(a, '4a', '0010030064');
  assert.equal(blob.slice(0, 2), 'ca');
  // Device B: the same wrap key, but only in domain 2.
  const b = await openSession(newDevice());
  assert.equal(await exchange(b, '4c', putWrapKey('0002')), 'cc00020010');
  assert.equal(await exchange(b, '4b', '0010' + blob.slice(6)), '7f000109');
  assert.equal(await exchange(b, '4e', '006403'), '7f00010b');
});
