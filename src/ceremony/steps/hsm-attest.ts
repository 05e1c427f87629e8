/**
 * Attestation: the HSM signs a certificate for the key with its device attestation key (attesting key 0). The
 * certificate's public key must be the key's public key; the device attestation certificate (opaque object 0, when
 * the auth key may read it) is kept as the first link of the chain.
 */
import { AsymmetricKey } from '../../client/index.js';
import { getOpaque } from '../../protocol/commands/get-opaque.js';
import { certificateFromPem, certificateToPem, parseCertificate, verifyCertificateSignature } from '../../crypto/x509.js';
import { TEST_ATTESTATION_INTERMEDIATE_PEM, TEST_ATTESTATION_ROOT_PEM } from '../../simulator/attestation.js';
import { equalBytes } from '../../protocol/bytes.js';
import { capabilities } from '../../protocol/capabilities.js';
import { ObjectType } from '../../protocol/object-types.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import type { CeremonyStep } from '../context.js';
import { VerificationError } from '../errors.js';
import { keySpecs } from '../key-specs.js';

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
    let note = 'device attestation certificate not readable (auth key lacks get-opaque)';
    if (state.authKey && state.authKey.capabilities & capabilities('get-opaque')) {
      try {
        // Object id 0 is reserved for the device's own attestation certificate, so it is read directly.
        const device = await ctx.session.call(getOpaque, 0);
        const deviceCert = parseCertificate(device);
        if (!verifyCertificateSignature(parsed, deviceCert.subjectPublicKeyInfo)) {
          throw new VerificationError('ATTESTATION_CHAIN_BROKEN', 'The key attestation certificate is not signed by the device attestation certificate (opaque 0); investigate the device.');
        }
        chain.push(device);
        note = 'signed by the device attestation certificate';
      } catch (e) {
        if (e instanceof VerificationError) throw e;
        note = 'device attestation certificate (opaque 0) not available';
      }
    }
    if (chain.length && c.hsm.target.kind === 'embedded') {
      // The simulator's device certificate chains to its published test CA (a real device: Yubico's CA).
      chain.push(certificateFromPem(TEST_ATTESTATION_INTERMEDIATE_PEM), certificateFromPem(TEST_ATTESTATION_ROOT_PEM));
    }
    state.attestation = { certificate, chain };
    writeFileAtomic(ctx.paths.attestation, [certificate, ...chain].map(certificateToPem).join(''), { mode: 0o644 });
    return `attested public key matches; ${note}`;
  },
};
