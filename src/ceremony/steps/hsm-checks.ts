/**
 * What the HSM must allow before anything is changed, shared by `import`'s pre-flight, the air-gapped `wrap` and
 * the seed-step commands: the authentication key's capabilities, delegated capabilities and domains (every missing
 * item listed at once), and whether a key that already exists can be exported for KMS and checked both ways.
 * Every refusal is a pre-flight error (nothing was changed) with a stable code.
 */
import type { ObjectInfo } from '../../protocol/commands/get-object-info.js';
import { capabilities, capabilityNames, formatCapabilities, type CapabilityName } from '../../protocol/capabilities.js';
import { domainList, formatDomains } from '../../protocol/domains.js';
import { formatId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyConfig } from '../config.js';
import { CeremonyError } from '../errors.js';
import { keySpecs } from '../key-specs.js';
import { keyCapabilities } from './hsm-objects.js';

/**
 * The capabilities the HSM side of "verify both ways" uses on the key: the HSM signs (ECDSA, or RSA PKCS#1 v1.5)
 * or decrypts (RSA OAEP). A symmetric key is checked through KMS alone (a re-import of the same material).
 */
export function verifyCapabilityNames(c: CeremonyConfig): CapabilityName[] {
  const spec = keySpecs[c.key.keySpec];
  if (spec.objectType === ObjectType.SYMMETRIC_KEY) return [];
  if (c.key.usage === 'ENCRYPT_DECRYPT') return ['decrypt-oaep'];
  return [c.key.keySpec.startsWith('RSA_') ? 'sign-pkcs' : 'sign-ecdsa'];
}

/** Session capabilities the ceremony uses on the HSM; `generate` false when the key already exists. */
export function requiredSessionCapabilities(c: CeremonyConfig, o: { generate: boolean }): CapabilityName[] {
  const symmetric = keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY;
  const caps: CapabilityName[] = ['put-public-wrap-key', 'delete-public-wrap-key', 'export-wrapped', 'get-log-entries'];
  if (o.generate) caps.unshift(symmetric ? 'generate-symmetric-key' : 'generate-asymmetric-key');
  if (!symmetric) caps.push('sign-attestation-certificate');
  return [...caps, ...verifyCapabilityNames(c)];
}

/** Refuses an authentication key that lacks a capability, delegated capability or domain the ceremony needs. */
export function checkAuthKey(c: CeremonyConfig, auth: ObjectInfo, o: { generate: boolean }): void {
  const missing = capabilities(...requiredSessionCapabilities(c, o)) & ~auth.capabilities;
  const missingDelegated = (keyCapabilities(c) | capabilities('export-wrapped')) & ~auth.delegatedCapabilities;
  const missingDomains = c.key.domains & ~auth.domains;
  const problems: string[] = [];
  if (missing) problems.push(`capabilities ${formatCapabilities(missing)}`);
  if (missingDelegated) problems.push(`delegated capabilities ${formatCapabilities(missingDelegated)}`);
  if (missingDomains) problems.push(`domains ${domainList(missingDomains).join(',')}`);
  if (problems.length) {
    throw new CeremonyError(
      'HSM_AUTH_KEY_INSUFFICIENT',
      `Authentication key ${formatId(c.hsm.authKeyId)} lacks ${problems.join('; ')}; use an auth key that has them or add them (nothing was changed).`,
      { preflight: true },
    );
  }
}

/**
 * A key that exists (not generated here) can be exported for KMS: it has exportable-under-wrap; the public wrap key,
 * which delegates exactly the key spec's least capabilities, covers all of its capabilities (the device exports only
 * then, PROTOCOL.md 4.4 rule 6); and it shares a domain with the public wrap key (put in --domains).
 */
export function checkExportable(c: CeremonyConfig, info: ObjectInfo): void {
  const id = formatId(info.id);
  const fail = (code: string, message: string) => new CeremonyError(code, message, { preflight: true });
  if (!(info.capabilities & capabilities('exportable-under-wrap'))) {
    throw fail('HSM_KEY_NOT_EXPORTABLE', `HSM key ${id} lacks exportable-under-wrap, so the HSM will never export it; it cannot be imported into KMS.`);
  }
  const extra = info.capabilities & ~keyCapabilities(c);
  if (extra) {
    throw fail(
      'HSM_KEY_EXTRA_CAPABILITIES',
      `HSM key ${id} also has ${capabilityNames(extra).join(',')}; the public wrap key delegates only ${formatCapabilities(keyCapabilities(c))}, so the HSM would refuse to export it; use a key with just those capabilities.`,
    );
  }
  if (!(info.domains & c.key.domains)) {
    throw fail('HSM_KEY_DOMAINS', `HSM key ${id} is in domains ${formatDomains(info.domains)}, none of them in --domains ${formatDomains(c.key.domains)}, where the public wrap key goes; give --domains ${formatDomains(info.domains)}.`);
  }
}

/** A key that exists can also be used by the HSM side of "verify both ways" (it signs or decrypts). */
export function checkVerifiable(c: CeremonyConfig, info: ObjectInfo): void {
  const missing = capabilities(...verifyCapabilityNames(c)) & ~info.capabilities;
  if (missing) {
    throw new CeremonyError(
      'HSM_KEY_CANNOT_VERIFY',
      `HSM key ${formatId(info.id)} lacks ${formatCapabilities(missing)}, which the HSM needs to check KMS's copy both ways (${c.key.usage}); use a key that has it.`,
      { preflight: true },
    );
  }
}
