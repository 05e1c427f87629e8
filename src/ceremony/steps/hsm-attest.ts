/**
 * Attestation: the HSM signs a certificate for the key with its device attestation key (attesting key 0). The
 * certificate's public key must be the key's public key; the device attestation certificate (opaque 0, when the auth
 * key may read it) must have signed it and is kept as the first link of the chain. A software YubiHSM 2's device
 * certificate comes from the simulator's test CA, which is appended (a real device's comes from Yubico's CA).
 */
import { AsymmetricKey } from '../../client/index.js';
import { certificateToPem, parseCertificate, verifyCertificateSignature } from '../../crypto/x509.js';
import { equalBytes } from '../../protocol/bytes.js';
import { capabilities } from '../../protocol/capabilities.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyStep } from '../context.js';
import { VerificationError } from '../errors.js';
import { keySpecs } from '../key-specs.js';
import { isSimulatorDeviceCertificate, simulatorAttestationCa } from '../simulator-ca.js';
import { anchorChain, readTrustedCas } from '../verify-transcript.js';
import { readDeviceCertificate } from './hsm-objects.js';
import { writeOutput } from './outputs.js';

export const hsmAttest: CeremonyStep = {
  name: 'hsm-attest',
  async run(ctx) {
    const { config: c, state } = ctx;
    if (keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY) return 'not applicable (symmetric key)';
    const certificate = await AsymmetricKey.from(ctx.session, c.key.id).attest(0);
    const parsed = parseCertificate(certificate);
    if (!state.publicKeySpki || !equalBytes(parsed.subjectPublicKeyInfo, state.publicKeySpki)) {
      throw new VerificationError('ATTESTATION_KEY_MISMATCH', 'The attestation certificate attests a different public key than the HSM returned for the key; do not import it, and investigate the device.');
    }
    const chain: Uint8Array[] = [];
    const mayRead = state.authKey !== undefined && (state.authKey.capabilities & capabilities('get-opaque')) !== 0n;
    let note = mayRead ? 'device attestation certificate (opaque 0) not available' : 'device attestation certificate not readable (auth key lacks get-opaque)';
    const device = await readDeviceCertificate(ctx.session, state.authKey);
    let deviceKey: Uint8Array | undefined;
    try {
      if (device) deviceKey = parseCertificate(device).subjectPublicKeyInfo;
    } catch {
      note = 'opaque 0 holds no device attestation certificate';
    }
    if (device && deviceKey) {
      if (!verifyCertificateSignature(parsed, deviceKey)) {
        throw new VerificationError('ATTESTATION_CHAIN_BROKEN', 'The key attestation certificate is not signed by the device attestation certificate (opaque 0); investigate the device.');
      }
      chain.push(device);
      note = 'signed by the device attestation certificate';
      // The rest of the chain, so that the transcript holds it whole: the test CA for a simulator, else the
      // certificates of --attestation-ca that pre-flight anchored the device certificate with (Yubico's, on a real one).
      const anchored = c.hsm.attestationCa !== undefined ? anchorChain([device], readTrustedCas(c.hsm.attestationCa)) : undefined;
      const simulator = isSimulatorDeviceCertificate(device);
      if (anchored?.ok) {
        chain.push(...anchored.path);
        note += `, ${anchored.detail}`;
      } else if (simulator) {
        chain.push(...simulatorAttestationCa());
      }
      if (simulator) note += ', issued by the software YubiHSM 2\'s test CA (a simulator, not an HSM)';
    }
    state.attestation = { certificate, chain };
    writeOutput(ctx, ctx.paths.attestation, [certificate, ...chain].map(certificateToPem).join(''), 0o644);
    return `attested public key matches; ${note}`;
  },
};
