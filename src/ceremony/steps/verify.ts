/**
 * Verification, both ways (seed steps 6-7 and more). Asymmetric keys: KMS GetPublicKey must equal the HSM public
 * key and the attested key byte for byte; KMS signs the message and the HSM public key verifies it; the HSM signs
 * and KMS Verify accepts; a tampered message fails both ways. RSA encryption keys: KMS encrypts and the HSM
 * decrypts, and the reverse. Symmetric keys: a KMS encrypt/decrypt round trip, and a second HSM export re-imported
 * as the existing material, which KMS accepts only if it is the same key. Writes the seed's files so that
 * `openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature message-aws.txt` works verbatim.
 */
import { AsymmetricKey } from '../../client/index.js';
import { digest, sha256Hex } from '../../crypto/digest.js';
import { rsaOaepEncrypt, schemeForKmsAlgorithm, verifySignature } from '../../crypto/verify.js';
import type { SigningAlgorithmSpec } from '../../kms/client/names.js';
import { equalBytes } from '../../protocol/bytes.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { VerificationError } from '../errors.js';
import { keySpecs } from '../key-specs.js';
import { fetchImportParameters, recordParams } from './kms-import-params.js';
import { kmsCall } from './kms-retry.js';
import { writeOutput, writeSignatureOutputs } from './outputs.js';
import { wrapForKms } from './hsm-wrap.js';
import { loadWrapKey } from './hsm-put-wrap-key.js';
import { randomBytes } from '../../crypto/random.js';

/** Throws a VerificationError unless `ok`. */
export function must(ok: boolean, code: string, message: string): void {
  if (!ok) throw new VerificationError(code, message);
}

/** The message with one bit flipped, to check that a verification can fail. */
export function tamper(message: Uint8Array): Uint8Array {
  const t = message.slice();
  t[0] ^= 0x01;
  return t;
}

/** The alias (the seed's `--key-id alias/key0x100`) must still lead to the ceremony's key. */
function mustBeOurKey(ctx: CeremonyContext, answeredBy: string): void {
  const arn = ctx.state.kmsKey!.arn;
  must(answeredBy === arn, 'KMS_ALIAS_MOVED', `KMS alias ${ctx.config.kms.alias} leads to key ${answeredBy}, not to this ceremony's key ${arn}; point the alias back at ${ctx.state.kmsKey!.keyId} (aws kms update-alias) and re-run.`);
}

async function verifySigning(ctx: CeremonyContext, checks: Record<string, boolean | string>): Promise<void> {
  const c = ctx.config;
  const spec = keySpecs[c.key.keySpec];
  const arn = ctx.state.kmsKey!.arn;
  const spki = ctx.state.publicKeySpki!;
  const algorithm = spec.signingAlgorithm! as SigningAlgorithmSpec;
  const scheme = schemeForKmsAlgorithm(algorithm)!;
  const message = new TextEncoder().encode(c.message);
  writeOutput(ctx, ctx.paths.message, message, 0o644);

  // KMS signs (seed step 6); the HSM's public key verifies (seed step 7).
  const signed = await kmsCall(ctx, 'Sign', () => ctx.kms.sign({ keyRef: c.kms.alias, message, messageType: 'RAW', signingAlgorithm: algorithm }));
  mustBeOurKey(ctx, signed.keyArn);
  await ctx.checkpoint('verify:after-kms-sign');
  writeSignatureOutputs(ctx, ctx.paths.signature, signed.signature, c.key.keySpec);
  ctx.state.kmsSignature = signed.signature;
  must(verifySignature(spki, scheme, message, signed.signature), 'KMS_SIGNATURE_NOT_VERIFIED', `The HSM public key does not verify the KMS signature over ${ctx.paths.message}: KMS holds a different key. Do not use this KMS key.`);
  checks.kmsSignatureVerifiedWithHsmPublicKey = true;
  must(!verifySignature(spki, scheme, tamper(message), signed.signature), 'TAMPER_NOT_DETECTED', 'A tampered message verified locally; the verification itself is broken.');
  checks.tamperedMessageRejectedLocally = true;

  // The HSM signs the digest; KMS Verify must accept it.
  const key = AsymmetricKey.from(ctx.session, c.key.id);
  const d = digest(scheme.hash, message);
  const hsmSignature = scheme.kind === 'ecdsa' ? await key.signEcdsa(d) : await key.signPkcs1(d);
  must(verifySignature(spki, scheme, message, hsmSignature), 'HSM_SIGNATURE_NOT_VERIFIED', 'The HSM signature does not verify with the HSM public key; investigate the device.');
  must(await ctx.kms.verify({ keyRef: arn, message, messageType: 'RAW', signingAlgorithm: algorithm, signature: hsmSignature }), 'KMS_REJECTED_HSM_SIGNATURE', 'KMS Verify rejected a signature made by the HSM key: KMS holds a different key. Do not use this KMS key.');
  checks.hsmSignatureVerifiedByKms = true;
  must(!(await ctx.kms.verify({ keyRef: arn, message: tamper(message), messageType: 'RAW', signingAlgorithm: algorithm, signature: hsmSignature })), 'TAMPER_NOT_DETECTED', 'KMS Verify accepted a tampered message.');
  checks.tamperedMessageRejectedByKms = true;
}

async function verifyRsaEncryption(ctx: CeremonyContext, checks: Record<string, boolean | string>): Promise<void> {
  const arn = ctx.state.kmsKey!.arn;
  const secret = randomBytes(32);
  const fromKms = await ctx.kms.encrypt({ keyRef: arn, plaintext: secret, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
  const byHsm = await AsymmetricKey.from(ctx.session, ctx.config.key.id).decryptOaep(fromKms.ciphertext, { oaepHash: 'sha256', mgf1Hash: 'sha256' });
  must(equalBytes(byHsm, secret), 'HSM_CANNOT_DECRYPT_KMS', 'The HSM could not decrypt what KMS encrypted: KMS holds a different key.');
  checks.kmsCiphertextDecryptedByHsm = true;
  const toKms = rsaOaepEncrypt(ctx.state.publicKeySpki!, 'sha256', secret);
  const back = await ctx.kms.decrypt({ keyRef: arn, ciphertext: toKms, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
  must(equalBytes(back.plaintext, secret), 'KMS_CANNOT_DECRYPT_HSM', 'KMS could not decrypt a message encrypted to the HSM public key: KMS holds a different key.');
  checks.hsmPublicKeyCiphertextDecryptedByKms = true;
  secret.fill(0);
}

async function verifySymmetric(ctx: CeremonyContext, checks: Record<string, boolean | string>): Promise<void> {
  const arn = ctx.state.kmsKey!.arn;
  const secret = randomBytes(32);
  const enc = await ctx.kms.encrypt({ keyRef: arn, plaintext: secret, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  const dec = await ctx.kms.decrypt({ keyRef: arn, ciphertext: enc.ciphertext, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  must(equalBytes(dec.plaintext, secret), 'KMS_ROUND_TRIP_FAILED', 'KMS did not decrypt its own ciphertext.');
  checks.kmsEncryptDecryptRoundTrip = true;
  secret.fill(0);
  // KMS accepts re-imported symmetric material only if it is the material it already holds.
  const params = await fetchImportParameters(ctx, arn);
  await recordParams(ctx, params);
  await loadWrapKey(ctx);
  const blob = await wrapForKms(ctx);
  await ctx.checkpoint('verify:before-reimport');
  const expiration = ctx.config.kms.expiration.model === 'KEY_MATERIAL_EXPIRES'
    ? { expirationModel: 'KEY_MATERIAL_EXPIRES' as const, validTo: new Date(ctx.config.kms.expiration.validTo) }
    : { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const };
  await ctx.kms.importKeyMaterial({ keyId: arn, importToken: params.importToken, encryptedKeyMaterial: blob, expiration });
  checks.hsmKeyReimportedAsSameMaterial = true;
}

export const verify: CeremonyStep = {
  name: 'verify',
  async run(ctx) {
    const c = ctx.config;
    const checks: Record<string, boolean | string> = {};
    ctx.state.verification = checks;
    if (keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY) {
      await verifySymmetric(ctx, checks);
      return 'KMS round trip; KMS accepted the HSM key again as the same material';
    }
    const kmsPublic = await kmsCall(ctx, 'GetPublicKey', () => ctx.kms.getPublicKey(c.kms.alias));
    mustBeOurKey(ctx, kmsPublic.keyArn);
    const hsmSpki = ctx.state.publicKeySpki!;
    must(equalBytes(kmsPublic.publicKey, hsmSpki), 'PUBLIC_KEY_MISMATCH', `KMS GetPublicKey (SHA-256 ${sha256Hex(kmsPublic.publicKey).slice(0, 16)}…) differs from the HSM public key (${sha256Hex(hsmSpki).slice(0, 16)}…); do not use this KMS key.`);
    checks.kmsPublicKeyEqualsHsmPublicKey = true;
    if (ctx.state.attestation) {
      checks.kmsPublicKeyEqualsAttestedPublicKey = true; // the attestation step checked attested == HSM public key
    }
    if (c.key.usage === 'SIGN_VERIFY') await verifySigning(ctx, checks);
    else await verifyRsaEncryption(ctx, checks);
    checks.publicKeySha256 = sha256Hex(hsmSpki);
    return `public keys equal (SHA-256 ${sha256Hex(hsmSpki)}); ${Object.keys(checks).length - 2} checks passed both ways`;
  },
};
