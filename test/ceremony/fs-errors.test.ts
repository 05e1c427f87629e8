/** fileSystemError: Node's file-system refusals become one-line CeremonyErrors naming the file; anything else is left alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeremonyError } from '../../src/ceremony/errors.js';
import { fileSystemError } from '../../src/ceremony/fs-errors.js';

function errno(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, ${syscall} '${path}'`), { code, syscall, path });
}

test('EACCES on a temp file of an atomic write names the file it stands for', () => {
  const e = fileSystemError(errno('EACCES', 'open', 'out/.key0x100.pub.1234.0a1b2c3d.tmp'));
  assert.ok(e instanceof CeremonyError);
  assert.equal(e.code, 'FILE_NOT_WRITABLE');
  assert.equal(e.message, 'Cannot write out/key0x100.pub (EACCES: permission denied or read-only); make out writable or choose another --out or --work-dir, then re-run.');
  assert.equal(e.preflight, false);
});

test('EROFS on mkdir, ENOSPC on write, a custom hint', () => {
  const ro = fileSystemError(errno('EROFS', 'mkdir', '/mnt/ro/.hsm2kms'))!;
  assert.equal(ro.code, 'FILE_NOT_WRITABLE');
  assert.equal(ro.message, 'Cannot create the directory /mnt/ro/.hsm2kms (EROFS: permission denied or read-only); make /mnt/ro writable or choose another --out or --work-dir, then re-run.');
  const full = fileSystemError(errno('ENOSPC', 'write', 'w/journal.json'), 'choose another path')!;
  assert.equal(full.code, 'DISK_FULL');
  assert.equal(full.message, 'Cannot write w/journal.json (ENOSPC: no space left); free some space on that disk or choose another path, then re-run.');
});

test('a real ENOTDIR from node:fs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-fserr-'));
  try {
    writeFileSync(join(dir, 'f'), 'x');
    let caught: unknown;
    try {
      mkdirSync(join(dir, 'f', 'sub'), { recursive: true });
    } catch (e) {
      caught = e;
    }
    const e = fileSystemError(caught)!;
    assert.equal(e.code, 'FILE_SYSTEM_ERROR');
    assert.equal(e.message, `Cannot create the directory ${join(dir, 'f', 'sub')} (ENOTDIR: a part of the path is a file, not a directory); check that path or choose another --out or --work-dir, then re-run.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('not a file-system error: left alone', () => {
  assert.equal(fileSystemError(new Error('boom')), undefined);
  assert.equal(fileSystemError(Object.assign(new Error('x'), { code: 'ECONNREFUSED', syscall: 'connect' })), undefined);
  assert.equal(fileSystemError(errno('EPIPE', 'write', 'x')), undefined);
  assert.equal(fileSystemError('EACCES'), undefined);
  const already = new CeremonyError('X', 'y');
  assert.equal(fileSystemError(already), undefined);
});
