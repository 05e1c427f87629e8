/**
 * The plan: a pure function from the configuration to the ordered steps, each with what it will do in words
 * and the exact parameters. `--dry-run` prints it; the runner executes it. No I/O here.
 */
import { formatDomains } from '../protocol/domains.js';
import { formatId } from '../protocol/ids.js';
import { algorithmName } from '../protocol/algorithms.js';
import type { CeremonyConfig, HsmTarget, KmsTarget } from './config.js';
import { keyCapabilityNames, keySpecs, wrapHashOf } from './key-specs.js';

export const STEP_NAMES = [
  'preflight',
  'hsm-generate-key',
  'hsm-public-key',
  'hsm-attest',
  'kms-create-key',
  'kms-import-params',
  'hsm-put-wrap-key',
  'hsm-wrap',
  'kms-import',
  'verify',
  'cleanup',
  'evidence',
] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface PlannedStep {
  name: StepName;
  title: string;
  /** One line per action, with the exact parameters. */
  details: string[];
}

export interface Plan {
  hsm: string;
  kms: string;
  simulated: boolean;
  steps: PlannedStep[];
}

export function describeHsmTarget(t: HsmTarget): string {
  switch (t.kind) {
    case 'embedded': return 'embedded software YubiHSM 2 (simulator, in-process)';
    case 'connector': return `YubiHSM 2 via yubihsm-connector at ${t.url}`;
    case 'usb': return `YubiHSM 2 on USB${t.serial !== undefined ? ` (serial ${t.serial})` : ''}`;
  }
}

export function describeKmsTarget(t: KmsTarget): string {
  switch (t.kind) {
    case 'embedded': return 'embedded local KMS (in-process, not AWS)';
    case 'aws': return t.endpoint
      ? `KMS endpoint ${t.endpoint.url} (from ${t.endpoint.source}, not AWS's own endpoint)${t.region ? ` (region ${t.region})` : ''}${t.profile ? ` (profile ${t.profile})` : ''}`
      : `AWS KMS${t.region ? ` in ${t.region}` : ''}${t.profile ? ` (profile ${t.profile})` : ''}`;
    case 'endpoint': return `KMS endpoint ${t.url}${t.region ? ` (region ${t.region})` : ''}`;
  }
}

export function makePlan(c: CeremonyConfig): Plan {
  const spec = keySpecs[c.key.keySpec];
  const caps = keyCapabilityNames(c.key.keySpec, c.key.usage).join(',');
  const keyType = spec.objectType === 0x08 ? 'symmetric' : 'asymmetric';
  const kid = formatId(c.key.id);
  const wid = formatId(c.wrapKey.id);
  const pubFile = `key${'0x' + c.key.id.toString(16)}.pub`;
  const expiry = c.kms.expiration.model === 'KEY_MATERIAL_EXPIRES'
    ? `KEY_MATERIAL_EXPIRES, valid to ${c.kms.expiration.validTo}`
    : 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  const steps: PlannedStep[] = [
    {
      name: 'preflight',
      title: 'Pre-flight checks (nothing is changed)',
      details: [
        'HSM firmware is 2.4 or later; a software YubiHSM 2 (simulator) sends no key to a KMS off this machine, a real one none to a KMS on it',
        ...(c.hsm.attestationCa !== undefined ? [`the HSM's device attestation certificate leads to a root in ${c.hsm.attestationCa}`] : []),
        `auth key ${formatId(c.hsm.authKeyId)} has every capability and domain the ceremony needs`,
        `HSM ${keyType} key ${kid} and public wrap key ${wid} are free or already this ceremony's`,
        `no file in ${c.outDir} that the ceremony writes belongs to anything else`,
        `KMS credentials and region work; ${c.kms.alias} is free or already this ceremony's key`,
        `${c.key.keySpec} with ${c.kms.wrappingAlgorithm} and ${c.kms.wrappingKeySpec} is a valid combination`,
      ],
    },
    {
      name: 'hsm-generate-key',
      title: 'Generate the key in the HSM',
      details: [`generate ${keyType} ${kid} "${c.key.label}" domains ${formatDomains(c.key.domains)} capabilities ${caps} ${algorithmName(spec.algorithm)}`],
    },
    {
      name: 'hsm-public-key',
      title: 'Export its public key',
      details: spec.objectType === 0x08 ? ['symmetric key: no public key'] : [`write ${c.outDir}/${pubFile} (PEM SubjectPublicKeyInfo)`],
    },
    {
      name: 'hsm-attest',
      title: 'Attest the key (HSM attestation certificate)',
      details: spec.objectType === 0x08 ? ['symmetric key: attestation applies to asymmetric keys only'] : [`sign an attestation certificate for ${kid} with the device attestation key`],
    },
    {
      name: 'kms-create-key',
      title: 'Create the EXTERNAL-origin KMS key',
      details: [
        `CreateKey Origin=EXTERNAL KeySpec=${c.key.keySpec} KeyUsage=${c.key.usage}${c.kms.multiRegion ? ' MultiRegion=true' : ''}`,
        `key policy: administrators ${c.kms.administrators.length ? c.kms.administrators.join(', ') : '(account root only)'}; users ${c.kms.users.length ? c.kms.users.join(', ') : '(account root only)'}`,
        `CreateAlias ${c.kms.alias}`,
      ],
    },
    {
      name: 'kms-import-params',
      title: 'Fetch KMS import parameters',
      details: [`GetParametersForImport WrappingAlgorithm=${c.kms.wrappingAlgorithm} WrappingKeySpec=${c.kms.wrappingKeySpec} (token valid 24 h)`],
    },
    {
      name: 'hsm-put-wrap-key',
      title: 'Load the KMS wrapping key into the HSM',
      details: [`put public wrap key ${wid} "${c.wrapKey.label}" domains ${formatDomains(c.key.domains)} capabilities export-wrapped delegated ${caps}`],
    },
    {
      name: 'hsm-wrap',
      title: 'Export the key wrapped for KMS',
      details: [`get rsa wrapped key: ${keyType} ${kid} under ${wid}, aes256 + rsa-oaep-${wrapHashOf(c.kms.wrappingAlgorithm)} + mgf1-${wrapHashOf(c.kms.wrappingAlgorithm)}`],
    },
    {
      name: 'kms-import',
      title: 'Import the key material into KMS',
      details: [`ImportKeyMaterial ExpirationModel=${expiry}`],
    },
    {
      name: 'verify',
      title: 'Verify both ways',
      details: verifyDetails(c),
    },
    {
      name: 'cleanup',
      title: 'Clean up',
      details: [`delete public wrap key ${wid} from the HSM`],
    },
    {
      name: 'evidence',
      title: 'Record evidence',
      details: [`check the HSM audit-log hash chain; write ${c.outDir}/transcript.json (no secrets)`],
    },
  ];
  return {
    hsm: describeHsmTarget(c.hsm.target),
    kms: describeKmsTarget(c.kms.target),
    simulated: c.hsm.target.kind === 'embedded' || c.kms.target.kind === 'embedded',
    steps,
  };
}

function verifyDetails(c: CeremonyConfig): string[] {
  const spec = keySpecs[c.key.keySpec];
  if (spec.objectType === 0x08) {
    return [
      'KMS Encrypt then Decrypt round trip',
      'a second wrap from the HSM re-imported as EXISTING_KEY_MATERIAL proves KMS holds the same key',
    ];
  }
  const both = [
    'KMS GetPublicKey equals the HSM public key and the attested public key, byte for byte',
  ];
  if (c.key.usage === 'SIGN_VERIFY') {
    both.push(
      `KMS signs ${c.outDir}/message-aws.txt (${spec.signingAlgorithm}); the HSM public key verifies it`,
      'the HSM signs; KMS Verify accepts; a tampered message is rejected both ways',
    );
  } else {
    both.push('KMS encrypts (RSAES_OAEP_SHA_256); the HSM decrypts; a local encryption to the HSM public key decrypts in KMS');
  }
  return both;
}
