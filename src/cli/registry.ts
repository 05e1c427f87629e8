/** Every CLI command, loaded lazily so `hsm2kms --help` stays fast. Add one line per command. */
import type { CliCommand } from './command.js';

export const registry: Array<{ name: string; load: () => Promise<CliCommand> }> = [
  { name: 'import', load: async () => (await import('./commands/import.js')).command },
  { name: 'hsm serve', load: async () => (await import('./commands/hsm-serve.js')).command },
  { name: 'kms serve', load: async () => (await import('./commands/kms-serve.js')).command },
  { name: 'hsm generate', load: async () => (await import('./commands/hsm-generate.js')).command },
  { name: 'hsm pubkey', load: async () => (await import('./commands/hsm-pubkey.js')).command },
  { name: 'kms create', load: async () => (await import('./commands/kms-create.js')).command },
  { name: 'kms params', load: async () => (await import('./commands/kms-params.js')).command },
  { name: 'hsm put-wrapkey', load: async () => (await import('./commands/hsm-put-wrapkey.js')).command },
  { name: 'hsm wrap', load: async () => (await import('./commands/hsm-wrap.js')).command },
  { name: 'kms import', load: async () => (await import('./commands/kms-import.js')).command },
  { name: 'kms sign', load: async () => (await import('./commands/kms-sign.js')).command },
  { name: 'verify', load: async () => (await import('./commands/verify.js')).command },
  { name: 'transcript verify', load: async () => (await import('./commands/transcript-verify.js')).command },
  { name: 'prepare', load: async () => (await import('./commands/prepare.js')).command },
  { name: 'wrap', load: async () => (await import('./commands/wrap.js')).command },
  { name: 'complete', load: async () => (await import('./commands/complete.js')).command },
];
