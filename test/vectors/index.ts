/** Loads the known-answer vectors kept in this folder (see README.md for their source). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file in test/vectors/ or dist/test/vectors/. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      const up = dirname(dir);
      if (up === dir) throw new Error('package.json not found above test/vectors');
      dir = up;
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadYubihsmVectors(): any {
  return JSON.parse(readFileSync(join(repoRoot(), 'test', 'vectors', 'yubihsm-vectors.json'), 'utf8'));
}
