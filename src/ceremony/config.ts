/**
 * The ceremony's options: one schema, filled from a YAML ceremony file and/or command-line flags, validated
 * with one-line messages that name the field. Secrets are never part of the configuration: the HSM password
 * comes from a prompt, an environment variable or a file (see password.ts).
 */
import { UsageError } from '../errors.js';
import { kmsTargetFromOptions } from '../kms/client/target.js';
import { parseDomains } from '../protocol/domains.js';
import { keyId, wrapKeyId, authKeyId } from '../protocol/ids.js';
import {
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  checkWrappingCombination,
  keySpecs,
  parseKeySpec,
  type CeremonyKeySpec,
  type KeyUsage,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from './key-specs.js';
import { CEREMONY_TAG } from './steps/kms-keys.js';

export const CONFIG_VERSION = 1;

export type HsmTarget =
  | { kind: 'embedded' }
  | { kind: 'connector'; url: string }
  | { kind: 'usb'; serial?: number };

export type KmsTarget =
  | { kind: 'embedded' }
  /**
   * `endpoint`: set from AWS_ENDPOINT_URL_KMS or AWS_ENDPOINT_URL (see withKmsEnvironment), which the AWS SDK follows
   * for `--kms aws` too; recorded so the plan, the safety checks and the journal name where requests really go.
   */
  | { kind: 'aws'; profile?: string; region?: string; endpoint?: { url: string; source: 'AWS_ENDPOINT_URL_KMS' | 'AWS_ENDPOINT_URL' } }
  | { kind: 'endpoint'; url: string; profile?: string; region?: string };

export type Expiration =
  | { model: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
  | { model: 'KEY_MATERIAL_EXPIRES'; validTo: string };

export interface CeremonyConfig {
  hsm: {
    target: HsmTarget;
    authKeyId: number;
    /** Path of a file holding the HSM password (first line). Never the password itself. */
    passwordFile?: string;
    /** PEM file of trusted attestation CA certificates: the device attestation certificate must lead to one. */
    attestationCa?: string;
  };
  key: {
    id: number;
    label: string;
    domains: number;
    keySpec: CeremonyKeySpec;
    usage: KeyUsage;
  };
  wrapKey: { id: number; label: string };
  kms: {
    target: KmsTarget;
    alias: string;
    description: string;
    tags: Record<string, string>;
    administrators: string[];
    users: string[];
    multiRegion: boolean;
    wrappingAlgorithm: WrappingAlgorithm;
    wrappingKeySpec: WrappingKeySpec;
    expiration: Expiration;
  };
  /** Where the seed-format files and the transcript are written. */
  outDir: string;
  /** Where the journal, import parameters and the embedded device/KMS state live. */
  workDir: string;
  /** The message KMS signs for verification (the seed's message-aws.txt). */
  message: string;
}

/** The seed guide's choices. */
export function defaultConfig(): CeremonyConfig {
  return {
    hsm: { target: { kind: 'embedded' }, authKeyId: 1 },
    key: { id: 0x100, label: 'YubiHSM Signing Key', domains: 1, keySpec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY' },
    wrapKey: { id: 0x101, label: 'AWS KMS Wrap Key' },
    kms: {
      target: { kind: 'embedded' },
      alias: 'alias/key0x100',
      description: 'Imported from YubiHSM 2 by hsm2kms',
      tags: {},
      administrators: [],
      users: [],
      multiRegion: false,
      wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
      wrappingKeySpec: 'RSA_4096',
      expiration: { model: 'KEY_MATERIAL_DOES_NOT_EXPIRE' },
    },
    outDir: 'hsm2kms-out',
    workDir: '.hsm2kms',
    message: 'Message signed by AWS KMS\n',
  };
}

type Raw = Record<string, unknown>;

/**
 * AWS KMS limits (API reference: CreateKey Tags and Description, Tag, Sign Message), checked before anything is
 * touched so that a ceremony never stops half way with the HSM key made and KMS refusing the request.
 */
const KMS_LIMITS = {
  /** Tags per key; the ceremony adds CEREMONY_TAG itself, so the ceremony file and flags may give one fewer. */
  tags: 50,
  tagKeyLength: 128,
  tagValueLength: 256,
  descriptionLength: 8192,
  /** Sign with MessageType RAW (and Encrypt) take 1 to 4096 bytes. */
  messageBytes: 4096,
} as const;

function fail(field: string, message: string): never {
  throw new UsageError('BAD_CEREMONY_CONFIG', `${field}: ${message}`);
}

/** A value for a message: quoted, escaped onto one line, cut after `keep` characters when longer. */
function show(v: string, keep = 40): string {
  return JSON.stringify(v.length > keep ? `${v.slice(0, keep)}…` : v);
}

/** A mapping key as part of a field name: as it is when plain, else quoted and cut (`kms.tags["a b…"]`). */
function fieldKey(parent: string, k: string): string {
  if (/^[\w.:/@+=-]{1,40}$/.test(k)) return `${parent}${parent ? '.' : ''}${k}`;
  return `${parent}[${show(k, 20)}]`;
}

/** What a value is, for "expected X, got Y" (long text cut). */
function describe(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (typeof v === 'string') return `the text ${show(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v === 'number' ? 'the number ' : ''}${v}`;
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : typeof v;
}

/**
 * Whether a setting is given. A YAML key with no value (`id:`, `id: ~`, `id: null`) is refused rather than
 * silently meaning the default.
 */
function given(v: unknown, field: string): boolean {
  if (v === null) fail(field, 'empty (null); remove the line or give a value.');
  return v !== undefined;
}

function obj(v: unknown, field: string): Raw {
  if (!given(v, field)) return {};
  if (typeof v !== 'object' || Array.isArray(v)) fail(field, `expected a mapping of keys to values, got ${describe(v)}.`);
  return v as Raw;
}

/**
 * A text setting. Only a YAML string is text: `label: 0x10` is the number 16 to YAML, and `label: true` a boolean,
 * so they are refused instead of becoming "16" or "true" (flags are always text).
 */
function str(v: unknown, field: string): string | undefined {
  if (!given(v, field)) return undefined;
  if (typeof v === 'string') return v;
  fail(field, `must be text, got ${describe(v)}${typeof v === 'number' || typeof v === 'boolean' ? '; quote it' : ''}.`);
}

/** A path setting: text, not empty. */
function path(v: unknown, field: string): string | undefined {
  const s = str(v, field);
  if (s !== undefined && s.trim() === '') fail(field, 'empty; give a path (. for the current directory).');
  return s;
}

/** An id or number: a YAML integer, or text such as "0x100" (flags are text). */
function num(v: unknown, field: string): number | undefined {
  if (!given(v, field)) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^(0x[0-9a-f]+|[0-9]+)$/i.test(v.trim())) return Number(v.trim());
  fail(field, `expected a number such as 1 or 0x100, got ${describe(v)}.`);
}

function bool(v: unknown, field: string): boolean | undefined {
  if (!given(v, field)) return undefined;
  if (typeof v === 'boolean') return v;
  fail(field, `expected true or false, got ${describe(v)}.`);
}

/** A list of text: a YAML list, or one text with comma-separated items (no empty items). */
function strList(v: unknown, field: string): string[] | undefined {
  if (!given(v, field)) return undefined;
  if (typeof v === 'string') {
    const items = v.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) fail(field, `${show(v)} has an empty item; separate items with single commas or give a list.`);
    return items;
  }
  if (!Array.isArray(v)) fail(field, `expected a list of text values, got ${describe(v)}.`);
  return v.map((x, i) => str(x, `${field}[${i}]`)!);
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T | undefined {
  const s = str(v, field);
  if (s === undefined) return undefined;
  const u = s.trim().toUpperCase();
  if (!(allowed as readonly string[]).includes(u)) fail(field, `${show(s)} is not one of ${allowed.join(', ')}.`);
  return u as T;
}

function checkKeys(o: Raw, allowed: string[], field: string): void {
  for (const k of Object.keys(o)) {
    if (k === 'password') fail(fieldKey(field, 'password'), 'passwords never go in a ceremony file; use HSM2KMS_HSM_PASSWORD, --password-file or the prompt.');
    if (!allowed.includes(k)) fail(fieldKey(field, k), `unknown setting; known settings here: ${allowed.join(', ')}.`);
  }
}

function wrapUsage<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError && e.code !== 'BAD_CEREMONY_CONFIG') fail(field, e.message);
    throw e;
  }
}

export function parseHsmTarget(text: string): HsmTarget {
  const t = text.trim();
  if (t === '' || t === 'embedded') return { kind: 'embedded' };
  if (t === 'usb' || t.startsWith('yhusb://')) {
    const m = /serial=(\d+)/.exec(t);
    return m ? { kind: 'usb', serial: Number(m[1]) } : { kind: 'usb' };
  }
  if (/^https?:\/\//.test(t)) return { kind: 'connector', url: t.replace(/\/+$/, '') };
  throw new UsageError('BAD_HSM_TARGET', `HSM target "${text}" is not valid; use a connector URL (http://127.0.0.1:12345), "usb", or "embedded".`);
}

export function parseKmsTarget(text: string): KmsTarget {
  const t = text.trim();
  if (t === '' || t === 'embedded' || t === 'local') return { kind: 'embedded' };
  if (t === 'aws') return { kind: 'aws' };
  if (/^https?:\/\//.test(t)) return { kind: 'endpoint', url: t.replace(/\/+$/, '') };
  throw new UsageError('BAD_KMS_TARGET', `KMS target "${text}" is not valid; use "aws", an endpoint URL (http://127.0.0.1:4599), or "embedded".`);
}

/**
 * The configuration as the AWS SDK will act on it in `env`: for `--kms aws`, an endpoint variable
 * (AWS_ENDPOINT_URL_KMS, else AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true) sends every request
 * there, so it is recorded in the target; other targets are returned as they are.
 */
export function withKmsEnvironment(c: CeremonyConfig, env: Readonly<Record<string, string | undefined>>): CeremonyConfig {
  const t = c.kms.target;
  if (t.kind !== 'aws') return c;
  const resolved = kmsTargetFromOptions({ kms: 'aws', profile: t.profile, region: t.region, env });
  const { endpoint: _old, ...rest } = t;
  const source = resolved.endpointSource;
  const target: KmsTarget = resolved.endpoint && (source === 'AWS_ENDPOINT_URL_KMS' || source === 'AWS_ENDPOINT_URL')
    ? { ...rest, endpoint: { url: resolved.endpoint, source } }
    : rest;
  return { ...c, kms: { ...c.kms, target } };
}

/**
 * Applies a raw mapping (parsed YAML, or flags already shaped like it) on top of `base`, validating every field.
 * Layout: { version, hsm: {connector|usb, authKeyId, passwordFile, attestationCa}, key: {id, label, domains, keySpec, usage},
 * wrapKey: {id, label}, kms: {target, profile, region, alias, description, tags, administrators, users,
 * multiRegion, wrappingAlgorithm, wrappingKeySpec, expiration: {model, validTo}}, outDir, workDir, message }.
 */
export function applyConfig(base: CeremonyConfig, raw: unknown): CeremonyConfig {
  const r = raw === null ? {} : obj(raw, 'ceremony file'); // null: an empty ceremony file (or only comments)
  checkKeys(r, ['version', 'hsm', 'key', 'wrapKey', 'kms', 'outDir', 'workDir', 'message'], '');
  if (given(r.version, 'version')) {
    if (typeof r.version !== 'number') fail('version', `expected the number ${CONFIG_VERSION}, got ${describe(r.version)}.`);
    if (r.version !== CONFIG_VERSION) fail('version', `this hsm2kms reads ceremony files of version ${CONFIG_VERSION}, not ${r.version}.`);
  }
  const c: CeremonyConfig = structuredClone(base);
  applyHsm(c, obj(r.hsm, 'hsm'));
  applyKey(c, obj(r.key, 'key'));
  applyWrapKey(c, obj(r.wrapKey, 'wrapKey'));
  applyKms(c, obj(r.kms, 'kms'));
  for (const f of ['outDir', 'workDir'] as const) {
    const v = path(r[f], f);
    if (v !== undefined) c[f] = v;
  }
  const message = str(r.message, 'message');
  if (message !== undefined) c.message = message;
  return validateConfig(c);
}

function applyHsm(c: CeremonyConfig, h: Raw): void {
  checkKeys(h, ['connector', 'usb', 'authKeyId', 'passwordFile', 'attestationCa'], 'hsm');
  const connector = str(h.connector, 'hsm.connector');
  const usb = given(h.usb, 'hsm.usb') ? h.usb : undefined;
  if (connector !== undefined && usb !== undefined && usb !== false) fail('hsm', 'give either connector or usb, not both.');
  if (connector !== undefined) c.hsm.target = wrapUsage('hsm.connector', () => parseHsmTarget(connector));
  if (usb === true) c.hsm.target = { kind: 'usb' };
  else if (usb !== undefined && usb !== false) {
    const serial = num(usb, 'hsm.usb');
    c.hsm.target = serial === undefined ? { kind: 'usb' } : { kind: 'usb', serial };
  }
  const auth = num(h.authKeyId, 'hsm.authKeyId');
  if (auth !== undefined) c.hsm.authKeyId = wrapUsage('hsm.authKeyId', () => authKeyId(auth));
  const pwFile = path(h.passwordFile, 'hsm.passwordFile');
  if (pwFile !== undefined) c.hsm.passwordFile = pwFile;
  const ca = path(h.attestationCa, 'hsm.attestationCa');
  if (ca !== undefined) c.hsm.attestationCa = ca;
}

function applyKey(c: CeremonyConfig, k: Raw): void {
  checkKeys(k, ['id', 'label', 'domains', 'keySpec', 'usage'], 'key');
  const id = num(k.id, 'key.id');
  if (id !== undefined) c.key.id = wrapUsage('key.id', () => keyId(id));
  const label = str(k.label, 'key.label');
  if (label !== undefined) c.key.label = label;
  const domains = domainsText(k.domains);
  if (domains !== undefined) c.key.domains = wrapUsage('key.domains', () => parseDomains(domains));
  const spec = str(k.keySpec, 'key.keySpec');
  if (spec !== undefined) {
    c.key.keySpec = wrapUsage('key.keySpec', () => parseKeySpec(spec));
    if (k.usage === undefined) c.key.usage = keySpecs[c.key.keySpec].usages[0];
  }
  const usage = oneOf(k.usage, ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'] as const, 'key.usage');
  if (usage !== undefined) c.key.usage = usage;
}

/**
 * key.domains as text for parseDomains: a list such as "1,2,5", "all", a bitmap such as "0x0003", or a YAML number
 * naming one domain (`domains: 3`; a bitmap written 0x0003 in a ceremony file reaches here as its text, see
 * readCeremonyFile). Empty items ("1,,2") are refused here: parseDomains, shared with other callers, skips them.
 */
function domainsText(v: unknown): string | undefined {
  if (!given(v, 'key.domains')) return undefined;
  const t = typeof v === 'number' ? String(v) : str(v, 'key.domains')!;
  if (t.trim() === '') fail('key.domains', 'empty; give domains such as 1 or 1,2,5 (numbers 1 to 16), or "all".');
  if (t.split(/[,:]/).some((part) => part.trim() === '')) fail('key.domains', `${show(t)} has an empty item; give domains such as 1 or 1,2,5 (numbers 1 to 16), or "all".`);
  return t;
}

function applyWrapKey(c: CeremonyConfig, w: Raw): void {
  checkKeys(w, ['id', 'label'], 'wrapKey');
  const wid = num(w.id, 'wrapKey.id');
  if (wid !== undefined) c.wrapKey.id = wrapUsage('wrapKey.id', () => wrapKeyId(wid));
  const wlabel = str(w.label, 'wrapKey.label');
  if (wlabel !== undefined) c.wrapKey.label = wlabel;
}

/** kms.target, kms.profile and kms.region; a target named again (a flag over a ceremony file) keeps the Region and profile. */
function applyKmsTarget(c: CeremonyConfig, m: Raw): void {
  const target = str(m.target, 'kms.target');
  if (target !== undefined) {
    const before = c.kms.target;
    c.kms.target = wrapUsage('kms.target', () => parseKmsTarget(target));
    if (c.kms.target.kind !== 'embedded' && before.kind !== 'embedded') {
      if (before.profile !== undefined) c.kms.target.profile = before.profile;
      if (before.region !== undefined) c.kms.target.region = before.region;
    }
  }
  const profile = str(m.profile, 'kms.profile');
  const region = str(m.region, 'kms.region');
  if (region !== undefined && !/^[a-z]{2}(-[a-z0-9]+){1,3}-\d{1,2}$/.test(region)) fail('kms.region', `${show(region)} is not an AWS Region name; use one like us-east-1 or eu-west-2.`);
  if ((profile !== undefined || region !== undefined) && c.kms.target.kind === 'embedded') {
    fail('kms', 'profile and region apply to AWS or an endpoint; add --kms aws or --kms URL (kms.target in a ceremony file).');
  }
  if (c.kms.target.kind !== 'embedded') {
    if (profile !== undefined) c.kms.target.profile = profile;
    if (region !== undefined) c.kms.target.region = region;
  }
}

function applyKms(c: CeremonyConfig, m: Raw): void {
  checkKeys(m, ['target', 'profile', 'region', 'alias', 'description', 'tags', 'administrators', 'users', 'multiRegion', 'wrappingAlgorithm', 'wrappingKeySpec', 'expiration'], 'kms');
  applyKmsTarget(c, m);
  const alias = str(m.alias, 'kms.alias');
  if (alias !== undefined) c.kms.alias = alias.startsWith('alias/') ? alias : `alias/${alias}`;
  if (!/^alias\/[a-zA-Z0-9:/_-]{1,250}$/.test(c.kms.alias) || c.kms.alias.startsWith('alias/aws/')) {
    fail('kms.alias', `${show(c.kms.alias)} is not a valid alias; use alias/<name> with letters, digits, :/_- (not alias/aws/...).`);
  }
  const desc = str(m.description, 'kms.description');
  if (desc !== undefined) c.kms.description = desc;
  if (given(m.tags, 'kms.tags')) {
    const t = obj(m.tags, 'kms.tags');
    for (const [tk, tv] of Object.entries(t)) {
      const field = fieldKey('kms.tags', tk);
      if (tv === null) fail(field, 'empty (null); remove the line or give a value ("" for an empty tag value).');
      c.kms.tags[tk] = str(tv, field)!;
    }
  }
  const admins = strList(m.administrators, 'kms.administrators');
  if (admins) c.kms.administrators = admins;
  const users = strList(m.users, 'kms.users');
  if (users) c.kms.users = users;
  for (const [f, list] of [['kms.administrators', c.kms.administrators], ['kms.users', c.kms.users]] as const) {
    for (const arn of list) if (!/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/.test(arn)) fail(f, `${show(arn, 100)} is not an IAM principal ARN such as arn:aws:iam::111122223333:role/OrganizationAccountAccessRole.`);
  }
  const mr = bool(m.multiRegion, 'kms.multiRegion');
  if (mr !== undefined) c.kms.multiRegion = mr;
  const wa = oneOf(m.wrappingAlgorithm, WRAPPING_ALGORITHMS, 'kms.wrappingAlgorithm');
  if (wa) c.kms.wrappingAlgorithm = wa;
  const ws = oneOf(m.wrappingKeySpec, WRAPPING_KEY_SPECS, 'kms.wrappingKeySpec');
  if (ws) c.kms.wrappingKeySpec = ws;
  if (given(m.expiration, 'kms.expiration')) {
    const e = obj(m.expiration, 'kms.expiration');
    checkKeys(e, ['model', 'validTo'], 'kms.expiration');
    const model = oneOf(e.model, ['KEY_MATERIAL_DOES_NOT_EXPIRE', 'KEY_MATERIAL_EXPIRES'] as const, 'kms.expiration.model');
    const validTo = e.validTo instanceof Date ? e.validTo.toISOString() : str(e.validTo, 'kms.expiration.validTo');
    c.kms.expiration = parseExpiration(model, validTo);
  }
}

export function parseExpiration(model: string | undefined, validTo: string | undefined): Expiration {
  const mdl = model ?? (validTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  if (mdl === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (validTo) fail('kms.expiration', 'validTo must not be set when the model is KEY_MATERIAL_DOES_NOT_EXPIRE.');
    return { model: mdl };
  }
  if (mdl !== 'KEY_MATERIAL_EXPIRES') fail('kms.expiration.model', `${show(mdl)} is not KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE.`);
  if (!validTo) fail('kms.expiration.validTo', 'KEY_MATERIAL_EXPIRES needs a validTo date (ISO 8601, within 365 days).');
  const t = Date.parse(validTo);
  if (Number.isNaN(t)) fail('kms.expiration.validTo', `${show(validTo)} is not a date; use ISO 8601 such as 2027-06-30T00:00:00Z.`);
  return { model: 'KEY_MATERIAL_EXPIRES', validTo: new Date(t).toISOString() };
}

/** KMS accepts a ValidTo in the future and at most 365 days ahead (KMS-SPEC 1.3); checked before anything is done. */
export function checkValidTo(c: CeremonyConfig, now: Date): void {
  if (c.kms.expiration.model !== 'KEY_MATERIAL_EXPIRES') return;
  const t = Date.parse(c.kms.expiration.validTo);
  if (t <= now.getTime()) fail('kms.expiration.validTo', `${c.kms.expiration.validTo} is in the past; give a date within the next 365 days.`);
  if (t > now.getTime() + 365 * 24 * 60 * 60 * 1000) fail('kms.expiration.validTo', `${c.kms.expiration.validTo} is more than 365 days ahead; KMS accepts at most 365 days.`);
}

/** The KMS limits of KMS_LIMITS (lengths as KMS counts them, in UTF-16 code units; the message in UTF-8 bytes). */
function checkKmsLimits(c: CeremonyConfig): void {
  const bytes = new TextEncoder().encode(c.message).length;
  if (bytes === 0) fail('message', `empty; KMS signs a message of 1 to ${KMS_LIMITS.messageBytes} bytes, so give one (--message, or message in a ceremony file).`);
  if (bytes > KMS_LIMITS.messageBytes) fail('message', `${bytes} bytes as UTF-8; KMS signs at most ${KMS_LIMITS.messageBytes} bytes, so shorten it.`);
  if (c.kms.description.length > KMS_LIMITS.descriptionLength) {
    fail('kms.description', `${c.kms.description.length} characters (${show(c.kms.description, 20)}); KMS allows at most ${KMS_LIMITS.descriptionLength}, so shorten it.`);
  }
  const tags = Object.entries(c.kms.tags ?? {});
  const room = KMS_LIMITS.tags - 1;
  if (tags.length > room) fail('kms.tags', `${tags.length} tags; KMS allows ${KMS_LIMITS.tags} per key and the ceremony adds its own ${CEREMONY_TAG} tag, so give at most ${room}.`);
  for (const [k, v] of tags) {
    const field = fieldKey('kms.tags', k);
    if (k.length === 0) fail(field, `empty tag key; KMS tag keys are 1 to ${KMS_LIMITS.tagKeyLength} characters.`);
    if (k.length > KMS_LIMITS.tagKeyLength) fail(field, `tag key of ${k.length} characters; KMS allows at most ${KMS_LIMITS.tagKeyLength}, so shorten it.`);
    if (/^aws:/i.test(k)) fail(field, 'tag keys beginning with aws: are reserved by AWS; choose another key.');
    if (k === CEREMONY_TAG) fail(field, 'the ceremony sets this tag itself (it finds its key by it after an interrupted run); remove it.');
    if (typeof v !== 'string') fail(field, `must be text, got ${describe(v)}.`);
    if (v.length > KMS_LIMITS.tagValueLength) fail(field, `tag value of ${v.length} characters (${show(v, 20)}); KMS allows at most ${KMS_LIMITS.tagValueLength}, so shorten it.`);
  }
}

/** Cross-field checks, done before any device or KMS call. */
export function validateConfig(c: CeremonyConfig): CeremonyConfig {
  // A config object from the library API has not been through the parsers: ids are checked here too (0 would let
  // the HSM choose, and a re-run could not find the key again).
  wrapUsage('key.id', () => keyId(c.key.id));
  wrapUsage('wrapKey.id', () => wrapKeyId(c.wrapKey.id));
  wrapUsage('hsm.authKeyId', () => authKeyId(c.hsm.authKeyId));
  if (!Object.hasOwn(keySpecs, c.key.keySpec)) wrapUsage('key.keySpec', () => parseKeySpec(String(c.key.keySpec)));
  const info = keySpecs[c.key.keySpec];
  if (!info.usages.includes(c.key.usage)) {
    fail('key.usage', `${c.key.keySpec} keys can be ${info.usages.join(' or ')}, not ${c.key.usage}.`);
  }
  for (const [f, v] of [['key.label', c.key.label], ['wrapKey.label', c.wrapKey.label], ['kms.alias', c.kms.alias], ['kms.description', c.kms.description], ['message', c.message], ['outDir', c.outDir], ['workDir', c.workDir]] as const) {
    if (typeof v !== 'string') fail(f, `must be text, got ${describe(v)}.`);
  }
  for (const f of ['outDir', 'workDir'] as const) if (c[f].trim() === '') fail(f, 'empty; give a path (. for the current directory).');
  checkKmsLimits(c);
  if (c.key.domains === 0) fail('key.domains', 'the key needs at least one domain (1 to 16).');
  if (c.key.label.length === 0 || new TextEncoder().encode(c.key.label).length > 40) fail('key.label', 'labels are 1 to 40 bytes.');
  if (c.wrapKey.label.length === 0 || new TextEncoder().encode(c.wrapKey.label).length > 40) fail('wrapKey.label', 'labels are 1 to 40 bytes.');
  wrapUsage('kms.wrappingAlgorithm', () => checkWrappingCombination(c.key.keySpec, c.kms.wrappingAlgorithm, c.kms.wrappingKeySpec));
  return c;
}
