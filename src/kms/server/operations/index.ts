/**
 * The router table: `X-Amz-Target: TrentService.<Operation>` -> handler, one file per operation.
 */
import type { OperationName } from '../../model/operations.js';
import type { Handler } from '../context.js';
import { cancelKeyDeletion } from './cancel-key-deletion.js';
import { createAlias } from './create-alias.js';
import { createKey } from './create-key.js';
import { decrypt } from './decrypt.js';
import { deleteAlias } from './delete-alias.js';
import { deleteImportedKeyMaterial } from './delete-imported-key-material.js';
import { describeKey } from './describe-key.js';
import { disableKey } from './disable-key.js';
import { enableKey } from './enable-key.js';
import { enableKeyRotation } from './enable-key-rotation.js';
import { encrypt } from './encrypt.js';
import { generateDataKey } from './generate-data-key.js';
import { generateDataKeyWithoutPlaintext } from './generate-data-key-without-plaintext.js';
import { generateMac } from './generate-mac.js';
import { generateRandom } from './generate-random.js';
import { getKeyPolicy } from './get-key-policy.js';
import { getParametersForImport } from './get-parameters-for-import.js';
import { getPublicKey } from './get-public-key.js';
import { importKeyMaterial } from './import-key-material.js';
import { listAliases } from './list-aliases.js';
import { listKeyPolicies } from './list-key-policies.js';
import { listKeyRotations } from './list-key-rotations.js';
import { listKeys } from './list-keys.js';
import { listResourceTags } from './list-resource-tags.js';
import { putKeyPolicy } from './put-key-policy.js';
import { replicateKey } from './replicate-key.js';
import { rotateKeyOnDemand } from './rotate-key-on-demand.js';
import { scheduleKeyDeletion } from './schedule-key-deletion.js';
import { sign } from './sign.js';
import { tagResource } from './tag-resource.js';
import { untagResource } from './untag-resource.js';
import { updateAlias } from './update-alias.js';
import { updateKeyDescription } from './update-key-description.js';
import { verify } from './verify.js';
import { verifyMac } from './verify-mac.js';

export const handlers: Readonly<Record<OperationName, Handler>> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  EnableKey: enableKey,
  DisableKey: disableKey,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  UpdateKeyDescription: updateKeyDescription,
  CreateAlias: createAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
  ListKeyPolicies: listKeyPolicies,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListResourceTags: listResourceTags,
  GetParametersForImport: getParametersForImport,
  ImportKeyMaterial: importKeyMaterial,
  DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  RotateKeyOnDemand: rotateKeyOnDemand,
  EnableKeyRotation: enableKeyRotation,
  ListKeyRotations: listKeyRotations,
  ReplicateKey: replicateKey,
  GetPublicKey: getPublicKey,
  Sign: sign,
  Verify: verify,
  Encrypt: encrypt,
  Decrypt: decrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GenerateRandom: generateRandom,
  GenerateMac: generateMac,
  VerifyMac: verifyMac,
};
