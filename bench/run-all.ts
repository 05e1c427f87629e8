/**
 * `npm run bench`: runs every benchmark one after another, each in its own process (they fork servers and must
 * not share a CPU with each other), and prints their figures as they go. The machine is shared and noisy: read
 * the ratios, and re-run before drawing conclusions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = [
  ['hsm-sign', 'authenticated ECDSA-P256 signs over HTTP to the software YubiHSM 2 vs raw node:crypto'],
  ['kms-server', 'local KMS: Sign/s through the SDK with SigV4, ImportKeyMaterial/s, raw sign/s'],
  ['ceremony', 'full P-256 ceremony, one command vs the seven seed steps as separate processes'],
  ['transport-http', 'connector HTTP round trips'],
  ['session-message', 'secure-channel cost per message'],
] as const;

const only = process.argv.slice(2);
let failed = 0;
for (const [name, what] of benches) {
  if (only.length && !only.includes(name)) continue;
  const file = join(here, `${name}.js`);
  if (!existsSync(file)) {
    process.stdout.write(`\n== ${name}: not built (${file} missing)\n`);
    continue;
  }
  process.stdout.write(`\n== ${name}: ${what}\n`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`== ${name} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
