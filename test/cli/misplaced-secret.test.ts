/**
 * A password typed in the wrong place (`hsm2kms import hunter2`, `hsm serve --pasword=hunter2`) is refused with one
 * line that does not repeat it, for the ceremony, a step command, transcript verify and both serve commands.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanEnv, hsm2kms, withTempDir } from './steps-helpers.js';

const SECRET = 'Hunter2-s3cret';

test('a stray argument or unknown option is refused without echoing its value', { timeout: 120_000 }, async () => {
  await withTempDir(async (dir) => {
    const o = { cwd: dir, env: cleanEnv() };
    const cases: [string[], RegExp][] = [
      [['import', SECRET], /^hsm2kms import: Unexpected argument #1 \(not repeated, in case it is a secret\): hsm2kms import takes no arguments, only options; run hsm2kms import --help\. \[CLI_UNEXPECTED_ARGUMENT\]$/],
      [['import', '--json', SECRET], /"code":"CLI_UNEXPECTED_ARGUMENT"/],
      [['hsm', 'generate', SECRET], /^hsm2kms hsm generate: Unexpected argument #1 \(not repeated, in case it is a secret\): hsm2kms hsm generate takes no arguments, only options; run hsm2kms hsm generate --help\. \[CLI_UNEXPECTED_ARGUMENT\]$/],
      [['kms', 'sign', 'message.txt', SECRET], /^hsm2kms kms sign: Unexpected argument #2 \(not repeated, in case it is a secret\): hsm2kms kms sign takes at most 1 argument \(MESSAGE\); run hsm2kms kms sign --help\. \[CLI_UNEXPECTED_ARGUMENT\]$/],
      [['transcript', 'verify', 't.json', SECRET], /^hsm2kms transcript verify: Unexpected argument #2 .*\[CLI_UNEXPECTED_ARGUMENT\]$/],
      [['hsm', 'serve', SECRET], /^hsm2kms hsm serve: Unexpected argument \(not repeated, in case it is a secret\): hsm2kms hsm serve takes only options; see hsm2kms hsm serve --help\. \[CLI_UNKNOWN_OPTION\]$/],
      [['hsm', 'serve', `--pasword=${SECRET}`], /^hsm2kms hsm serve: Unknown option "--pasword"; run with --help for the options\. \[CLI_UNKNOWN_OPTION\]$/],
      [['kms', 'serve', SECRET], /^hsm2kms kms serve: Unexpected argument \(not repeated, in case it is a secret\): hsm2kms kms serve takes only options; see hsm2kms kms serve --help\. \[CLI_UNKNOWN_OPTION\]$/],
      [['kms', 'serve', `--secret=${SECRET}`], /^hsm2kms kms serve: Unknown option "--secret"; run with --help for the options\. \[CLI_UNKNOWN_OPTION\]$/],
      [['import', `--pasword=${SECRET}`], /^hsm2kms import: Unknown option "--pasword"; run with --help for the options\. \[CLI_UNKNOWN_OPTION\]$/],
    ];
    for (const [args, expected] of cases) {
      const r = await hsm2kms(args, o);
      assert.equal(r.code, 2, `${args.join(' ')}: exit 2\n${r.stderr}`);
      assert.match(args.includes('--json') ? r.stdout : r.stderr.trim(), expected, args.join(' '));
      assert.ok(!(r.stdout + r.stderr).includes(SECRET), `${args.join(' ')}: the value is not repeated`);
    }
  });
});
