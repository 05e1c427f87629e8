/**
 * Spawning the built CLI for the seed-step and air-gap tests: one process per command, asynchronously (so a KMS
 * server in the test process can answer it), with an environment free of the developer's AWS and HSM settings.
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const isTs = import.meta.url.endsWith('.ts');
export const MAIN = fileURLToPath(new URL(`../../src/cli/main.${isTs ? 'ts' : 'js'}`, import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Our environment without AWS or hsm2kms settings; the AWS config files point nowhere, so nothing real is reached. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    AWS_CONFIG_FILE: '/nonexistent/hsm2kms-test/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/hsm2kms-test/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('AWS_') || k.startsWith('HSM2KMS_') || k === 'NO_COLOR') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export function hsm2kms(args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, ...args], {
      cwd: o.cwd,
      env: o.env ?? cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs and insists on exit 0, showing both streams when it is not. */
export async function ok(args: string[], o: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  const r = await hsm2kms(args, o);
  if (r.code !== 0) throw new Error(`hsm2kms ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

export async function withTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'hsm2kms-steps-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A tool we did not write, run in `cwd`; returns stdout. */
export function tool(cmd: string, args: string[], cwd: string, input?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

/** Extracts zip members with python3's zipfile (Info-ZIP may be absent on CI machines). */
export function unzipWithPython(zip: string, cwd: string): string[] {
  const out = tool('python3', ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nz.extractall(".")\nprint("\\n".join(z.namelist()))', zip], cwd);
  return out.trim().split('\n');
}

/** Writes a zip with exactly the given members (python3 zipfile). */
export function zipWithPython(zip: string, members: string[], cwd: string): void {
  tool('python3', ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w")\nfor m in sys.argv[2:]: z.write(m)\nz.close()', zip, ...members], cwd);
}

/** Runs a serve command that should be refused; if it starts serving instead, it is stopped (no server is left). */
export function runServe(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), MAIN, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
      if (stdout.includes('Use with:')) child.kill('SIGINT');
    });
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** stderr without the SIMULATION notice: exactly one line. */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '' && !l.startsWith('SIMULATION: '));
  assert.equal(lines.length, 1, `one error line, got:\n${stderr}`);
  return lines[0];
}
