/**
 * `--attestation-ca FILE` (hsm.attestationCa): before anything is changed, the HSM's device attestation certificate
 * (opaque 0x0000) must lead, through the certificates of FILE, to a self-signed one of them. The certificate is
 * public (anything answering the protocol can hand out a copy of a genuine one): the device shows it holds the
 * certificate's key only when hsm-attest checks the key's attestation against it, so for an asymmetric key a
 * look-alike is stopped there, before the key is wrapped; a symmetric key has no attestation, and the outcome says so.
 * Shared by `import`'s pre-flight and the air-gapped `wrap`.
 */
import { ObjectType } from '../../protocol/object-types.js';
import { keySpecs } from '../key-specs.js';
import { formatId } from '../../protocol/ids.js';
import type { CeremonyContext } from '../context.js';
import { CeremonyError } from '../errors.js';
import { anchorChain, readTrustedCas } from '../verify-transcript.js';

/** Undefined without --attestation-ca; else what was checked, for the step's outcome. Throws a pre-flight error. */
export function checkGenuineDevice(ctx: CeremonyContext, device: Uint8Array | undefined): string | undefined {
  const file = ctx.config.hsm.attestationCa;
  if (file === undefined) return undefined;
  const cas = readTrustedCas(file);
  if (!device) {
    throw new CeremonyError(
      'HSM_ATTESTATION_UNREADABLE',
      `Cannot check the HSM against ${file}: auth key ${formatId(ctx.config.hsm.authKeyId)} cannot read the device attestation certificate (opaque 0x0000); use an auth key with get-opaque, or drop --attestation-ca.`,
      { preflight: true },
    );
  }
  const anchored = anchorChain([device], cas);
  if (!anchored.ok) {
    throw new CeremonyError(
      'HSM_NOT_ATTESTED',
      `The HSM's device attestation certificate does not lead to a root in ${file} (${anchored.reason}); this may not be a genuine YubiHSM 2: stop, and check the device and the CA file.`,
      { preflight: true },
    );
  }
  const proof = keySpecs[ctx.config.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY
    ? 'not proven to be this device\'s own: a symmetric key has no attestation to check it with'
    : 'the key\'s attestation is checked against it';
  return `device attestation ${anchored.detail}; ${proof}`;
}
