/**
 * Seed step 5 (upload): ImportKeyMaterial with the expiration model chosen explicitly. An expired or invalid
 * token sends the runner back for new parameters, a new wrap and a new import.
 */
import { KmsExpiredImportTokenError, KmsInvalidImportTokenError } from '../../kms/client/errors.js';
import type { KeyMaterialExpiration, KmsKey } from '../../kms/client/port.js';
import type { CeremonyConfig } from '../config.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { RestartFrom } from '../errors.js';
import { materialImported } from './import-state.js';

/** The expiration model of the configuration, stated explicitly as ImportKeyMaterial takes it. */
export function expirationOf(c: CeremonyConfig): KeyMaterialExpiration {
  return c.kms.expiration.model === 'KEY_MATERIAL_EXPIRES'
    ? { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: new Date(c.kms.expiration.validTo) }
    : { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' };
}

/** DescribeKey after ImportKeyMaterial, asking again for a few seconds while KMS still shows PendingImport. */
async function importedKey(ctx: CeremonyContext, arn: string): Promise<KmsKey> {
  let key = await ctx.kms.describeKey(arn);
  for (const wait of [1_000, 2_000, 4_000]) {
    if (materialImported(key)) break;
    await ctx.sleep(wait);
    key = await ctx.kms.describeKey(arn);
  }
  return key;
}

export const kmsImport: CeremonyStep = {
  name: 'kms-import',
  async run(ctx) {
    const c = ctx.config;
    const arn = ctx.state.kmsKey!.arn;
    const current = await ctx.kms.describeKey(arn);
    if (materialImported(current)) {
      ctx.state.kmsKey = current;
      return `already imported (${current.keyState}, ${current.expirationModel})`;
    }
    const expiration = expirationOf(c);
    await ctx.checkpoint('kms-import:before-import');
    try {
      await ctx.kms.importKeyMaterial({ keyId: arn, importToken: ctx.state.params!.importToken, encryptedKeyMaterial: ctx.state.wrapped!, expiration });
    } catch (e) {
      if (e instanceof KmsExpiredImportTokenError || e instanceof KmsInvalidImportTokenError) {
        throw new RestartFrom('kms-import-params', `the import token was refused (${e.awsName}); fetching new parameters and wrapping again`);
      }
      throw e;
    }
    await ctx.checkpoint('kms-import:after-import');
    ctx.state.kmsKey = await importedKey(ctx, arn);
    return `imported; key is ${ctx.state.kmsKey.keyState} (${ctx.state.kmsKey.expirationModel}${ctx.state.kmsKey.validTo ? ` to ${ctx.state.kmsKey.validTo.toISOString()}` : ''})`;
  },
};
