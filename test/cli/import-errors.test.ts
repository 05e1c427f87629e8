/**
 * Bad input to `hsm2kms import` (the built CLI in a child process): every case gets its documented exit code and
 * exactly one line on stderr, `hsm2kms import: <what is wrong and what to do> [CODE]`, and nothing is changed. The
 * targets are the software YubiHSM 2 and the local KMS over HTTP, so the tests can arrange the device and KMS.
 * Import-parameter files (a bundle whose hash does not match, a console zip missing a file, an expired token) are
 * given to the seed-step commands that read them.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AuthenticationKey } from '../../src/client/index.js';
import { ObjectType } from '../../src/protocol/object-types.js';
import { FACTORY_PASSWORD, HttpTargets, runCli, Sandbox, type CliResult } from '../ceremony/harness.js';

const sandbox = new Sandbox('hsm2kms-import-errors-');
after(() => sandbox.close());

/** Exit code and the one stderr line (the simulation notice of embedded targets aside). */
function expectError(r: CliResult, exitCode: number, line: string): void {
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('SIMULATION: '));
  assert.deepEqual(lines, [line], `stderr:\n${r.stderr}\nstdout:\n${r.stdout}`);
  assert.equal(r.code, exitCode);
}

async function nothingChanged(targets: HttpTargets): Promise<void> {
  assert.deepEqual(await targets.kms.listAliases().then((a) => a.filter((x) => !x.aliasName.startsWith('alias/aws/')).map((x) => x.aliasName)), [], 'no KMS alias');
  const { session, close } = await targets.session();
  try {
    const objects = await session.listObjects();
    assert.deepEqual(objects.filter((o) => o.type !== ObjectType.AUTHENTICATION_KEY), [], 'no HSM object besides auth keys');
  } finally {
    await close();
  }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('hsm2kms import: bad command line and ceremony files (exit 2, nothing touched)', () => {
  const run = (args: string[], files: Record<string, string | Uint8Array> = {}) => {
    const dir = sandbox.dir('usage');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return runCli(['import', ...args], { cwd: dir, env: sandbox.env() }).then((r) => ({ r, dir }));
  };

  it('malformed YAML names the line and column', async () => {
    const { r, dir } = await run(['--config', 'ceremony.yaml'], { 'ceremony.yaml': 'key:\n  id: 0x100\n  keySpec: [ECC_NIST_P256\n' });
    expectError(r, 2, 'hsm2kms import: Ceremony file ceremony.yaml is not valid YAML at line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]. [BAD_CEREMONY_CONFIG]');
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(dir), ['ceremony.yaml'], 'no work or output dir created');
  });

  it('unknown key spec, from a flag and from the file', async () => {
    const line = 'hsm2kms import: key.keySpec: Unknown key spec "ECC_NIST_P999"; use one of ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, RSA_2048, RSA_3072, RSA_4096, SYMMETRIC_DEFAULT. [BAD_CEREMONY_CONFIG]';
    expectError((await run(['--key-spec', 'ECC_NIST_P999'])).r, 2, line);
    expectError((await run(['--config', 'c.yaml'], { 'c.yaml': 'key: { keySpec: ECC_NIST_P999 }\n' })).r, 2, line);
    // With --json the error is one JSON line on stdout, like every other outcome.
    const { r } = await run(['--json', '--key-spec', 'ECC_NIST_P999']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)), [{
      type: 'error', code: 'BAD_CEREMONY_CONFIG', exitCode: 2,
      message: 'key.keySpec: Unknown key spec "ECC_NIST_P999"; use one of ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, RSA_2048, RSA_3072, RSA_4096, SYMMETRIC_DEFAULT.',
    }]);
  });

  it('unknown option, missing value, stray argument, password in the ceremony file, ValidTo out of range, bad Region', async () => {
    expectError((await run(['--key-sepc', 'RSA_2048'])).r, 2, 'hsm2kms import: Unknown option "--key-sepc"; run with --help for the options. [CLI_UNKNOWN_OPTION]');
    expectError((await run(['--alias'])).r, 2, 'hsm2kms import: Option --alias needs a value; run with --help for the options. [CLI_BAD_ARGUMENT]');
    const stray = await run(['hunter2']);
    expectError(stray.r, 2, 'hsm2kms import: Unexpected argument #1 (not repeated, in case it is a secret): hsm2kms import takes no arguments, only options; run hsm2kms import --help. [CLI_UNEXPECTED_ARGUMENT]');
    assert.doesNotMatch(stray.r.stdout + stray.r.stderr, /hunter2/);
    expectError((await run(['--config', 'c.yaml'], { 'c.yaml': 'hsm: { password: hunter2 }\n' })).r, 2,
      'hsm2kms import: hsm.password: passwords never go in a ceremony file; use HSM2KMS_HSM_PASSWORD, --password-file or the prompt. [BAD_CEREMONY_CONFIG]');
    expectError((await run(['--valid-to', '2020-01-01T00:00:00Z'])).r, 2,
      'hsm2kms import: kms.expiration.validTo: 2020-01-01T00:00:00.000Z is in the past; give a date within the next 365 days. [BAD_CEREMONY_CONFIG]');
    expectError((await run(['--dry-run', '--valid-to', '2020-01-01T00:00:00Z'])).r, 2,
      'hsm2kms import: kms.expiration.validTo: 2020-01-01T00:00:00.000Z is in the past; give a date within the next 365 days. [BAD_CEREMONY_CONFIG]');
    expectError((await run(['--kms', 'aws', '--region', 'moon-1'])).r, 2,
      'hsm2kms import: kms.region: "moon-1" is not an AWS Region name; use one like us-east-1 or eu-west-2. [BAD_CEREMONY_CONFIG]');
  });

  /** Exit 2, one line, and no work dir or output dir: only the files the test wrote are there. */
  const refused = async (args: string[], files: Record<string, string | Uint8Array>, line: string) => {
    const { r, dir } = await run(args, files);
    expectError(r, 2, `hsm2kms import: ${line} [BAD_CEREMONY_CONFIG]`);
    assert.deepEqual(readdirSync(dir).sort(), Object.keys(files).sort(), `nothing created for ${args.join(' ')}`);
  };

  it('ceremony file: not UTF-8, YAML tags, more than one document, wrong types, null, empty domain items', async () => {
    const c = (text: string | Uint8Array) => ({ 'c.yaml': text });
    const args = ['--config', 'c.yaml'];
    await refused(args, c(Buffer.concat([Buffer.from('version: 1\nkey:\n  label: "Signer '), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')])),
      'Ceremony file c.yaml is not UTF-8 text (bytes that are not UTF-8 at line 3); save it as UTF-8.');
    await refused(args, c('key:\n  label: !!js/function "x"\n'),
      'Ceremony file c.yaml uses the YAML tag !!js/function at line 2, column 10, which hsm2kms does not read; remove it (a ceremony file holds only text, numbers, true/false, lists and mappings).');
    await refused(args, c('key: { label: !custom x }\n'),
      'Ceremony file c.yaml uses the YAML tag !custom at line 1, column 15, which hsm2kms does not read; remove it (a ceremony file holds only text, numbers, true/false, lists and mappings).');
    await refused(args, c('version: 1\n---\nkey: { id: 0x200 }\n'),
      'Ceremony file c.yaml holds more than one YAML document at line 2, column 1; keep one (remove the second ---).');
    await refused(args, c('key: { label: 0x10 }\n'), 'key.label: must be text, got the number 16; quote it.');
    await refused(args, c('key: { id: null }\n'), 'key.id: empty (null); remove the line or give a value.');
    await refused(args, c('key: { domains: "1,,2" }\n'), 'key.domains: "1,,2" has an empty item; give domains such as 1 or 1,2,5 (numbers 1 to 16), or "all".');
    await refused(args, c('outDir: 5\n'), 'outDir: must be text, got the number 5; quote it.');
    await refused(args, c('version: "1"\n'), 'version: expected the number 1, got the text "1".');
  });

  it('KMS limits (message, tags, description) from flags and files, before anything is touched', async () => {
    await refused(['--message', 'm'.repeat(4097)], {}, 'message: 4097 bytes as UTF-8; KMS signs at most 4096 bytes, so shorten it.');
    await refused(['--message', ''], {}, 'message: empty; KMS signs a message of 1 to 4096 bytes, so give one (--message, or message in a ceremony file).');
    const fifty = `kms:\n  tags:\n${Array.from({ length: 50 }, (_, i) => `    t${i}: v\n`).join('')}`;
    await refused(['--config', 'c.yaml'], { 'c.yaml': fifty },
      'kms.tags: 50 tags; KMS allows 50 per key and the ceremony adds its own hsm2kms:ceremony-id tag, so give at most 49.');
    await refused(['--tag', 'hsm2kms:ceremony-id=x'], {},
      'kms.tags.hsm2kms:ceremony-id: the ceremony sets this tag itself (it finds its key by it after an interrupted run); remove it.');
    await refused(['--tag', 'aws:team=x'], {}, 'kms.tags.aws:team: tag keys beginning with aws: are reserved by AWS; choose another key.');
    await refused(['--tag', `team=${'v'.repeat(257)}`], {},
      `kms.tags.team: tag value of 257 characters ("${'v'.repeat(20)}…"); KMS allows at most 256, so shorten it.`);
    await refused(['--description', 'd'.repeat(8193)], {},
      `kms.description: 8193 characters ("${'d'.repeat(20)}…"); KMS allows at most 8192, so shorten it.`);
  });

  it('a value starting with "-" after an option says to write --option=VALUE', async () => {
    const { r, dir } = await run(['--key-id', '-1']);
    expectError(r, 2, 'hsm2kms import: Option --key-id needs a value (a value that starts with "-" must be written --key-id=VALUE); run with --help for the options. [CLI_BAD_ARGUMENT]');
    assert.deepEqual(readdirSync(dir), []);
    await refused(['--key-id=-1'], {}, 'key.id: expected a number such as 1 or 0x100, got the text "-1".');
  });
});

describe('hsm2kms import: problems found before anything changes (HTTP targets)', () => {
  it('no password for a real HSM, and a password file others can read (exit 2)', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      const dir = sandbox.dir('password');
      const env = sandbox.env(targets.kmsEnv());
      expectError(await runCli(['import', ...targets.args()], { cwd: dir, env }), 2,
        'hsm2kms import: No HSM password: set HSM2KMS_HSM_PASSWORD, pass --password-file FILE, or run on a terminal to be prompted. [PASSWORD_NEEDED]');
      writeFileSync(join(dir, 'pw'), `${FACTORY_PASSWORD}\n`, { mode: 0o644 });
      expectError(await runCli(['import', ...targets.args(), '--password-file', 'pw'], { cwd: dir, env }), 2,
        'hsm2kms import: Password file pw is readable by others; run: chmod 600 pw [PASSWORD_FILE_MODE]');
      mkdirSync(join(dir, 'pwdir'), { mode: 0o700 });
      expectError(await runCli(['import', ...targets.args(), '--password-file', 'pwdir'], { cwd: dir, env }), 2,
        'hsm2kms import: Password file pwdir is not a file; give the file that holds the password on its first line. [PASSWORD_FILE_MISSING]');
      await nothingChanged(targets);
    } finally {
      await targets.close();
    }
  });

  it('wrong password (exit 4)', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      const r = await runCli(['import', ...targets.args()], { cwd: sandbox.dir('wrong'), env: sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: 'not-the-password' }) });
      expectError(r, 4, "hsm2kms import: Wrong password (or derived keys) for auth key 0x0001: the device's card cryptogram does not match; check the password and the auth key id. [HSM_WRONG_PASSWORD]");
      assert.doesNotMatch(r.stdout + r.stderr, /not-the-password/);
      await nothingChanged(targets);
    } finally {
      await targets.close();
    }
  });

  it('an auth key missing a capability: every missing item in one line (exit 4)', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      const { session, close } = await targets.session();
      await AuthenticationKey.putDerived(session, {
        id: 2, label: 'no export', domains: '1', password: 'limited-auth-key',
        capabilities: 'generate-asymmetric-key,put-public-wrap-key,delete-public-wrap-key,get-log-entries,sign-ecdsa,sign-attestation-certificate',
        delegatedCapabilities: 'sign-ecdsa,exportable-under-wrap',
      });
      await close();
      const r = await runCli(['import', ...targets.args(), '--auth-key', '2'], { cwd: sandbox.dir('caps'), env: sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: 'limited-auth-key' }) });
      expectError(r, 4, 'hsm2kms import: Authentication key 0x0002 lacks capabilities export-wrapped; delegated capabilities export-wrapped; use an auth key that has them or add them (nothing was changed). [HSM_AUTH_KEY_INSUFFICIENT]');
      assert.match(r.stdout, /^\[ 1\/12\] Pre-flight checks \(nothing is changed\) FAILED \[HSM_AUTH_KEY_INSUFFICIENT\]$/m);
      await nothingChanged(targets);
    } finally {
      await targets.close();
    }
  });

  it('an alias taken by another key (exit 4); with another --alias the same work dir then finishes', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      const other = await targets.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', origin: 'AWS_KMS' });
      await targets.kms.createAlias('alias/key0x100', other.keyId);
      const dir = sandbox.dir('alias');
      const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
      expectError(await runCli(['import', ...targets.args()], { cwd: dir, env }), 4,
        `hsm2kms import: KMS alias alias/key0x100 already points to key ${other.keyId}, which this ceremony did not create; choose another --alias. [KMS_ALIAS_TAKEN]`);
      assert.equal((await targets.kms.listKeys()).length, 1, 'no key created');
      assert.deepEqual(readdirSync(dir), [], 'a run that changed nothing leaves no journal, work dir or output dir');
      const r = await runCli(['import', ...targets.args(), '--alias', 'signer'], { cwd: dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal((await targets.kms.findAlias('alias/key0x100'))?.targetKeyId, other.keyId, 'the other key keeps its alias');
    } finally {
      await targets.close();
    }
  });

  it('an unreachable connector (exit 4)', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      const r = await runCli(['import', '--connector', 'http://127.0.0.1:1', '--kms', targets.kmsServer.url], { cwd: sandbox.dir('down'), env: sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD }) });
      expectError(r, 4, 'hsm2kms import: Cannot reach yubihsm-connector at http://127.0.0.1:1 (ECONNREFUSED); start yubihsm-connector or run `hsm2kms hsm serve`, or pass the right connector URL. [CONNECTOR_UNREACHABLE]');
    } finally {
      await targets.close();
    }
  });

  it('an unfinished ceremony in the work dir, re-run with another alias: names the changed setting (exit 4)', async () => {
    const targets = await HttpTargets.start(sandbox);
    try {
      const dir = sandbox.dir('mismatch');
      const env = sandbox.env({ ...targets.kmsEnv(), HSM2KMS_HSM_PASSWORD: FACTORY_PASSWORD });
      const killed = await runCli(['import', ...targets.args()], { cwd: dir, env: { ...env, HSM2KMS_TEST_CRASH_AT: 'kms-create-key:done' } });
      assert.equal(killed.signal, 'SIGKILL');
      expectError(await runCli(['import', ...targets.args(), '--alias', 'other'], { cwd: dir, env }), 4,
        'hsm2kms import: The journal in .hsm2kms belongs to an unfinished ceremony with other settings (kms.alias was "alias/key0x100", now "alias/other"); re-run with its settings to finish it, or use another --work-dir. [JOURNAL_CONFIG_MISMATCH]');
    } finally {
      await targets.close();
    }
  });
});

describe('hsm2kms import: one ceremony per work dir', () => {
  it('a work dir locked by a running process is refused (exit 4); a lock left by a dead process is taken over', async () => {
    const dir = sandbox.dir('locked');
    mkdirSync(join(dir, '.hsm2kms'), { mode: 0o700 });
    writeFileSync(join(dir, '.hsm2kms', 'lock'), `${process.pid}\n`); // this test process: alive
    expectError(await runCli(['import'], { cwd: dir, env: sandbox.env() }), 4,
      `hsm2kms import: Another hsm2kms (pid ${process.pid}) is running a ceremony in .hsm2kms; wait for it to finish (if no hsm2kms is running, remove .hsm2kms/lock). [CEREMONY_LOCKED]`);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, '.hsm2kms', 'lock'), `${dead}\n`);
    const r = await runCli(['import'], { cwd: dir, env: sandbox.env() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe('import parameter files (bundle hash, console zip, expired token), read by the seed-step commands', () => {
  it('refused with one line each', async () => {
    const dir = sandbox.dir('params');
    const env = sandbox.env();
    const ok = async (args: string[]) => {
      const r = await runCli(args, { cwd: dir, env });
      assert.equal(r.code, 0, `${args.join(' ')}\n${r.stderr}`);
    };
    await ok(['kms', 'create']);
    await ok(['kms', 'params', 'params.json']);
    await ok(['kms', 'params']);
    writeFileSync(join(dir, 'key0x100-wrapped-aws.bin'), new Uint8Array(664));

    // A bundle whose token was altered: both hashes named, computed here independently.
    const bundle = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
    const recorded = bundle.importToken.sha256 as string;
    bundle.importToken.base64 = Buffer.from('not the token').toString('base64');
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(bundle));
    const hashLine = (cmd: string) => `hsm2kms ${cmd}: tampered.json: importToken does not match its SHA-256 (expected ${recorded}, actual ${sha256(Buffer.from('not the token'))}); the file was altered or damaged, so fetch the import parameters again (hsm2kms kms params). [KMS_IMPORT_PARAMS_HASH_MISMATCH]`;
    expectError(await runCli(['kms', 'import', '--params', 'tampered.json'], { cwd: dir, env }), 2, hashLine('kms import'));
    expectError(await runCli(['hsm', 'put-wrapkey', 'tampered.json'], { cwd: dir, env }), 2, hashLine('hsm put-wrapkey'));

    // The console's zip without ImportToken.bin (built with python's zipfile, not our zip code).
    const zip = readdirSync(dir).find((f) => /^Import_Parameters_.*\.zip$/.test(f))!;
    execFileSync('python3', ['-c', `import zipfile
src = zipfile.ZipFile(${JSON.stringify(zip)})
with zipfile.ZipFile('no-token.zip', 'w') as z:
    z.writestr('WrappingPublicKey.bin', src.read('WrappingPublicKey.bin'))`], { cwd: dir });
    expectError(await runCli(['kms', 'import', '--params', 'no-token.zip'], { cwd: dir, env }), 2,
      'hsm2kms kms import: no-token.zip has no ImportToken.bin; download the wrapping public key and import token again (both come in the same zip). [KMS_IMPORT_PARAMS_ZIP_MISSING]');

    // An expired token.
    const expired = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
    expired.parametersValidTo = '2020-01-01T00:00:00.000Z';
    writeFileSync(join(dir, 'expired.json'), JSON.stringify(expired));
    expectError(await runCli(['kms', 'import', '--params', 'expired.json'], { cwd: dir, env }), 4,
      'hsm2kms kms import: The import parameters in expired.json expired at 2020-01-01T00:00:00.000Z; run hsm2kms kms params again, then hsm put-wrapkey and hsm wrap with the new wrapping key, then kms import. [IMPORT_TOKEN_EXPIRED]');
  });

  it('hsm2kms import does not trust a damaged or swapped bundle in its work dir: it fetches new parameters', async () => {
    for (const damage of ['hash', 'swap'] as const) {
      const dir = sandbox.dir(`workdir-bundle-${damage}`);
      const env = sandbox.env();
      const killed = await runCli(['import'], { cwd: dir, env: { ...env, HSM2KMS_TEST_CRASH_AT: 'kms-import-params:done' } });
      assert.equal(killed.signal, 'SIGKILL');
      const path = join(dir, '.hsm2kms', 'import-parameters.json');
      const bundle = JSON.parse(readFileSync(path, 'utf8'));
      if (damage === 'hash') bundle.wrappingPublicKey.sha256 = '0'.repeat(64);
      else {
        // A consistent bundle holding another RSA-4096 key, as an attacker with write access could leave.
        const pem = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        const spki = execFileSync('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: pem });
        bundle.wrappingPublicKey = { base64: spki.toString('base64'), sha256: sha256(spki) };
      }
      writeFileSync(path, JSON.stringify(bundle), { mode: 0o600 });
      const r = await runCli(['import'], { cwd: dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const note = damage === 'hash'
        ? '      note: the saved import parameters are not usable (KMS_IMPORT_PARAMS_HASH_MISMATCH); fetching new ones'
        : '      note: .hsm2kms/import-parameters.json differs from the parameters the journal recorded; fetching new ones';
      assert.ok(r.stdout.split('\n').includes(note), r.stdout);
    }
  });
});
