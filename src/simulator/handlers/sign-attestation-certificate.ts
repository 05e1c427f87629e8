/**
 * Sign Attestation Certificate 0x64 (PROTOCOL.md 5.4): session capability sign-attestation-certificate; the
 * attested object is an asymmetric key visible to the session. Attesting key 0 is the device attestation key,
 * whose certificate (from the simulator's test CA, attestation.ts) gives issuer and validity. Any other attesting
 * key is an RSA or EC asymmetric key holding sign-attestation-certificate, with an X.509 opaque object
 * (algorithm 31) of the same id as its certificate (INVALID_DATA without one). The certificate carries the
 * 1.3.6.1.4.1.41482.4.{1 firmware, 2 serial, 3 origin, 4 domains, 5 capabilities, 6 id, 9 label} extensions.
 */
import { signAttestationCertificate as signCertificate } from '../../crypto/attestation-cert.js';
import { privateKeyObject } from '../../crypto/keys.js';
import { encodeSpki } from '../../crypto/spki.js';
import { Algorithm, isEcAlgorithm, isRsaAlgorithm } from '../../protocol/algorithms.js';
import { signAttestationCertificate } from '../../protocol/commands/sign-attestation-certificate.js';
import { ObjectType } from '../../protocol/object-types.js';
import { findVisible, requireSessionCapability, requireUse } from '../access.js';
import { E, fail } from '../fail.js';
import { defineHandler, sessionAuth } from '../handler.js';
import { privateKeyOf, rawPublicOf } from '../objects.js';

export const signAttestationCertificateHandler = defineHandler(signAttestationCertificate, (ctx, q) => {
  const auth = sessionAuth(ctx);
  requireSessionCapability(auth, 'sign-attestation-certificate');
  const key = findVisible(ctx.contents, auth, ObjectType.ASYMMETRIC_KEY, q.keyId);
  ctx.audit.target = key.id;
  ctx.audit.second = q.attestingKeyId;
  let attesting: { certificate: Uint8Array; privateKey: ReturnType<typeof privateKeyObject> };
  const identity = ctx.device.identity();
  if (q.attestingKeyId === 0) {
    const a = identity.attestation;
    if (!a) fail(E.OBJECT_NOT_FOUND, 'This device has no attestation key.');
    attesting = { certificate: a.certificate, privateKey: privateKeyObject(a.algorithm, a.material) };
  } else {
    const signer = findVisible(ctx.contents, auth, ObjectType.ASYMMETRIC_KEY, q.attestingKeyId);
    requireUse(auth, signer, 'sign-attestation-certificate');
    if (!isRsaAlgorithm(signer.algorithm) && !isEcAlgorithm(signer.algorithm)) fail(E.INVALID_DATA, 'An attesting key is RSA or EC.');
    const template = findVisible(ctx.contents, auth, ObjectType.OPAQUE, q.attestingKeyId);
    if (template.algorithm !== Algorithm.OPAQUE_X509_CERTIFICATE) fail(E.INVALID_DATA, 'The attesting key needs an X.509 certificate opaque object of the same id.');
    attesting = { certificate: template.material, privateKey: privateKeyOf(signer) };
  }
  const { major, minor, patch } = ctx.device.firmware;
  return signCertificate({
    attestedPublicKey: encodeSpki(key.algorithm, rawPublicOf(key)),
    attributes: {
      firmwareVersion: [major, minor, patch],
      serialNumber: identity.serial,
      origin: key.origin,
      domains: key.domains,
      capabilities: key.capabilities,
      objectId: key.id,
      label: key.label,
    },
    attesting,
    serialNumber: serialFrom(ctx.device.random(16)),
  });
});

/** A positive 16-byte certificate serial from the device RNG (top bit clear). */
function serialFrom(b: Uint8Array): bigint {
  b[0] = (b[0] & 0x7f) | 0x01;
  return BigInt('0x' + Buffer.from(b).toString('hex'));
}
