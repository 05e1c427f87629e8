/**
 * Ceremony settings from the command line: `--config FILE` (YAML ceremony file) first, then flags on top. Both are
 * shaped into the ceremony file's layout and validated by one schema (src/ceremony/config.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isScalar, parseDocument, type YAMLError } from 'yaml';
import { applyConfig, defaultConfig, type CeremonyConfig } from '../ceremony/config.js';
import { readTrustedCas } from '../ceremony/verify-transcript.js';
import { UsageError } from '../errors.js';

export const CEREMONY_FLAGS = {
  config: { type: 'string' },
  connector: { type: 'string' },
  usb: { type: 'boolean' },
  'usb-serial': { type: 'string' },
  'auth-key': { type: 'string' },
  'password-file': { type: 'string' },
  'attestation-ca': { type: 'string' },
  'key-id': { type: 'string' },
  label: { type: 'string' },
  domains: { type: 'string' },
  'key-spec': { type: 'string' },
  'key-usage': { type: 'string' },
  'wrap-key-id': { type: 'string' },
  'wrap-label': { type: 'string' },
  kms: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  alias: { type: 'string' },
  description: { type: 'string' },
  tag: { type: 'string', multiple: true },
  admin: { type: 'string', multiple: true },
  user: { type: 'string', multiple: true },
  'multi-region': { type: 'boolean' },
  'wrapping-algorithm': { type: 'string' },
  'wrapping-key-spec': { type: 'string' },
  'valid-to': { type: 'string' },
  'no-expiry': { type: 'boolean' },
  out: { type: 'string' },
  'work-dir': { type: 'string' },
  message: { type: 'string' },
} as const;

export const CEREMONY_FLAGS_HELP = `Targets (default: the embedded software YubiHSM 2 and the embedded local KMS, in-process; nothing real is touched):
  --connector URL          a YubiHSM 2 through yubihsm-connector, e.g. http://127.0.0.1:12345
  --usb                    a YubiHSM 2 on USB (the only one attached, or --usb-serial N)
  --kms aws|URL            AWS KMS (standard credential chain) or a KMS-compatible endpoint URL
  --profile NAME           AWS profile            --region NAME   AWS Region
HSM key (defaults from the seed guide):
  --auth-key ID            authentication key id (1)
  --password-file FILE     file holding the HSM password (first line, mode 0600), used before HSM2KMS_HSM_PASSWORD;
                           without either you are prompted without echo. Never pass a password on the command line.
  --attestation-ca FILE    PEM of trusted attestation CAs (for a real YubiHSM 2: Yubico's attestation root and
                           intermediates): import, wrap and complete stop unless the HSM's device attestation
                           certificate leads to one
  --key-id ID              key object id (0x100)     --label TEXT     key label ("YubiHSM Signing Key")
  --domains LIST           key domains (1)           --key-spec SPEC  ECC_NIST_P256 (default), ECC_NIST_P384,
                           ECC_NIST_P521, ECC_SECG_P256K1, RSA_2048, RSA_3072, RSA_4096, SYMMETRIC_DEFAULT
  --key-usage USAGE        SIGN_VERIFY or ENCRYPT_DECRYPT (RSA only; default from the key spec)
  --wrap-key-id ID         public wrap key id (0x101)   --wrap-label TEXT ("AWS KMS Wrap Key")
KMS key:
  --alias NAME             alias (alias/key0x100)    --description TEXT
  --tag KEY=VALUE          tag (repeatable)          --multi-region   create a multi-Region primary key
  --admin ARN              key administrator principal (repeatable)   --user ARN   key user principal (repeatable)
  --wrapping-algorithm ALG RSA_AES_KEY_WRAP_SHA_256 (default) or RSA_AES_KEY_WRAP_SHA_1
  --wrapping-key-spec SPEC RSA_4096 (default), RSA_3072, RSA_2048
  --valid-to DATE          imported material expires at DATE (KEY_MATERIAL_EXPIRES, ISO 8601, within 365 days)
  --no-expiry              material does not expire (KEY_MATERIAL_DOES_NOT_EXPIRE, the default)
Files:
  --config FILE            YAML ceremony file (flags override it)
  --out DIR                output directory (hsm2kms-out): key0x100.pub, message-aws.*, transcript.json, ...;
                           import never writes over a file there that it did not write itself
  --work-dir DIR           journal, import parameters and embedded device/KMS state (.hsm2kms)
                           (the embedded KMS keeps its RSA wrapping key pairs for up to 24 h in
                           $HSM2KMS_CACHE_DIR, else ~/.cache/hsm2kms: runs need not wait for RSA-4096 generation)
  --message TEXT           the message KMS signs for verification ("Message signed by AWS KMS\\n")`;

/**
 * The same options in a seed step's help: one configuration for every step (a ceremony file serves them all), files
 * going to the current directory unless --out names another.
 */
export const STEP_FLAGS_HELP = `Options shared with hsm2kms import, so that one ceremony file or one set of flags serves every step (each step
uses those it needs and ignores the others; files go to the current directory unless --out names another):
${CEREMONY_FLAGS_HELP.replace(/  --out DIR {16}output directory \(hsm2kms-out\)[^\n]*\n[^\n]*\n/, '  --out DIR                output directory (the current directory for this step)\n')}`;

type Values = Record<string, string | boolean | string[] | undefined>;

/** The line of the first byte that is not UTF-8 (a newline byte is never inside a UTF-8 sequence: lines decode alone). */
function firstBadUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    try {
      decoder.decode(bytes.subarray(start, end < 0 ? bytes.length : end));
    } catch {
      return line;
    }
    if (end < 0) return line;
    start = end + 1;
  }
}

/**
 * Reads a ceremony file as plain YAML 1.2 (core schema, whatever %YAML directive it has): text, numbers, true/false,
 * null, lists and mappings. Bytes that are not UTF-8, tags such as !!js/function or !!binary, unknown directives and
 * more than one document are refused, as one line, instead of being replaced, printed as warnings or ignored.
 */
function readCeremonyFile(path: string): unknown {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new UsageError('CONFIG_UNREADABLE', `Cannot read ceremony file ${path}; check the path given to --config.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError('BAD_CEREMONY_CONFIG', `Ceremony file ${path} is not UTF-8 text (bytes that are not UTF-8 at line ${firstBadUtf8Line(bytes)}); save it as UTF-8.`);
  }
  const where = (e: YAMLError) => (e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '');
  const what = (e: YAMLError) => e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  // logLevel 'error': warnings are collected in doc.warnings (not printed); 'silent' would also drop MULTIPLE_DOCS.
  const doc = parseDocument(text, { schema: 'core', resolveKnownTags: false, logLevel: 'error', uniqueKeys: true });
  const error = doc.errors[0];
  if (error?.code === 'MULTIPLE_DOCS') throw new UsageError('BAD_CEREMONY_CONFIG', `Ceremony file ${path} holds more than one YAML document${where(error)}; keep one (remove the second ---).`);
  if (error) throw new UsageError('BAD_CEREMONY_CONFIG', `Ceremony file ${path} is not valid YAML${where(error)}: ${what(error)}.`);
  const warning = doc.warnings[0];
  if (warning) {
    const tag = warning.code === 'TAG_RESOLVE_FAILED' ? /^Unresolved tag: (\S+)/.exec(what(warning))?.[1] : undefined;
    if (tag) {
      const name = tag.replace(/^tag:yaml\.org,2002:/, '!!');
      const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name).slice(1, -1);
      throw new UsageError('BAD_CEREMONY_CONFIG', `Ceremony file ${path} uses the YAML tag ${shown}${where(warning)}, which hsm2kms does not read; remove it (a ceremony file holds only text, numbers, true/false, lists and mappings).`);
    }
    throw new UsageError('BAD_CEREMONY_CONFIG', `Ceremony file ${path} is not plain YAML${where(warning)}: ${what(warning)}; remove it.`);
  }
  // key.domains written as a YAML number keeps its text, so a bitmap such as 0x0003 means domains 1 and 2 (as on
  // the command line), not the number 3 (domain 3).
  const domains = doc.getIn(['key', 'domains'], true);
  if (isScalar(domains) && typeof domains.value === 'number' && domains.source) domains.value = domains.source;
  try {
    return doc.toJS();
  } catch (e) {
    // An alias repeated past the yaml package's limit (maxAliasCount) and the like.
    const msg = e instanceof Error ? e.message.split('\n')[0].replace(/\.$/, '') : 'cannot be read';
    throw new UsageError('BAD_CEREMONY_CONFIG', `Ceremony file ${path} is not valid YAML: ${msg}.`);
  }
}

/** Flags shaped like the ceremony file (only what was given). */
function flagsToRaw(v: Values): Record<string, unknown> {
  const sections: Record<string, Record<string, unknown>> = { hsm: {}, key: {}, wrapKey: {}, kms: {} };
  const raw: Record<string, unknown> = { ...sections };
  const set = (section: string, key: string, value: unknown) => {
    if (value !== undefined) sections[section][key] = value;
  };
  set('hsm', 'connector', v.connector);
  if (v['usb-serial'] !== undefined) set('hsm', 'usb', v['usb-serial']);
  else if (v.usb) set('hsm', 'usb', true);
  set('hsm', 'authKeyId', v['auth-key']);
  set('hsm', 'passwordFile', v['password-file']);
  set('hsm', 'attestationCa', v['attestation-ca']);
  set('key', 'id', v['key-id']);
  set('key', 'label', v.label);
  set('key', 'domains', v.domains);
  set('key', 'keySpec', v['key-spec']);
  set('key', 'usage', v['key-usage']);
  set('wrapKey', 'id', v['wrap-key-id']);
  set('wrapKey', 'label', v['wrap-label']);
  set('kms', 'target', v.kms);
  set('kms', 'profile', v.profile);
  set('kms', 'region', v.region);
  set('kms', 'alias', v.alias);
  set('kms', 'description', v.description);
  if (v.tag) {
    const tags: Record<string, string> = {};
    for (const t of v.tag as string[]) {
      const i = t.indexOf('=');
      if (i <= 0) throw new UsageError('BAD_CEREMONY_CONFIG', `--tag "${t}" must be KEY=VALUE.`);
      tags[t.slice(0, i)] = t.slice(i + 1);
    }
    set('kms', 'tags', tags);
  }
  set('kms', 'administrators', v.admin);
  set('kms', 'users', v.user);
  set('kms', 'multiRegion', v['multi-region']);
  set('kms', 'wrappingAlgorithm', v['wrapping-algorithm']);
  set('kms', 'wrappingKeySpec', v['wrapping-key-spec']);
  if (v['valid-to'] !== undefined && v['no-expiry']) throw new UsageError('BAD_CEREMONY_CONFIG', 'Give either --valid-to or --no-expiry, not both.');
  if (v['valid-to'] !== undefined) set('kms', 'expiration', { model: 'KEY_MATERIAL_EXPIRES', validTo: v['valid-to'] });
  if (v['no-expiry']) set('kms', 'expiration', { model: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
  if (v.out !== undefined) raw.outDir = v.out;
  if (v['work-dir'] !== undefined) raw.workDir = v['work-dir'];
  if (v.message !== undefined) raw.message = v.message;
  return raw;
}

export interface ParsedCeremonyArgs {
  config: CeremonyConfig;
  values: Values;
  positionals: string[];
}

/** Parses ceremony flags plus `extra` command-specific flags. Unknown flags are a UsageError. */
export function parseCeremonyArgs(argv: string[], extra: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {}): ParsedCeremonyArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...CEREMONY_FLAGS, ...extra }, allowPositionals: true, strict: true });
  } catch (e) {
    // node's texts go on about '--' and dashes: keep the first sentence, and say plainly when a value is missing.
    let msg = e instanceof Error ? e.message.split('\n')[0].split(/\.\s/)[0] : String(e);
    const noValue = /^Option '(-[\w-]+)[^']*' argument (is ambiguous|missing)/.exec(msg);
    // "ambiguous": the next item starts with "-" (`--key-id -1`), which node takes for an option.
    if (noValue) msg = `Option ${noValue[1]} needs a value${noValue[2] === 'is ambiguous' ? ` (a value that starts with "-" must be written ${noValue[1]}=VALUE)` : ''}`;
    // The value is never repeated: it may be the password itself.
    if (/^Unknown option '--?(password|pass|pin|hsm-password|passwd)\b/i.test(msg)) {
      throw new UsageError('CLI_PASSWORD_ON_COMMAND_LINE', 'The HSM password never goes on the command line (other users can read it there); set HSM2KMS_HSM_PASSWORD, pass --password-file FILE, or answer the prompt.');
    }
    const unknown = /^Unknown option '(-[^'=]*)/.exec(msg);
    if (unknown) throw new UsageError('CLI_UNKNOWN_OPTION', `Unknown option "${unknown[1]}"; run with --help for the options.`);
    throw new UsageError('CLI_BAD_ARGUMENT', `${msg.replace(/\.$/, '')}; run with --help for the options.`);
  }
  const values = parsed.values as Values;
  let config = defaultConfig();
  if (typeof values.config === 'string') config = applyConfig(config, readCeremonyFile(values.config));
  config = applyConfig(config, flagsToRaw(values));
  return { config, values, positionals: parsed.positionals };
}

/** A CA file that cannot be used is found before any target is opened or password asked for. */
export function checkAttestationCaFile(config: CeremonyConfig): void {
  if (config.hsm.attestationCa !== undefined) readTrustedCas(config.hsm.attestationCa);
}
