/**
 * Checking a key attestation (SignAttestationCertificate 0x64, PROTOCOL.md 5.4): the certificate the device signed
 * for a key, the device's attestation certificate (GetOpaque 0) and the intermediates, up to a root the caller
 * trusts (Yubico's for a real device; the simulator's test root otherwise). Each certificate must be signed by the
 * next one's key, name it as issuer, and be valid at `at`; the leaf's YubiHSM extensions
 * (1.3.6.1.4.1.41482.4.x) are returned with its public key.
 */
import { parseAttestationExtensions, type ParsedAttestation } from '../crypto/attestation-cert.js';
import { parseCertificate, verifyCertificateSignature, type ParsedCertificate } from '../crypto/x509.js';
import { ProtocolError } from '../errors.js';

export interface VerifiedAttestation {
  /** The attested key's facts: firmware, serial, origin, domains, capabilities, id, label. */
  attributes: ParsedAttestation;
  /** The attested key's SubjectPublicKeyInfo (DER). */
  subjectPublicKeyInfo: Uint8Array;
  /** Serial and firmware from the device attestation certificate (the second in the chain). */
  device: ParsedAttestation;
}

function fail(message: string): never {
  throw new ProtocolError('HSM_ATTESTATION_INVALID', message);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Verifies `chain` = [key certificate, device attestation certificate, ...intermediates] (DER) up to `root`
 * (DER, trusted). Throws ProtocolError HSM_ATTESTATION_INVALID naming the link that fails.
 */
export function verifyAttestation(chain: readonly Uint8Array[], root: Uint8Array, at: Date = new Date()): VerifiedAttestation {
  if (chain.length < 2) fail('An attestation chain needs the key certificate and the device attestation certificate (GetOpaque 0).');
  let certs: ParsedCertificate[];
  try {
    certs = [...chain, root].map((c) => parseCertificate(c));
  } catch (cause) {
    throw new ProtocolError('HSM_ATTESTATION_INVALID', `A certificate in the attestation chain does not parse (${(cause as Error).message}).`, 0x02, { cause });
  }
  const names = ['key attestation certificate', 'device attestation certificate'];
  const nameOf = (i: number) => (i === certs.length - 1 ? 'trusted root' : names[i] ?? `intermediate ${i - 1}`);
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i];
    if (at < c.notBefore || at > c.notAfter) {
      fail(`The ${nameOf(i)} is not valid at ${at.toISOString()} (valid ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()}).`);
    }
    const issuer = certs[Math.min(i + 1, certs.length - 1)];
    if (!sameBytes(c.issuer, issuer.subject)) fail(`The ${nameOf(i)} was not issued by the ${nameOf(Math.min(i + 1, certs.length - 1))} (issuer name differs).`);
    if (!verifyCertificateSignature(c, issuer.subjectPublicKeyInfo)) {
      fail(`The signature on the ${nameOf(i)} does not verify with the key of the ${nameOf(Math.min(i + 1, certs.length - 1))}; the chain is not genuine.`);
    }
  }
  return {
    attributes: parseAttestationExtensions(certs[0]),
    subjectPublicKeyInfo: certs[0].subjectPublicKeyInfo,
    device: parseAttestationExtensions(certs[1]),
  };
}
