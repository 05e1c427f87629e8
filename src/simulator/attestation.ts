/**
 * The simulator's attestation chain, shaped like Yubico's (PROTOCOL.md 5.4; docs.yubico.com "Attestation"):
 *
 *   Test YubiHSM Root CA  ->  Test YubiHSM Attestation Intermediate  ->  device attestation certificate (one per
 *   simulated device, opaque id 0, attesting key id 0, carrying 1.3.6.1.4.1.41482.4.1 firmware and .2 serial)
 *   ->  key attestation certificates signed by SignAttestationCertificate (0x64).
 *
 * The root and intermediate certificates below are fixed, so every simulated device chains to the same test root
 * (as every real device chains to Yubico's); the intermediate's private key is here because the simulator issues
 * device certificates with it. It is a TEST CA: names say "hsm2kms test", and nothing should ever trust it
 * outside rehearsal and tests. (The root's private key was discarded after issuing the intermediate.)
 * Made once with createTestAttestationChain (src/crypto/attestation-cert.ts), EC P-256, valid 2017-01-01..2071-10-05.
 */
import { createTestAttestationChain } from '../crypto/attestation-cert.js';
import { privateKeyObject, rawFromPrivateKeyObject } from '../crypto/keys.js';
import { parsePkcs8, pkcs8FromPem } from '../crypto/pkcs8.js';
import type { DeviceAttestation, DeviceIdentity } from './state.js';

/** The test root CA certificate (PEM): the trust anchor for simulated devices' attestation certificates. */
export const TEST_ATTESTATION_ROOT_PEM = `-----BEGIN CERTIFICATE-----
MIIB0zCCAXigAwIBAgIQM9U7fyNlce/CqiA0pKN1ezAKBggqhkjOPQQDAjA2MRUw
EwYDVQQKDAxoc20ya21zIHRlc3QxHTAbBgNVBAMMFFRlc3QgWXViaUhTTSBSb290
IENBMCAXDTE3MDEwMTAwMDAwMFoYDzIwNzExMDA1MDAwMDAwWjA2MRUwEwYDVQQK
DAxoc20ya21zIHRlc3QxHTAbBgNVBAMMFFRlc3QgWXViaUhTTSBSb290IENBMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOzq+qaSImDamoSigFRtvGDB9qX/px0Ok
sFl+yIopE8nCjDxcTq7bZsPKEGmb7uRWvVf6zPLtR/1Kxr280nuVt6NmMGQwEgYD
VR0TAQH/BAgwBgEB/wIBAjAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFL1zQU7W
BJDw2own0Y4bjwy+tBAUMB8GA1UdIwQYMBaAFL1zQU7WBJDw2own0Y4bjwy+tBAU
MAoGCCqGSM49BAMCA0kAMEYCIQCz/mlyuVQYS7G+dIqxuzDG2snSnftQmbL/V9al
VDJOLgIhAMpbkv5GRnifWBcDXBL33jQn7Ui56i95SsFDsgqGalwR
-----END CERTIFICATE-----
`;

/** The test intermediate CA certificate (PEM) that issues each simulated device's attestation certificate. */
export const TEST_ATTESTATION_INTERMEDIATE_PEM = `-----BEGIN CERTIFICATE-----
MIIB4zCCAYmgAwIBAgIQWygPf+pP2CCMx1JaZLSrvzAKBggqhkjOPQQDAjA2MRUw
EwYDVQQKDAxoc20ya21zIHRlc3QxHTAbBgNVBAMMFFRlc3QgWXViaUhTTSBSb290
IENBMCAXDTE3MDEwMTAwMDAwMFoYDzIwNzExMDA1MDAwMDAwWjBHMRUwEwYDVQQK
DAxoc20ya21zIHRlc3QxLjAsBgNVBAMMJVRlc3QgWXViaUhTTSBBdHRlc3RhdGlv
biBJbnRlcm1lZGlhdGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQfiCY52Lyh
lM7luW1H4DOm0gwcAVjMdhi/OxT4rF20EJnSEk0oVhfFCil/RlYZjpo5XkF7W2M0
WbzKKKv/nCp5o2YwZDASBgNVHRMBAf8ECDAGAQH/AgEBMA4GA1UdDwEB/wQEAwIB
BjAdBgNVHQ4EFgQUwXac0thdpOAn4NG1xT8oWvfONtIwHwYDVR0jBBgwFoAUvXNB
TtYEkPDajCfRjhuPDL60EBQwCgYIKoZIzj0EAwIDSAAwRQIgKXQcexcB8pdVibuY
BHwdKvWqiBdG6QszrlPDOXG/dVcCIQD5rSxNKRNtP/APZj2qBG0IFocWGUZ0SCHT
0VCh6YOZAQ==
-----END CERTIFICATE-----
`;

const TEST_INTERMEDIATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgH7vInI4yOBGrF10u
YdbyeJozN1R6IDiRpq5Cc7TYRgehRANCAAQfiCY52LyhlM7luW1H4DOm0gwcAVjM
dhi/OxT4rF20EJnSEk0oVhfFCil/RlYZjpo5XkF7W2M0WbzKKKv/nCp5
-----END PRIVATE KEY-----
`;

function intermediateKey() {
  const raw = parsePkcs8(pkcs8FromPem(TEST_INTERMEDIATE_KEY_PEM));
  return privateKeyObject(raw.algorithm, raw.material);
}

/** A new device attestation key (EC P-256) and its certificate from the test intermediate, for `identity`. */
export function createDeviceAttestation(identity: DeviceIdentity, firmware: readonly [number, number, number]): DeviceAttestation {
  const chain = createTestAttestationChain({
    serialNumber: identity.serial,
    firmwareVersion: firmware,
    intermediateKey: intermediateKey(),
  });
  const raw = rawFromPrivateKeyObject(chain.device.privateKey);
  return { algorithm: raw.algorithm, material: raw.material, certificate: chain.device.certificate };
}
