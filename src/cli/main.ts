#!/usr/bin/env node
/** hsm2kms command-line entry point: the only place that prints and exits. */
const [, , command] = process.argv;
const help = `hsm2kms: move a key generated in a YubiHSM 2 into AWS KMS (bring your own key), verified both ways.

Usage: hsm2kms <command> [options]
  import        run the whole ceremony (embedded software HSM and local KMS unless real targets are named)
  --help        show this help
`;
if (!command || command === '--help' || command === '-h') {
  process.stdout.write(help);
  process.exit(0);
}
process.stderr.write(`hsm2kms: "${command}" is not available yet in this build; run "hsm2kms --help".\n`);
process.exit(2);
