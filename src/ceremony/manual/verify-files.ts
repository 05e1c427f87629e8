/**
 * Seed step 7 offline: does the signature file verify over the message with the public key file? The same check as
 * `openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature message-aws.txt`, with the hash and
 * scheme taken from the key (ECDSA with the KMS hash of the curve, RSASSA-PKCS1-v1_5 SHA-256 for RSA) unless a KMS
 * signing algorithm is named. The signature may be the DER bytes or the `.b64` text.
 */
import { sha256Hex } from '../../crypto/digest.js';
import { parseSpki, spkiFromPem } from '../../crypto/spki.js';
import { schemeForKmsAlgorithm, verifySignature } from '../../crypto/verify.js';
import { Hsm2KmsError, UsageError } from '../../errors.js';
import { signatureFromB64Text } from '../../kms/client/signature-format.js';
import { algorithmName, isEcAlgorithm } from '../../protocol/algorithms.js';
import { CEREMONY_KEY_SPECS, keySpecs } from '../key-specs.js';
import { readInputFile } from './files.js';

export interface SignatureFileCheck {
  ok: boolean;
  signingAlgorithm: string;
  keyAlgorithm: string;
  publicKeySha256: string;
  messageBytes: number;
}

/** The DER SubjectPublicKeyInfo in a PEM `PUBLIC KEY` file or a DER file. */
export function readPublicKeyFile(path: string): Uint8Array {
  const bytes = readInputFile(path, 'the public key', 'give the PEM file hsm2kms hsm pubkey wrote (key0x100.pub).');
  const text = Buffer.from(bytes).toString('latin1');
  try {
    const der = text.includes('-----BEGIN') ? spkiFromPem(text) : bytes;
    parseSpki(der);
    return der;
  } catch (e) {
    const why = e instanceof Hsm2KmsError ? e.message.replace(/\.$/, '') : String(e);
    throw new UsageError('PUBLIC_KEY_UNREADABLE', `${path} is not a PEM or DER public key (${why}); give the file hsm2kms hsm pubkey wrote.`, { cause: e });
  }
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

export function readSignatureFile(path: string): Uint8Array {
  const bytes = readInputFile(path, 'the signature', 'give message-aws.signature (or its .b64) that hsm2kms kms sign wrote.');
  const text = Buffer.from(bytes).toString('latin1');
  return bytes.length > 0 && BASE64_TEXT.test(text) ? signatureFromB64Text(text, `The signature file ${path}`) : bytes;
}

export function verifySignatureFiles(o: { publicKeyFile: string; signatureFile: string; messageFile: string; signingAlgorithm?: string }): SignatureFileCheck {
  const spki = readPublicKeyFile(o.publicKeyFile);
  const signature = readSignatureFile(o.signatureFile);
  const message = readInputFile(o.messageFile, 'the message', 'give the file that was signed (message-aws.txt).');
  const keyAlgorithm = parseSpki(spki).algorithm;
  const spec = CEREMONY_KEY_SPECS.find((s) => keySpecs[s].algorithm === keyAlgorithm && keySpecs[s].signingAlgorithm);
  const signingAlgorithm = o.signingAlgorithm ?? (spec ? keySpecs[spec].signingAlgorithm! : undefined);
  const scheme = signingAlgorithm ? schemeForKmsAlgorithm(signingAlgorithm) : undefined;
  if (!signingAlgorithm || !scheme) {
    throw new UsageError('SIGNING_ALGORITHM_UNKNOWN', `Cannot tell how to check a ${algorithmName(keyAlgorithm)} signature${o.signingAlgorithm ? ` with ${o.signingAlgorithm}` : ''}; give --signing-algorithm such as ECDSA_SHA_256 or RSASSA_PKCS1_V1_5_SHA_256.`);
  }
  const isEc = isEcAlgorithm(keyAlgorithm);
  if ((scheme.kind === 'ecdsa') !== isEc) {
    throw new UsageError('SIGNING_ALGORITHM_MISMATCH', `${signingAlgorithm} does not go with a ${algorithmName(keyAlgorithm)} key; give a matching --signing-algorithm.`);
  }
  return {
    ok: verifySignature(spki, scheme, message, signature),
    signingAlgorithm,
    keyAlgorithm: algorithmName(keyAlgorithm),
    publicKeySha256: sha256Hex(spki),
    messageBytes: message.length,
  };
}
