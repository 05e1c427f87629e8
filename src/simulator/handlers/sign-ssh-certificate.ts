/**
 * Sign SSH Certificate 0x5D. developers.yubico.com YubiHSM2/Commands/Sign_Ssh_Certificate and
 * Usage_Guides/OpenSSH_certificates; the answers are checked against yubihsm-shell examples/ssh.c.
 *
 * Request after key id, template id and algorithm: timestamp `now` (u32) ‖ timestamp signature (as long as the
 * template's timestamp key: 256 bytes for RSA-2048) ‖ certificate request (an OpenSSH certificate without its
 * signature). Steps, each with its device error:
 *   1. capability sign-ssh-certificate on the session and an RSA key (INSUFFICIENT_PERMISSIONS / OBJECT_NOT_FOUND,
 *      INVALID_DATA for a non-RSA key); the template (type 6) visible to the session (OBJECT_NOT_FOUND), of
 *      algorithm template-ssh and well formed (INVALID_DATA);
 *   2. the algorithm byte picks the certificate signature: rsa-pkcs1-sha1 (1) "ssh-rsa", rsa-pkcs1-sha256 (2)
 *      "rsa-sha2-256", rsa-pkcs1-sha512 (4) "rsa-sha2-512"; anything else INVALID_DATA [I for 2 and 4];
 *   3. the timestamp signature: RSASSA-PKCS1-v1_5 with SHA-256 over SHA-256(request) ‖ now, by the template's
 *      timestamp key (SSH_CA_CONSTRAINT_VIOLATION when it does not verify [I]; WRONG_LENGTH when the payload is too
 *      short to hold it [I]);
 *   4. the template's constraints (ssh-template.ts): key allowlist, validity window, blocked principals
 *      (SSH_CA_CONSTRAINT_VIOLATION);
 *   5. the answer: the SSH signature blob as an SSH string, string(string(name) ‖ string(RSASSA-PKCS1-v1_5 over
 *      the certificate request)), which the client appends to the request to make the certificate.
 */
import { publicKeyObjectFromRaw } from '../../crypto/keys.js';
import { rsaPkcs1SignDigest, rsaPkcs1VerifyDigest } from '../../crypto/rsa-sign.js';
import { digest } from '../../crypto/digest.js';
import { Algorithm, isRsaAlgorithm } from '../../protocol/algorithms.js';
import { signSshCertificate } from '../../protocol/commands/sign-ssh-certificate.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, useObject } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, requireAlgorithmEnabled, sessionAuth } from '../handler.js';
import { privateKeyOf } from '../objects.js';
import { checkSshConstraints, parseSshTemplate, readCertificateRequest } from '../ssh-template.js';

/** Certificate signature per algorithm byte: OpenSSH signature name and hash (RFC 4253 6.6, RFC 8332). */
const SIGNATURES: Record<number, { name: string; hash: 'sha1' | 'sha256' | 'sha512' }> = {
  1: { name: 'ssh-rsa', hash: 'sha1' },
  2: { name: 'rsa-sha2-256', hash: 'sha256' },
  4: { name: 'rsa-sha2-512', hash: 'sha512' },
};

/** SSH `string`: u32 length ‖ bytes. */
function sshString(...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(4 + length);
  new DataView(out.buffer).setUint32(0, length);
  let o = 4;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const signSshCertificateHandler = defineHandler(signSshCertificate, (ctx, q) => {
  const auth = sessionAuth(ctx);
  const key = useObject(ctx.contents, auth, ObjectType.ASYMMETRIC_KEY, q.keyId, 'sign-ssh-certificate');
  ctx.audit.target = key.id;
  ctx.audit.second = q.templateId;
  if (!isRsaAlgorithm(key.algorithm)) fail(E.INVALID_DATA, 'SignSshCertificate needs an RSA key as the SSH CA key.');
  const templateObject = findVisible(ctx.contents, auth, ObjectType.TEMPLATE, q.templateId);
  if (templateObject.algorithm !== Algorithm.TEMPLATE_SSH) fail(E.INVALID_DATA, 'The template is not an SSH template (algorithm template-ssh, 36).');
  const template = parseSshTemplate(templateObject.material);
  const signature = SIGNATURES[q.algorithm];
  if (!signature) fail(E.INVALID_DATA, `Algorithm ${q.algorithm} cannot sign SSH certificates; use rsa-pkcs1-sha1, rsa-pkcs1-sha256 or rsa-pkcs1-sha512.`);
  requireAlgorithmEnabled(ctx, q.algorithm);

  const k = template.timestampKey.length;
  if (q.request.length <= 4 + k) {
    fail(E.WRONG_LENGTH, `The request must hold a 4-byte timestamp, its ${k}-byte signature and the certificate request.`);
  }
  const now = q.request.subarray(0, 4);
  const timestampSignature = q.request.subarray(4, 4 + k);
  const body = q.request.subarray(4 + k);
  let timestampKey: ReturnType<typeof publicKeyObjectFromRaw>;
  try {
    timestampKey = publicKeyObjectFromRaw(template.timestampAlgorithm, template.timestampKey);
  } catch {
    fail(E.INVALID_DATA, 'The SSH template\'s timestamp public key (tag 2) is not a usable RSA modulus.');
  }
  const signed = digest('sha256', Uint8Array.from([...digest('sha256', body), ...now]));
  if (!rsaPkcs1VerifyDigest(timestampKey, signed, timestampSignature)) {
    fail(E.SSH_CA_CONSTRAINT_VIOLATION, 'The timestamp signature does not verify with the SSH template\'s timestamp key.');
  }

  const fields = readCertificateRequest(body);
  checkSshConstraints(template, key.id, new DataView(now.buffer, now.byteOffset, 4).getUint32(0), fields);

  const sig = rsaPkcs1SignDigest(privateKeyOf(key), digest(signature.hash, body));
  return sshString(sshString(new TextEncoder().encode(signature.name)), sshString(sig));
});
