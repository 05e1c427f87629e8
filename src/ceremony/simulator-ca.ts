/**
 * Telling a software YubiHSM 2 by its attestation: its device attestation certificate (opaque object 0) is issued by
 * the simulator's published test CA (src/simulator/attestation.ts), where a real device's comes from Yubico's. The
 * one place besides targets.ts where the ceremony reads the simulator's code: its two fixed test CA certificates.
 */
import { certificateFromPem, parseCertificate, verifyCertificateSignature } from '../crypto/x509.js';
import { TEST_ATTESTATION_INTERMEDIATE_PEM, TEST_ATTESTATION_ROOT_PEM } from '../simulator/attestation.js';

/** The software YubiHSM 2's test CA, DER (intermediate, then root): the rest of its attestation chain. */
export function simulatorAttestationCa(): Uint8Array[] {
  return [certificateFromPem(TEST_ATTESTATION_INTERMEDIATE_PEM), certificateFromPem(TEST_ATTESTATION_ROOT_PEM)];
}

/**
 * True when a device attestation certificate was issued by the simulator's test CA: the device is a simulator,
 * whichever way it is reached (embedded, or `hsm2kms hsm serve` behind --connector).
 */
export function isSimulatorDeviceCertificate(device: Uint8Array): boolean {
  const [intermediate, root] = simulatorAttestationCa();
  try {
    return verifyCertificateSignature(device, parseCertificate(intermediate).subjectPublicKeyInfo)
      || verifyCertificateSignature(device, parseCertificate(root).subjectPublicKeyInfo);
  } catch {
    return false;
  }
}
