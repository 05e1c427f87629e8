/**
 * Wall time of the full P-256 ceremony on the embedded default (software YubiHSM 2 and local KMS, in-process):
 *  - `hsm2kms import` as one process (what a user runs; includes Node start-up and module loading);
 *  - the same seven seed steps as separate `hsm2kms` processes (hsm generate, hsm pubkey, kms create, kms params,
 *    hsm put-wrapkey, hsm wrap, kms import, kms sign, verify), each opening the embedded state again;
 *  - runCeremony in this process (the ceremony's own work, without process start-up);
 * each in a fresh directory, median of RUNS, plus the ratio. The embedded KMS's RSA-4096 wrapping key pair comes
 * from its cache (src/ceremony/wrapping-key-cache.ts), warmed by one untimed run first, as on any machine after
 * the first ceremony of the day. Target on the 2-core reference machine: the one-command ceremony under 2 s.
 * Run: `npx tsc -p . && node dist/bench/ceremony.js [runs]`. The machine is shared: re-run before concluding.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../src/ceremony/config.js';
import { runCeremony } from '../src/ceremony/runner.js';

const RUNS = Number(process.argv[2] ?? 5);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'hsm2kms-bench-ceremony-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root, HSM2KMS_CACHE_DIR: join(root, 'cache') };
let n = 0;

function freshDir(): string {
  const d = join(root, `run-${++n}`);
  mkdirSync(d);
  return d;
}

/** Runs hsm2kms with `args` in `cwd`; returns its wall time in ms (throws if it fails). */
function hsm2kms(args: string[], cwd: string, extraEnv: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`hsm2kms ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return ms;
}

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s.at(-1)! };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const line = (label: string, xs: number[]) => {
  const s = stats(xs);
  return `${label.padEnd(44)} median ${fmt(s.median)}  (min ${fmt(s.min)}, max ${fmt(s.max)}, ${xs.length} runs)`;
};

const SEVEN_STEPS: Array<{ seed: string; cmd: string; args: (dir: string) => string[] }> = [
  { seed: '1 generate', cmd: 'hsm generate', args: () => [] },
  { seed: '1 get pubkey', cmd: 'hsm pubkey', args: () => ['key0x100.pub'] },
  { seed: '2 create the KMS key', cmd: 'kms create', args: () => [] },
  { seed: '2-3 import parameters', cmd: 'kms params', args: () => [] },
  { seed: '4 put the wrap key', cmd: 'hsm put-wrapkey', args: () => ['wrappingkey-aws.pem'] },
  { seed: '5 wrap', cmd: 'hsm wrap', args: () => ['key0x100-wrapped-aws.bin'] },
  { seed: '5 upload', cmd: 'kms import', args: (dir) => ['key0x100-wrapped-aws.bin', '--params', readdirSync(dir).find((f) => f.startsWith('Import_Parameters_'))!] },
  { seed: '6 sign', cmd: 'kms sign', args: () => ['message-aws.txt'] },
  { seed: '7 verify', cmd: 'verify', args: () => ['--pubkey', 'key0x100.pub', '--signature', 'message-aws.signature', 'message-aws.txt'] },
];

async function main(): Promise<void> {
  const stepsAvailable = SEVEN_STEPS.every((s) => spawnSync(process.execPath, [CLI, ...s.cmd.split(' '), '--help'], { env }).status === 0);
  process.stdout.write(`Warming up (one untimed run; fills the wrapping-key cache)...\n`);
  hsm2kms(['import'], freshDir());

  const one: number[] = [];
  for (let i = 0; i < RUNS; i++) one.push(hsm2kms(['import'], freshDir()));

  // The first ceremony on a machine (or after 24 h): the embedded KMS generates its RSA-4096 wrapping key pair.
  const cold: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) cold.push(hsm2kms(['import'], freshDir(), { HSM2KMS_CACHE_DIR: join(root, `cold-cache-${i}`) }));

  const inProcess: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = freshDir();
    const config = defaultConfig();
    config.workDir = join(dir, '.hsm2kms');
    config.outDir = join(dir, 'hsm2kms-out');
    const t0 = performance.now();
    await runCeremony({ config, env });
    inProcess.push(performance.now() - t0);
  }

  const seven: number[] = [];
  const perStep: number[][] = SEVEN_STEPS.map(() => []);
  if (stepsAvailable) {
    for (let i = 0; i < RUNS; i++) {
      const dir = freshDir();
      let total = 0;
      SEVEN_STEPS.forEach((s, k) => {
        const ms = hsm2kms([...s.cmd.split(' '), ...s.args(dir)], dir);
        perStep[k].push(ms);
        total += ms;
      });
      seven.push(total);
    }
  }

  const out: string[] = [''];
  out.push(line('hsm2kms import (one process)', one));
  out.push(line('  first run, no cached wrapping key pair', cold));
  out.push(line('runCeremony in-process (no Node start-up)', inProcess));
  if (stepsAvailable) {
    out.push(line(`seven seed steps, ${SEVEN_STEPS.length} hsm2kms processes`, seven));
    for (const [k, s] of SEVEN_STEPS.entries()) out.push(`  ${`seed ${s.seed}: hsm2kms ${s.cmd}`.padEnd(42)} median ${fmt(stats(perStep[k]).median)}`);
    out.push(`ratio seven-step processes / one command: ${(stats(seven).median / stats(one).median).toFixed(2)}x`);
  } else {
    out.push('seven seed steps: not available (hsm2kms hsm generate etc. are not in this build)');
  }
  const target = stats(one).median < 2000;
  out.push(`target (one-command ceremony under 2 s): ${target ? 'met' : 'NOT met'} (median ${fmt(stats(one).median)})`);
  process.stdout.write(out.join('\n') + '\n');
}

try {
  await main();
} finally {
  rmSync(root, { recursive: true, force: true });
}
