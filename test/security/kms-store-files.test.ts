/**
 * The local KMS server's SQLite store holds imported plaintext key material: its directory is 0700 and kms.sqlite,
 * -wal, -shm and -journal are 0600 whatever the umask, and material that leaves the store (DeleteImportedKeyMaterial,
 * a deleted key) leaves the files too: no copy of its bytes stays behind in freed pages or the WAL.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateKeyCommand, DeleteImportedKeyMaterialCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { DAY, importMaterial, startTestKms } from '../kms/server/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'hsm2kms-security-store-'));
let oldUmask = 0;
before(() => {
  oldUmask = process.umask(0); // modes must not depend on a restrictive umask
});
after(() => {
  process.umask(oldUmask);
  rmSync(root, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;
// Distinct 32-byte patterns (hex literals), easy to find anywhere in a file.
const MATERIAL_A = Buffer.from('5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7', 'hex');
const MATERIAL_B = Buffer.from('a11ce0a11ce0a11ce0a11ce0a11ce0a11ce0a11ce0a11ce0a11ce0a11ce0a11c', 'hex');

function filesHolding(dir: string, needle: Buffer): string[] {
  return readdirSync(dir).filter((f) => readFileSync(join(dir, f)).includes(needle));
}

describe('the KMS server store files', () => {
  it('directory 0700, database and its -wal/-shm/-journal files 0600 under umask 0, while the server runs', async () => {
    const dataDir = join(root, 'modes', 'data');
    const t = await startTestKms({ dataDir });
    try {
      const key = await t.kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }));
      await importMaterial(t.kms, key.KeyMetadata!.KeyId!, MATERIAL_A);
      assert.equal(mode(dataDir), 0o700);
      assert.equal(mode(join(root, 'modes')), 0o700, 'parent directories it created too');
      const files = readdirSync(dataDir);
      assert.ok(files.includes('kms.sqlite'), files.join(','));
      for (const f of files) assert.equal(mode(join(dataDir, f)), 0o600, `${f} (files: ${files.join(', ')})`);
    } finally {
      await t.close();
    }
    for (const f of readdirSync(dataDir)) assert.equal(mode(join(dataDir, f)), 0o600, `${f} after close`);
  });

  it('deleted imported material and a deleted key leave no copy in kms.sqlite or its WAL', async () => {
    const dataDir = join(root, 'delete');
    const t = await startTestKms({ dataDir });
    try {
      const a = (await t.kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT' }))).KeyMetadata!.KeyId!;
      const b = (await t.kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT' }))).KeyMetadata!.KeyId!;
      await importMaterial(t.kms, a, MATERIAL_A);
      await importMaterial(t.kms, b, MATERIAL_B);
      // Control: the material is in the files while the keys hold it (else the test below could not fail).
      assert.ok(filesHolding(dataDir, MATERIAL_A).length > 0, 'material A stored');
      assert.ok(filesHolding(dataDir, MATERIAL_B).length > 0, 'material B stored');
      await t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: a }));
      await t.kms.send(new ScheduleKeyDeletionCommand({ KeyId: b, PendingWindowInDays: 7 }));
      t.advance(8 * DAY); // the key is deleted once its window has passed
      await assert.rejects(t.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: b })), (e: Error) => e.name === 'NotFoundException');
      assert.deepEqual(filesHolding(dataDir, MATERIAL_A), [], 'deleted material A while running');
    } finally {
      await t.close();
    }
    assert.ok(existsSync(join(dataDir, 'kms.sqlite')));
    assert.deepEqual(filesHolding(dataDir, MATERIAL_A), [], 'deleted material A after close');
    assert.deepEqual(filesHolding(dataDir, MATERIAL_B), [], 'deleted key B\'s material after close');
  });
});
