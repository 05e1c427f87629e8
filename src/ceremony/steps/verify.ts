/**
 * Verification, both ways (seed steps 6-7 and more). Asymmetric keys: KMS GetPublicKey must equal the HSM public
 * key and the attested key byte for byte; KMS signs the message and the HSM public key verifies it; the HSM signs
 * and KMS Verify accepts; a tampered message fails both ways. RSA encryption keys: KMS encrypts and the HSM
 * decrypts, and the reverse. Symmetric keys: a KMS encrypt/decrypt round trip, and a second HSM export re-imported
 * as the existing material, which KMS accepts only if it is the same key. Writes the seed's files so that
 * `openssl dgst -sha256 -verify key0x100.pub -signature message-aws.signature message-aws.txt` works verbatim.
 * The checks are exported one by one: `complete` runs the KMS halves against the HSM's signature from `wrap`, and
 * `wrap` runs the HSM's half offline.
 */
import { AsymmetricKey } from '../../client/index.js';
import { digest, sha256Hex } from '../../crypto/digest.js';
import { randomBytes } from '../../crypto/random.js';
import { rsaOaepEncrypt, schemeForKmsAlgorithm, verifySignature } from '../../crypto/verify.js';
import type { SigningAlgorithmSpec } from '../../kms/client/names.js';
import { equalBytes } from '../../protocol/bytes.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { VerificationError } from '../errors.js';
import { keySpecs } from '../key-specs.js';
import { wrapForKms } from './hsm-wrap.js';
import { loadWrapKey } from './hsm-put-wrap-key.js';
import { expirationOf } from './kms-import.js';
import { fetchImportParameters, recordParams } from './kms-import-params.js';
import { kmsCall } from './kms-retry.js';
import { writeOutput, writeSignatureOutputs } from './outputs.js';

/** What each check found, by name (the transcript's verification.checks). */
export type Checks = Record<string, boolean | string>;

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

/** The KMS signing algorithm of the key spec and its local verification scheme. */
function signing(ctx: CeremonyContext) {
  const algorithm = keySpecs[ctx.config.key.keySpec].signingAlgorithm! as SigningAlgorithmSpec;
  return { algorithm, scheme: schemeForKmsAlgorithm(algorithm)! };
}

/** A KMS answer must come from the ceremony's key (the alias, the seed's `--key-id alias/key0x100`, may have moved). */
function mustBeOurKey(ctx: CeremonyContext, answeredBy: string): void {
  const { arn, keyId } = ctx.state.kmsKey!;
  must(answeredBy === arn, 'KMS_ALIAS_MOVED', `KMS alias ${ctx.config.kms.alias} leads to key ${answeredBy}, not to this ceremony's key ${arn}; point the alias back at ${keyId} (aws kms update-alias) and re-run.`);
}

/** KMS GetPublicKey (through `keyRef`) equals the HSM public key byte for byte. */
export async function checkKmsPublicKey(ctx: CeremonyContext, keyRef: string, spki: Uint8Array, checks: Checks): Promise<void> {
  const kmsPublic = await kmsCall(ctx, 'GetPublicKey', () => ctx.kms.getPublicKey(keyRef));
  mustBeOurKey(ctx, kmsPublic.keyArn);
  must(equalBytes(kmsPublic.publicKey, spki), 'PUBLIC_KEY_MISMATCH', `KMS GetPublicKey (SHA-256 ${sha256Hex(kmsPublic.publicKey).slice(0, 16)}…) differs from the HSM public key (${sha256Hex(spki).slice(0, 16)}…); do not use this KMS key.`);
  checks.kmsPublicKeyEqualsHsmPublicKey = true;
}

/** Seed steps 6-7: KMS signs the message (written to the seed's files) and the HSM public key verifies it. */
export async function checkKmsSignature(ctx: CeremonyContext, keyRef: string, spki: Uint8Array, message: Uint8Array, checks: Checks): Promise<void> {
  const { algorithm, scheme } = signing(ctx);
  writeOutput(ctx, ctx.paths.message, message, 0o644);
  const signed = await kmsCall(ctx, 'Sign', () => ctx.kms.sign({ keyRef, message, messageType: 'RAW', signingAlgorithm: algorithm }));
  mustBeOurKey(ctx, signed.keyArn);
  await ctx.checkpoint('verify:after-kms-sign');
  writeSignatureOutputs(ctx, ctx.paths.signature, signed.signature, ctx.config.key.keySpec);
  ctx.state.kmsSignature = signed.signature;
  must(verifySignature(spki, scheme, message, signed.signature), 'KMS_SIGNATURE_NOT_VERIFIED', `The HSM public key does not verify the KMS signature over ${ctx.paths.message}: KMS holds a different key. Do not use this KMS key.`);
  checks.kmsSignatureVerifiedWithHsmPublicKey = true;
  must(!verifySignature(spki, scheme, tamper(message), signed.signature), 'TAMPER_NOT_DETECTED', 'A tampered message verified locally; the verification itself is broken.');
  checks.tamperedMessageRejectedLocally = true;
}

/** The HSM signs the message's digest (ECDSA DER or PKCS#1 v1.5, what KMS Verify takes), checked with its public key. */
export async function hsmSign(ctx: CeremonyContext, message: Uint8Array): Promise<{ signingAlgorithm: string; signature: Uint8Array }> {
  const { algorithm, scheme } = signing(ctx);
  const key = AsymmetricKey.from(ctx.session, ctx.config.key.id);
  const d = digest(scheme.hash, message);
  const signature = scheme.kind === 'ecdsa' ? await key.signEcdsa(d) : await key.signPkcs1(d);
  must(verifySignature(ctx.state.publicKeySpki!, scheme, message, signature), 'HSM_SIGNATURE_NOT_VERIFIED', 'The HSM signature does not verify with the HSM public key; investigate the device.');
  return { signingAlgorithm: algorithm, signature };
}

/** KMS Verify accepts the HSM's signature over the message and rejects it over a tampered one. */
export async function checkKmsAcceptsHsmSignature(ctx: CeremonyContext, message: Uint8Array, signature: Uint8Array, checks: Checks): Promise<void> {
  const { algorithm } = signing(ctx);
  const keyRef = ctx.state.kmsKey!.arn;
  const accepts = (m: Uint8Array) => kmsCall(ctx, 'Verify', () => ctx.kms.verify({ keyRef, message: m, messageType: 'RAW', signingAlgorithm: algorithm, signature }));
  must(await accepts(message), 'KMS_REJECTED_HSM_SIGNATURE', 'KMS Verify rejected a signature made by the HSM key: KMS holds a different key. Do not use this KMS key.');
  checks.hsmSignatureVerifiedByKms = true;
  must(!(await accepts(tamper(message))), 'TAMPER_NOT_DETECTED', 'KMS Verify accepted a tampered message.');
  checks.tamperedMessageRejectedByKms = true;
}

/**
 * A fresh 32-byte secret sent through `roundTrip` must come back unchanged (else `code`, `message`); both copies are
 * wiped.
 */
async function secretComesBack(roundTrip: (secret: Uint8Array) => Promise<Uint8Array>, code: string, message: string): Promise<void> {
  const secret = randomBytes(32);
  try {
    const back = await roundTrip(secret);
    const same = equalBytes(back, secret);
    back.fill(0);
    must(same, code, message);
  } finally {
    secret.fill(0);
  }
}

/** KMS decrypts what was encrypted locally to the HSM public key (RSAES_OAEP_SHA_256). */
export async function checkKmsDecryptsForHsmKey(ctx: CeremonyContext, spki: Uint8Array, checks: Checks): Promise<void> {
  await secretComesBack(
    async (secret) => (await ctx.kms.decrypt({ keyRef: ctx.state.kmsKey!.arn, ciphertext: rsaOaepEncrypt(spki, 'sha256', secret), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).plaintext,
    'KMS_CANNOT_DECRYPT_HSM', 'KMS could not decrypt a message encrypted to the HSM public key: KMS holds a different key.',
  );
  checks.hsmPublicKeyCiphertextDecryptedByKms = true;
}

/** The HSM decrypts what KMS encrypted with the key (RSAES_OAEP_SHA_256). */
async function checkHsmDecryptsForKms(ctx: CeremonyContext, checks: Checks): Promise<void> {
  await secretComesBack(async (secret) => {
    const fromKms = await ctx.kms.encrypt({ keyRef: ctx.state.kmsKey!.arn, plaintext: secret, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    return AsymmetricKey.from(ctx.session, ctx.config.key.id).decryptOaep(fromKms.ciphertext, { oaepHash: 'sha256', mgf1Hash: 'sha256' });
  }, 'HSM_CANNOT_DECRYPT_KMS', 'The HSM could not decrypt what KMS encrypted: KMS holds a different key.');
  checks.kmsCiphertextDecryptedByHsm = true;
}

async function verifySymmetric(ctx: CeremonyContext, checks: Checks): Promise<void> {
  const arn = ctx.state.kmsKey!.arn;
  await secretComesBack(async (secret) => {
    const enc = await ctx.kms.encrypt({ keyRef: arn, plaintext: secret, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    return (await ctx.kms.decrypt({ keyRef: arn, ciphertext: enc.ciphertext, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' })).plaintext;
  }, 'KMS_ROUND_TRIP_FAILED', 'KMS did not decrypt its own ciphertext.');
  checks.kmsEncryptDecryptRoundTrip = true;
  // KMS accepts re-imported symmetric material only if it is the material it already holds.
  const params = await fetchImportParameters(ctx, arn);
  await recordParams(ctx, params);
  await loadWrapKey(ctx);
  const blob = await wrapForKms(ctx);
  await ctx.checkpoint('verify:before-reimport');
  await ctx.kms.importKeyMaterial({ keyId: arn, importToken: params.importToken, encryptedKeyMaterial: blob, expiration: expirationOf(ctx.config) });
  checks.hsmKeyReimportedAsSameMaterial = true;
}

export const verify: CeremonyStep = {
  name: 'verify',
  async run(ctx) {
    const c = ctx.config;
    const checks: Checks = {};
    ctx.state.verification = checks;
    if (keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY) {
      await verifySymmetric(ctx, checks);
      return 'KMS round trip; KMS accepted the HSM key again as the same material';
    }
    const spki = ctx.state.publicKeySpki!;
    await checkKmsPublicKey(ctx, c.kms.alias, spki, checks);
    // The attestation step checked that the attested key is the HSM public key.
    if (ctx.state.attestation) checks.kmsPublicKeyEqualsAttestedPublicKey = true;
    if (c.key.usage === 'SIGN_VERIFY') {
      const message = new TextEncoder().encode(c.message);
      await checkKmsSignature(ctx, c.kms.alias, spki, message, checks);
      const hsm = await hsmSign(ctx, message);
      await checkKmsAcceptsHsmSignature(ctx, message, hsm.signature, checks);
    } else {
      await checkHsmDecryptsForKms(ctx, checks);
      await checkKmsDecryptsForHsmKey(ctx, spki, checks);
    }
    const passed = Object.values(checks).filter((v) => v === true).length;
    checks.publicKeySha256 = sha256Hex(spki);
    return `public keys equal (SHA-256 ${checks.publicKeySha256}); ${passed} checks passed both ways`;
  },
};
