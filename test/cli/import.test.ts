/**
 * `hsm2kms import` as a user meets it, through the built CLI in a child process: the README's main-job command in
 * a fresh directory (embedded targets) ending with the verified fingerprint, the re-run that finds everything done,
 * `--json`, `--dry-run`, colour only on a terminal and never with NO_COLOR, Ctrl-C then resume, the files' modes,
 * and secrets (the HSM password, the key's private material, the import token) never in output, files or argv.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AuthenticationKey } from '../../src/client/index.js';
import { STEP_NAMES } from '../../src/ceremony/plan.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { CLI, HttpTargets, listFiles, mode, openssl, REPO, runCli, Sandbox } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-import-cli-');
after(() => sandbox.close());

// Escape sequences: colours (SGR) and anything else starting with ESC.
const SGR = /\u001b\[[0-9;]*m/;
const ESC = /\u001b/;

/** SHA-256 of the DER SubjectPublicKeyInfo in a PEM public key file, both done by openssl. */
function spkiSha256(dir: string, file: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', file, '-outform', 'DER'], { cwd: dir });
  return execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der, encoding: 'utf8' }).split(' ')[0];
}

describe('hsm2kms import on the embedded default', () => {
  it("the README's command in a fresh directory: the whole ceremony, ending with the verified fingerprint", async () => {
    const dir = sandbox.dir('readme');
    const r = await runCli(['import'], { cwd: dir, env: sandbox.env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, ESC, 'no escape sequences when stdout is not a terminal');
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^SIMULATION: this ceremony runs on the embedded software YubiHSM 2 \(a simulator, not an HSM\) and the embedded local KMS \(not AWS\)\./);
    const out = join(dir, 'hsm2kms-out');
    const fp = spkiSha256(out, 'key0x100.pub');
    assert.equal(lines.at(-1), `Verified public key fingerprint (SHA-256 of SubjectPublicKeyInfo): ${fp}`);
    assert.equal(lines.filter((l) => / ok \(\d+ ms\)$/.test(l)).length, STEP_NAMES.length, 'every step ok');
    assert.match(r.stdout, /^Done\. KMS key arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36} \(alias\/key0x100\) holds the HSM key, verified both ways\.$/m);
    // Seed step 7, verbatim, on the files the ceremony wrote.
    const v = execFileSync('sh', ['-c', 'openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature message-aws.txt'], { cwd: out, encoding: 'utf8' });
    assert.equal(v, 'Verified OK\n');
    assert.equal(readFileSync(join(out, 'message-aws.signature.b64'), 'utf8').trim(), readFileSync(join(out, 'message-aws.signature')).toString('base64'));

    // Modes: state and secrets-adjacent files 0600 in a 0700 work dir; public evidence 0644.
    const work = join(dir, '.hsm2kms');
    assert.equal(mode(work), 0o700);
    for (const f of ['journal.json', 'import-parameters.json', 'embedded/hsm-state.json']) assert.equal(mode(join(work, f)), 0o600, f);
    for (const f of listFiles(join(work, 'embedded', 'kms'))) assert.equal(mode(join(work, 'embedded', 'kms', f)), 0o600, f);
    assert.equal(mode(join(out, 'key0x100-wrapped-aws.bin')), 0o600);
    for (const f of ['key0x100.pub', 'message-aws.txt', 'message-aws.signature', 'transcript.json', 'wrappingkey-aws.pem']) assert.equal(mode(join(out, f)), 0o644, f);
    assert.ok(!existsSync(join(work, 'lock')), 'lock released');

    // The same command again: everything is found done, nothing new is made, same fingerprint.
    const again = await runCli(['import'], { cwd: dir, env: sandbox.env() });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^ {6}0x0100 already present \(sequence 0\)$/m);
    assert.match(again.stdout, /^ {6}arn:aws:kms:\S+ \(recorded in the journal\)$/m);
    assert.match(again.stdout, /^ {6}already imported \(Enabled, KEY_MATERIAL_DOES_NOT_EXPIRE\)$/m);
    assert.match(again.stdout, /^ {6}no public wrap key 0x0101 in the HSM$/m);
    assert.equal(again.stdout.trimEnd().split('\n').at(-1), lines.at(-1));
  });

  it('--json: one JSON object per line, events in step order, then the result', async () => {
    const dir = sandbox.dir('json');
    const r = await runCli(['import', '--json'], { cwd: dir, env: sandbox.env() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => e.type), ['start', ...STEP_NAMES.flatMap(() => ['step-start', 'step-done']), 'finish', 'result']);
    assert.deepEqual(events.filter((e) => e.type === 'step-done').map((e) => e.step), [...STEP_NAMES]);
    assert.equal(events[0].simulated, true);
    const result = events.at(-1);
    assert.equal(result.ok, true);
    assert.equal(result.fingerprint, spkiSha256(join(dir, 'hsm2kms-out'), 'key0x100.pub'));
    assert.equal(result.alias, 'alias/key0x100');
  });

  it('--dry-run prints the plan and touches nothing; with --json it is one plan object', async () => {
    const dir = sandbox.dir('dry');
    const r = await runCli(['import', '--dry-run'], { cwd: dir, env: sandbox.env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Plan \(dry run, nothing is touched\)$/m);
    assert.match(r.stdout, /^ 2\. Generate the key in the HSM\n {6}generate asymmetric 0x0100 "YubiHSM Signing Key" domains 1 capabilities sign-ecdsa,exportable-under-wrap ecp256$/m);
    assert.match(r.stdout, /^12\. Record evidence$/m);
    const j = await runCli(['import', '--dry-run', '--json', '--key-spec', 'RSA_3072', '--key-usage', 'ENCRYPT_DECRYPT'], { cwd: dir, env: sandbox.env() });
    assert.equal(j.code, 0, j.stderr);
    const lines = j.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const plan = JSON.parse(lines[0]);
    assert.equal(plan.type, 'plan');
    assert.deepEqual(plan.steps.map((s: { name: string }) => s.name), [...STEP_NAMES]);
    assert.match(plan.steps[4].details[0], /^CreateKey Origin=EXTERNAL KeySpec=RSA_3072 KeyUsage=ENCRYPT_DECRYPT$/);
    assert.deepEqual(readdirSync(dir), [], 'no file or directory created');
  });

  it('colour on a terminal, none with NO_COLOR (run under script(1) for a pseudo-terminal)', async (t) => {
    if (!existsSync('/usr/bin/script')) return t.skip('script(1) is not installed');
    const dir = sandbox.dir('tty');
    const viaPty = (env: NodeJS.ProcessEnv, args: string) =>
      runScript(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} import ${args}`, dir, env);
    const coloured = await viaPty(sandbox.env({ TERM: 'xterm' }), '--dry-run');
    assert.doesNotMatch(coloured, SGR, 'the dry-run plan is plain text');
    const run = await viaPty(sandbox.env({ TERM: 'xterm' }), '');
    assert.match(run, /\u001b\[32mok\u001b\[0m/, 'green ok on a terminal');
    assert.match(run, /\u001b\[33mSIMULATION: /, 'yellow simulation notice');
    const plain = await viaPty(sandbox.env({ TERM: 'xterm', NO_COLOR: '1' }), '');
    assert.doesNotMatch(plain, SGR, 'NO_COLOR: no colour codes');
    assert.match(plain, /Verified public key fingerprint \(SHA-256 of SubjectPublicKeyInfo\): [0-9a-f]{64}/);
  });

  it('Ctrl-C stops after the current step (exit 130, one JSON error line); the same command then finishes', async () => {
    const dir = sandbox.dir('sigint');
    const child = spawn(process.execPath, [CLI, 'import', '--json'], { cwd: dir, env: sandbox.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!sent && stdout.includes('"type":"step-start","step":"kms-create-key"')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(code, 130, stdout + stderr);
    const last = JSON.parse(stdout.trimEnd().split('\n').at(-1)!);
    assert.equal(last.type, 'error');
    assert.equal(last.code, 'INTERRUPTED');
    assert.equal(last.exitCode, 130);
    assert.match(last.message, /^Interrupted before step "[a-z-]+"; re-run the same command to resume\.$/);
    assert.equal(stderr, '\nhsm2kms: stopping after the current step (Ctrl-C again to stop at once; re-run to resume).\n');
    const r = await runCli(['import'], { cwd: dir, env: sandbox.env() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\(resuming: every step re-checks the HSM and KMS\)/);
  });
});

/** Runs a shell command line under script(1) (a pseudo-terminal) and returns what the terminal showed. */
function runScript(commandLine: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/script', ['-qec', commandLine, '/dev/null'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`script exited ${code}: ${out}`))));
  });
}

describe('secrets', () => {
  it('the password, the private key and the import token appear in no output, file or argv', async () => {
    const password = 'Unique-HSM-Passw0rd-7f3a9c';
    const targets = await HttpTargets.start(sandbox);
    try {
      const { session, close } = await targets.session();
      await AuthenticationKey.putDerived(session, {
        id: 2, label: 'ceremony operator', domains: 'all', password,
        capabilities: 'generate-asymmetric-key,put-public-wrap-key,delete-public-wrap-key,export-wrapped,get-log-entries,sign-ecdsa,sign-attestation-certificate,get-opaque',
        delegatedCapabilities: 'sign-ecdsa,exportable-under-wrap,export-wrapped',
      });
      await close();
      const dir = sandbox.dir('secrets');
      const child = spawn(process.execPath, [CLI, 'import', ...targets.args(), '--auth-key', '2'], {
        cwd: dir, env: sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: password }), stdio: ['ignore', 'pipe', 'pipe'],
      });
      const argv = await new Promise<string>((resolve) => child.on('spawn', () => resolve(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8'))));
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.equal(code, 0, stdout + stderr);
      assert.match(argv, /import/);

      const key = [...targets.device.state.contents.objects.values()].find((o) => o.type === ObjectType.ASYMMETRIC_KEY && o.id === 0x100)!;
      const token = Buffer.from(JSON.parse(readFileSync(join(dir, '.hsm2kms', 'import-parameters.json'), 'utf8')).importToken.base64, 'base64');
      const forbidden: Array<[string, Buffer]> = [
        ['password', Buffer.from(password)],
        ['private key (raw)', Buffer.from(key.material)],
        ['private key (hex)', Buffer.from(Buffer.from(key.material).toString('hex'))],
        ['private key (base64)', Buffer.from(Buffer.from(key.material).toString('base64'))],
      ];
      const texts: Array<[string, Buffer]> = [['stdout', Buffer.from(stdout)], ['stderr', Buffer.from(stderr)], ['argv', Buffer.from(argv)]];
      for (const f of listFiles(dir)) texts.push([f, readFileSync(join(dir, f))]);
      for (const [where, content] of texts) {
        for (const [what, bytes] of forbidden) assert.equal(content.indexOf(bytes), -1, `${what} in ${where}`);
      }
      // The import token stays in the work dir's bundle (0600); the transcript and journal hold only its SHA-256.
      for (const f of ['hsm2kms-out/transcript.json', '.hsm2kms/journal.json']) {
        const text = readFileSync(join(dir, f), 'utf8');
        assert.ok(!text.includes(token.toString('base64')), `token in ${f}`);
      }
      const transcript = JSON.parse(readFileSync(join(dir, 'hsm2kms-out', 'transcript.json'), 'utf8'));
      assert.equal(transcript.kms.importTokenSha256, createHash('sha256').update(token).digest('hex'));
      assert.equal(statSync(join(dir, '.hsm2kms', 'import-parameters.json')).mode & 0o777, 0o600);
      assert.equal(openssl(['dgst', '-sha256', '-verify', 'key0x100.pub', '-signature', 'message-aws.signature', 'message-aws.txt'], join(dir, 'hsm2kms-out')), 'Verified OK\n');
    } finally {
      await targets.close();
    }
  });

  it('hsm2kms spawns no child processes: no source file imports child_process', () => {
    const src = join(REPO, 'src');
    const hits = listFiles(src).filter((f) => f.endsWith('.ts') && /from ['"](node:)?child_process['"]/.test(readFileSync(join(src, f), 'utf8')));
    assert.deepEqual(hits, []);
  });
});
