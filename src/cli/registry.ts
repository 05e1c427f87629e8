/** Every CLI command, loaded lazily so `hsm2kms --help` stays fast. Add one line per command. */
import type { CliCommand } from './command.js';

export const registry: Array<{ name: string; load: () => Promise<CliCommand> }> = [
  { name: 'import', load: async () => (await import('./commands/import.js')).command },
  { name: 'hsm serve', load: async () => (await import('./commands/hsm-serve.js')).command },
  { name: 'kms serve', load: async () => (await import('./commands/kms-serve.js')).command },
];
