/**
 * The journal file: a damaged one is refused with one line that says what to do (JOURNAL_CORRUPT / JOURNAL_VERSION),
 * never an internal error; a good one loads back as written.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { Journal } from '../../src/ceremony/journal.js';

const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('loads what it saved; a missing file is no journal', () => {
  const path = join(dir, 'good.json');
  assert.equal(Journal.load(path), undefined);
  const j = Journal.create(path, 'c-1', 'abc', ['preflight', 'hsm-generate-key']);
  j.begin('preflight');
  j.finish('preflight', 'ok');
  j.setFacts({ kmsKeyId: 'k' });
  const back = Journal.load(path)!;
  assert.equal(back.ceremonyId, 'c-1');
  assert.equal(back.step('preflight').status, 'done');
  assert.equal(back.step('preflight').attempts, 1);
  assert.equal(back.facts.kmsKeyId, 'k');
});

it('refuses damaged journals with one line that says what to do', () => {
  const good = { format: 'hsm2kms-journal', version: 1, ceremonyId: 'c', configSha256: 'x', createdAt: 't', updatedAt: 't', steps: { preflight: { status: 'done', attempts: 1 } }, facts: {} };
  const damaged = (path: string) => `Journal ${path} is damaged (steps, facts or ids missing or malformed); move it aside to start the ceremony afresh (every step re-checks the HSM and KMS).`;
  const cases: Array<[string, string | ((p: string) => string), string, (p: string) => string]> = [
    ['not-json', '{"format":', 'JOURNAL_CORRUPT', (p) => `Journal ${p} is not valid JSON; move it aside to start the ceremony afresh (every step re-checks the HSM and KMS).`],
    ['null', 'null', 'JOURNAL_CORRUPT', (p) => `${p} is not an hsm2kms journal; choose another --work-dir.`],
    ['array', '[]', 'JOURNAL_CORRUPT', (p) => `${p} is not an hsm2kms journal; choose another --work-dir.`],
    ['other-format', JSON.stringify({ ...good, format: 'x' }), 'JOURNAL_CORRUPT', (p) => `${p} is not an hsm2kms journal; choose another --work-dir.`],
    ['version', JSON.stringify({ ...good, version: 9 }), 'JOURNAL_VERSION', (p) => `Journal ${p} has version 9; this hsm2kms reads version 1.`],
    ['no-steps', JSON.stringify({ ...good, steps: undefined }), 'JOURNAL_CORRUPT', damaged],
    ['bad-step', JSON.stringify({ ...good, steps: { preflight: { status: 'weird', attempts: 1 } } }), 'JOURNAL_CORRUPT', damaged],
    ['null-facts', JSON.stringify({ ...good, facts: null }), 'JOURNAL_CORRUPT', damaged],
    ['no-id', JSON.stringify({ ...good, ceremonyId: 5 }), 'JOURNAL_CORRUPT', damaged],
  ];
  for (const [name, text, code, message] of cases) {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, typeof text === 'string' ? text : text(path));
    assert.throws(() => Journal.load(path), (e: Error & { code?: string }) => {
      assert.equal(e.code, code, name);
      assert.equal(e.message, message(path), name);
      return true;
    });
  }
  const asDir = join(dir, 'dir.json');
  mkdirSync(asDir);
  assert.throws(() => Journal.load(asDir), { code: 'JOURNAL_CORRUPT', message: `Journal ${asDir} is a directory; move it aside to start the ceremony afresh (every step re-checks the HSM and KMS).` });
});
