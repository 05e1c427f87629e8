/**
 * Sign Attestation Certificate, command 0x64.
 * https://developers.yubico.com/YubiHSM2/Commands/Sign_Attestation_Certificate.html
 * In a session; capability sign-attestation-certificate on the session and the attesting key.
 * Request (L = 4): key id(2) ‖ attesting key id(2) (0 = the built-in Yubico attestation key).
 * Response: a DER X.509 certificate.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeBytesAtLeast, exactly } from './shared.js';

export interface SignAttestationCertificateRequest {
  keyId: number;
  attestingKeyId: number;
}

export const signAttestationCertificate = defineCommand<SignAttestationCertificateRequest, Uint8Array>({
  code: Command.SIGN_ATTESTATION_CERTIFICATE,
  name: 'Sign Attestation Certificate',
  context: 'session',
  encodeRequest: (q) => new Writer(4).u16(q.keyId).u16(q.attestingKeyId).finish(),
  decodeRequest(payload) {
    const r = new Reader(exactly(payload, 4, 'SignAttestationCertificate request'));
    return { keyId: r.u16('key id'), attestingKeyId: r.u16('attesting key id') };
  },
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeBytesAtLeast(p, 1, 'SignAttestationCertificate response'),
});
