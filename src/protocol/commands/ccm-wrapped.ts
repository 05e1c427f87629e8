/**
 * The AES-CCM wrapped blob (PROTOCOL.md 5.5) shared by ExportWrapped, ImportWrapped, WrapData and UnwrapData:
 * nonce(13) ‖ ciphertext(≥ 1) ‖ tag(16). Only its length is checked here.
 */
import { decodeBytesAtLeast } from './shared.js';

export const CCM_NONCE_LENGTH = 13;
export const CCM_TAG_LENGTH = 16;
/** Nonce, tag and at least one ciphertext byte. */
export const MIN_CCM_WRAPPED_LENGTH = CCM_NONCE_LENGTH + 1 + CCM_TAG_LENGTH;

export function decodeCcmWrapped(payload: Uint8Array, what: string): Uint8Array {
  return decodeBytesAtLeast(payload, MIN_CCM_WRAPPED_LENGTH, what);
}
