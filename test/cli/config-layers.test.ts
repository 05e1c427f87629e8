/**
 * A ceremony file and flags together: flags override the file setting by setting, so naming the KMS target again on
 * the command line (`--kms aws`) keeps the file's Region and profile instead of silently falling back to the
 * environment's Region, which would create the key in another Region than the one the file names.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { parseCeremonyArgs } from '../../src/cli/ceremony-options.js';

const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-config-layers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('--kms over a ceremony file keeps its region and profile; --region still overrides it', () => {
  const file = join(dir, 'ceremony.yaml');
  writeFileSync(file, 'version: 1\nkms: { target: aws, region: eu-west-1, profile: prod }\n');
  assert.deepEqual(parseCeremonyArgs(['--config', file]).config.kms.target, { kind: 'aws', region: 'eu-west-1', profile: 'prod' });
  assert.deepEqual(parseCeremonyArgs(['--config', file, '--kms', 'aws']).config.kms.target, { kind: 'aws', region: 'eu-west-1', profile: 'prod' });
  assert.deepEqual(parseCeremonyArgs(['--config', file, '--kms', 'aws', '--region', 'us-west-2']).config.kms.target, { kind: 'aws', region: 'us-west-2', profile: 'prod' });
  assert.deepEqual(parseCeremonyArgs(['--config', file, '--kms', 'https://kms.example.test']).config.kms.target, { kind: 'endpoint', url: 'https://kms.example.test', region: 'eu-west-1', profile: 'prod' });
  assert.deepEqual(parseCeremonyArgs(['--config', file, '--kms', 'embedded']).config.kms.target, { kind: 'embedded' });
});
