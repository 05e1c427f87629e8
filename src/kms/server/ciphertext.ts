/**
 * This server's CiphertextBlob for symmetric keys (opaque to clients, as AWS's is):
 *   0x01 ‖ len(keyId) ‖ keyId (ASCII) ‖ KeyMaterialId (32 bytes) ‖ AES-256-GCM(iv ‖ tag ‖ ciphertext)
 * The GCM AAD is the header followed by the encryption context in canonical form (pairs sorted by key), so a
 * different context, key or material fails to decrypt (InvalidCiphertextException).
 */
import { aesGcmOpen, aesGcmSeal } from '../../crypto/kms-symmetric.js';
import { isKeyId } from './arns.js';

const VERSION = 1;

function aad(header: Uint8Array, context: Record<string, string> | undefined): Uint8Array {
  const pairs = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.concat([header, Buffer.from(JSON.stringify(pairs), 'utf8')]);
}

export function sealCiphertext(keyId: string, materialId: string, material: Uint8Array, plaintext: Uint8Array,
  context: Record<string, string> | undefined): Uint8Array {
  const id = Buffer.from(keyId, 'ascii');
  const header = Buffer.concat([Buffer.of(VERSION, id.length), id, Buffer.from(materialId, 'hex')]);
  return new Uint8Array(Buffer.concat([header, aesGcmSeal(material, plaintext, aad(header, context))]));
}

export interface CiphertextHeader {
  keyId: string;
  materialId: string;
  header: Uint8Array;
  sealed: Uint8Array;
}

/** The header of a blob this server made, or undefined. */
export function parseCiphertext(blob: Uint8Array): CiphertextHeader | undefined {
  if (blob.length < 2 || blob[0] !== VERSION) return undefined;
  const idEnd = 2 + blob[1];
  const headerEnd = idEnd + 32;
  if (blob.length < headerEnd + 28) return undefined;
  const keyId = Buffer.from(blob.subarray(2, idEnd)).toString('latin1');
  if (!isKeyId(keyId)) return undefined;
  return {
    keyId,
    materialId: Buffer.from(blob.subarray(idEnd, headerEnd)).toString('hex'),
    header: blob.subarray(0, headerEnd),
    sealed: blob.subarray(headerEnd),
  };
}

export function openCiphertext(parsed: CiphertextHeader, material: Uint8Array, context: Record<string, string> | undefined):
  Uint8Array | undefined {
  return aesGcmOpen(material, parsed.sealed, aad(parsed.header, context));
}
