/** Whether the KMS key already holds its material (then parameters, wrap and import are not needed). */
import type { KmsKey } from '../../kms/client/port.js';

export function materialImported(key: KmsKey | undefined): boolean {
  return key !== undefined && key.expirationModel !== undefined && (key.keyState === 'Enabled' || key.keyState === 'Disabled');
}
