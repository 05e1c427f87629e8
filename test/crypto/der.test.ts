import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  derBitString,
  derBoolean,
  DerError,
  derExplicit,
  derGeneralizedTime,
  derImplicit,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSetOf,
  derTime,
  derUnsignedInteger,
  derUtcTime,
  derUtf8String,
  Tag,
} from '../../src/crypto/der.js';
import {
  derDecode,
  DerReader,
  derSequenceReader,
  integerFromContent,
  oidFromContent,
} from '../../src/crypto/der-reader.js';
import { pemDecode, pemEncode } from '../../src/crypto/pem.js';
import { hexBytes, isCoded, toHex } from './asym-helpers.js';

test('INTEGER encodings are minimal two’s complement (X.690 8.3)', () => {
  const cases: [bigint, string][] = [
    [0n, '020100'], [1n, '020101'], [127n, '02017f'], [128n, '02020080'], [255n, '020200ff'], [256n, '02020100'],
    [-1n, '0201ff'], [-128n, '020180'], [-129n, '0202ff7f'], [-256n, '0202ff00'], [65537n, '0203010001'],
  ];
  for (const [v, h] of cases) {
    assert.equal(toHex(derInteger(v)), h, `encode ${v}`);
    assert.equal(integerFromContent(derDecode(hexBytes(h)).content), v, `decode ${h}`);
  }
  assert.equal(toHex(derUnsignedInteger(hexBytes('0000ff01'))), '020300ff01');
  assert.equal(toHex(derUnsignedInteger(hexBytes('7f'))), '02017f');
  assert.equal(toHex(derUnsignedInteger(hexBytes('0000'))), '020100');
});

test('OBJECT IDENTIFIER encodings (X.690 8.19 and well-known OIDs)', () => {
  const cases: [string, string][] = [
    ['1.2.840.113549.1.1.1', '06092a864886f70d010101'],
    ['1.2.840.10045.3.1.7', '06082a8648ce3d030107'],
    ['1.3.101.112', '06032b6570'],
    ['2.999.3', '0603883703'],
    ['1.3.6.1.4.1.41482.4.1', '060a2b0601040182c40a0401'],
    ['1.3.36.3.3.2.8.1.1.13', '06092b240303020801010d'],
  ];
  for (const [oid, h] of cases) {
    assert.equal(toHex(derOid(oid)), h, oid);
    assert.equal(oidFromContent(derDecode(hexBytes(h)).content), oid);
  }
  assert.throws(() => derOid('1.40'), RangeError);
  assert.throws(() => derOid('1.02.3'), RangeError);
});

test('strings, BIT STRING, BOOLEAN, NULL, SET OF, tags and lengths', () => {
  assert.equal(toHex(derBitString(hexBytes('0a3b5f291cd0'), 4)), '0307040a3b5f291cd0'); // X.690 8.6.4.2 example
  assert.equal(toHex(derBoolean(true)), '0101ff');
  assert.equal(toHex(derBoolean(false)), '010100');
  assert.equal(toHex(derNull()), '0500');
  assert.equal(toHex(derPrintableString('US')), '13025553');
  assert.equal(toHex(derUtf8String('é')), '0c02c3a9');
  assert.throws(() => derPrintableString('a@b'), RangeError);
  assert.equal(toHex(derSetOf(hexBytes('020102'), hexBytes('020101'))), '3106020101020102');
  assert.equal(toHex(derExplicit(1, derNull())), 'a1020500');
  assert.equal(toHex(derImplicit(2, hexBytes('ab'))), '8201ab');
  assert.equal(toHex(derOctetString(new Uint8Array(0x80))).slice(0, 6), '048180');
  assert.equal(toHex(derOctetString(new Uint8Array(0x100))).slice(0, 8), '04820100');
  assert.equal(toHex(derSequence(derInteger(1), derNull())), '30050201010500');
});

test('times: UTCTime to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5)', () => {
  assert.equal(toHex(derUtcTime(new Date('2017-01-01T00:00:00Z'))), '170d3137303130313030303030305a');
  assert.equal(toHex(derGeneralizedTime(new Date('2071-10-05T00:00:00Z'))), '180f32303731313030353030303030305a');
  assert.equal(derTime(new Date('2049-12-31T23:59:59Z'))[0], Tag.UTC_TIME);
  assert.equal(derTime(new Date('2050-01-01T00:00:00Z'))[0], Tag.GENERALIZED_TIME);
  const r = new DerReader(hexBytes('170d3530303130313030303030305a180f32303731313030353030303030305a'));
  assert.equal(r.time('a').toISOString(), '1950-01-01T00:00:00.000Z');
  assert.equal(r.time('b').toISOString(), '2071-10-05T00:00:00.000Z');
  r.end();
  assert.throws(() => derUtcTime(new Date('2017-01-01T00:00:00.500Z')), RangeError);
});

test('strict decoding rejects non-DER input with stable codes', () => {
  const bad: [string, string][] = [
    ['04800000', 'DER_INDEFINITE_LENGTH'],
    ['048105' + '00'.repeat(5), 'DER_NON_MINIMAL_LENGTH'],
    ['04820080' + '00'.repeat(0x80), 'DER_NON_MINIMAL_LENGTH'],
    ['0485' + '01'.repeat(5), 'DER_LENGTH_TOO_LARGE'],
    ['0202007f', 'DER_NON_MINIMAL_INTEGER'],
    ['0202ff80', 'DER_NON_MINIMAL_INTEGER'],
    ['0200', 'DER_BAD_INTEGER'],
    ['03020101', 'DER_BAD_BIT_STRING'],
    ['030101', 'DER_BAD_BIT_STRING'],
    ['0300', 'DER_BAD_BIT_STRING'],
    ['030208ff', 'DER_BAD_BIT_STRING'],
    ['050100', 'DER_BAD_NULL'],
    ['06028001', 'DER_BAD_OID'],
    ['060181', 'DER_BAD_OID'],
    ['010101', 'DER_BAD_BOOLEAN'],
    ['1000', 'DER_BAD_TAG'],
    ['2400', 'DER_BAD_TAG'],
    ['1f2200', 'DER_UNSUPPORTED_TAG'],
    ['040501', 'DER_TRUNCATED'],
    ['04', 'DER_TRUNCATED'],
    ['050000', 'DER_TRAILING_BYTES'],
    ['', 'DER_TRUNCATED'],
  ];
  for (const [h, code] of bad) {
    assert.throws(() => derDecode(hexBytes(h)), (e: unknown) => e instanceof DerError && e.code === code && e.deviceCode === 0x02, `${h} -> ${code}`);
  }
  // Nested errors are found when the reader reaches them.
  const r = derSequenceReader(hexBytes('30040202007f'), 'Thing');
  assert.throws(() => r.integer('x'), isCoded('DER_NON_MINIMAL_INTEGER', /^Thing: x: INTEGER is not in its minimal encoding\.$/));
  assert.throws(() => derSequenceReader(hexBytes('3003020101'), 'Thing').oid('algorithm'), isCoded('DER_UNEXPECTED_TAG', /^Thing: algorithm must be OBJECT IDENTIFIER, got INTEGER\.$/));
  assert.throws(() => derSequenceReader(hexBytes('30060201010201'), 'T'), isCoded('DER_TRUNCATED'));
  const extra = derSequenceReader(hexBytes('3006020101020102'), 'Thing');
  extra.integer('a');
  assert.throws(() => extra.end(), isCoded('DER_TRAILING_BYTES', /^Thing: unexpected INTEGER after the last expected field\.$/));
  assert.throws(() => new DerReader(hexBytes('170d3137303233303030303030305a')).time('t'), isCoded('DER_BAD_TIME'));
  const offset = Buffer.from('1701010000+0000');
  assert.throws(() => new DerReader(Uint8Array.from([0x17, offset.length, ...offset])).time('t'), isCoded('DER_BAD_TIME'));
  assert.equal(toHex(new DerReader(hexBytes('02020080')).unsignedInteger('n')), '80');
  assert.throws(() => new DerReader(hexBytes('0201ff')).unsignedInteger('n'), isCoded('DER_NEGATIVE_INTEGER'));
});

test('PEM round trip and errors', () => {
  const der = hexBytes('3003020101');
  const pem = pemEncode('TEST', der);
  assert.equal(pem, '-----BEGIN TEST-----\nMAMCAQE=\n-----END TEST-----\n');
  assert.deepEqual(pemDecode('junk\n' + pem, 'TEST'), { label: 'TEST', der });
  assert.throws(() => pemDecode(pem, 'PRIVATE KEY'), isCoded('PEM_NOT_FOUND'));
  assert.throws(() => pemDecode('-----BEGIN X-----\nM$AMCAQE=\n-----END X-----'), isCoded('PEM_BAD_BASE64'));
});

test('property: INTEGER, OID, OCTET STRING and nested SEQUENCE round trip', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 600n), max: 1n << 600n }), (v) => {
      const enc = derInteger(v);
      return integerFromContent(derDecode(enc).content) === v && new DerReader(enc).integer('v') === v;
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.bigInt({ min: 0n, max: 1n << 70n }), { maxLength: 8 }), (a, b, rest) => {
      const oid = [a, b, ...rest].join('.');
      return oidFromContent(derDecode(derOid(oid)).content) === oid;
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70000 }), (bytes) => {
      const el = derDecode(derSequence(derOctetString(bytes), derNull()));
      const r = new DerReader(el.content);
      const back = r.octetString('x');
      r.null('n');
      r.end();
      return Buffer.from(back).equals(Buffer.from(bytes));
    }),
    { numRuns: 30 },
  );
});

test('GeneralizedTime before year 100 and leap days', () => {
  const t = (s: string, tag = Tag.GENERALIZED_TIME) => new DerReader(Uint8Array.from([tag, s.length, ...Buffer.from(s)])).time('t').toISOString();
  assert.equal(t('00500102030405Z'), '0050-01-02T03:04:05.000Z');
  assert.equal(t('20240229000000Z'), '2024-02-29T00:00:00.000Z');
  assert.throws(() => t('20230229000000Z'), isCoded('DER_BAD_TIME'));
  assert.throws(() => t('20230101000060Z'), isCoded('DER_BAD_TIME'));
  assert.throws(() => t('20230101000000.5Z'), isCoded('DER_BAD_TIME'));
  assert.equal(toHex(derGeneralizedTime(new Date(Date.UTC(2024, 1, 29)))), toHex(Uint8Array.from([0x18, 15, ...Buffer.from('20240229000000Z')])));
});
