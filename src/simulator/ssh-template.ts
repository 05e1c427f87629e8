/**
 * SSH templates (object type 6, algorithm template-ssh 36) and the fields of an OpenSSH certificate request that
 * SignSshCertificate (0x5D) checks against them. developers.yubico.com YubiHSM2/Usage_Guides/OpenSSH_certificates
 * ("SSH Template"), Commands/Sign_Ssh_Certificate; the certificate layout is OpenSSH's PROTOCOL.certkeys.
 *
 * Template: tag(1) ‖ length(2, big-endian) ‖ value, tags
 *   1 timestamp key algorithm (1 byte: rsa2048/3072/4096 = 9/10/11)   2 timestamp public key (RSA modulus n, k bytes)
 *   3 CA key allowlist (object ids, 2 bytes each)                      4 not-before offset (u32 seconds)
 *   5 not-after offset (u32 seconds)                                   6 blocked principals (each NUL-terminated)
 * Tags 1 and 2 are required; a template without tag 3 allows no key, without 4/5 the offset is 0, without 6 no
 * principal is blocked. Unknown, repeated or mis-sized tags make the template unusable (INVALID_DATA) [I].
 *
 * Time window [I]: Yubico's documentation describes the offsets as "now - not-before" and "now + not-after"; its own
 * example (yubihsm-shell examples/ssh.c, offsets 0 and 0xffffffff, a certificate valid from 0 to forever, signed by a
 * real device) only passes if the certificate's validity must overlap [now - not-before, now + not-after]:
 * valid_before >= now - not-before and valid_after <= now + not-after.
 */
import { isRsaAlgorithm, rsaSizes, type RsaAlgorithm } from '../protocol/algorithms.js';
import { E, fail } from './fail.js';

export const SshTemplateTag = {
  TIMESTAMP_ALGORITHM: 1,
  TIMESTAMP_KEY: 2,
  CA_KEY_ALLOWLIST: 3,
  NOT_BEFORE_OFFSET: 4,
  NOT_AFTER_OFFSET: 5,
  BLOCKED_PRINCIPALS: 6,
} as const;

export interface SshTemplate {
  /** RSA algorithm of the timestamp key (9, 10 or 11). */
  timestampAlgorithm: RsaAlgorithm;
  /** The timestamp key's modulus n (256, 384 or 512 bytes; e = 65537). */
  timestampKey: Uint8Array;
  /** Asymmetric key ids this template lets sign. */
  allowedKeyIds: readonly number[];
  /** Seconds before the timestamp that a certificate may already have ended. */
  notBeforeOffset: number;
  /** Seconds after the timestamp that a certificate may start. */
  notAfterOffset: number;
  /** Principals no certificate may name (exact bytes). */
  blockedPrincipals: readonly Uint8Array[];
}

const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);

function badTemplate(why: string): never {
  fail(E.INVALID_DATA, `The SSH template is malformed: ${why}; store a template made by yubihsm-ssh-tool (tags 1-6).`);
}

/** Parses a stored SSH template; INVALID_DATA when it is malformed. */
export function parseSshTemplate(data: Uint8Array): SshTemplate {
  const seen = new Map<number, Uint8Array>();
  for (let o = 0; o < data.length; ) {
    if (data.length - o < 3) badTemplate(`${data.length - o} stray bytes at offset ${o}`);
    const tag = data[o];
    const length = u16(data, o + 1);
    if (o + 3 + length > data.length) badTemplate(`tag ${tag} runs past the end`);
    if (tag < 1 || tag > 6) badTemplate(`unknown tag ${tag}`);
    if (seen.has(tag)) badTemplate(`tag ${tag} appears twice`);
    seen.set(tag, data.subarray(o + 3, o + 3 + length));
    o += 3 + length;
  }
  const alg = seen.get(SshTemplateTag.TIMESTAMP_ALGORITHM);
  const key = seen.get(SshTemplateTag.TIMESTAMP_KEY);
  if (!alg || !key) badTemplate('the timestamp key algorithm (tag 1) and public key (tag 2) are required');
  if (alg.length !== 1 || !isRsaAlgorithm(alg[0])) badTemplate('the timestamp key algorithm (tag 1) must be one byte: 9, 10 or 11 (RSA)');
  const timestampAlgorithm = alg[0] as RsaAlgorithm;
  if (key.length !== rsaSizes[timestampAlgorithm]) {
    badTemplate(`the timestamp public key (tag 2) must be ${rsaSizes[timestampAlgorithm]} bytes for algorithm ${timestampAlgorithm}`);
  }
  const ids = seen.get(SshTemplateTag.CA_KEY_ALLOWLIST) ?? new Uint8Array(0);
  if (ids.length % 2 !== 0) badTemplate('the CA key allowlist (tag 3) must hold 2-byte ids');
  const allowedKeyIds: number[] = [];
  for (let i = 0; i < ids.length; i += 2) allowedKeyIds.push(u16(ids, i));
  const offset = (tag: number, name: string): number => {
    const v = seen.get(tag);
    if (!v) return 0;
    if (v.length !== 4) badTemplate(`the ${name} offset (tag ${tag}) must be 4 bytes`);
    return u32(v, 0);
  };
  const names = seen.get(SshTemplateTag.BLOCKED_PRINCIPALS) ?? new Uint8Array(0);
  if (names.length > 0 && names[names.length - 1] !== 0) badTemplate('the blocked principals (tag 6) must each end with a NUL byte');
  const blockedPrincipals: Uint8Array[] = [];
  for (let start = 0; start < names.length; ) {
    const end = names.indexOf(0, start);
    if (end > start) blockedPrincipals.push(names.slice(start, end));
    start = end + 1;
  }
  return {
    timestampAlgorithm,
    timestampKey: key.slice(),
    allowedKeyIds,
    notBeforeOffset: offset(SshTemplateTag.NOT_BEFORE_OFFSET, 'not-before'),
    notAfterOffset: offset(SshTemplateTag.NOT_AFTER_OFFSET, 'not-after'),
    blockedPrincipals,
  };
}

/** What the device reads from a certificate request (the certificate without its signature). */
export interface SshCertificateRequestFields {
  /** e.g. `ssh-rsa-cert-v01@openssh.com`. */
  certificateType: string;
  principals: readonly Uint8Array[];
  validAfter: bigint;
  validBefore: bigint;
}

/** Public-key fields (strings or mpints) after the nonce, per certificate type (PROTOCOL.certkeys, PROTOCOL.u2f). */
const KEY_FIELDS: Record<string, number> = {
  'ssh-rsa-cert-v01@openssh.com': 2,
  'ssh-dss-cert-v01@openssh.com': 4,
  'ecdsa-sha2-nistp256-cert-v01@openssh.com': 2,
  'ecdsa-sha2-nistp384-cert-v01@openssh.com': 2,
  'ecdsa-sha2-nistp521-cert-v01@openssh.com': 2,
  'ssh-ed25519-cert-v01@openssh.com': 1,
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com': 3,
  'sk-ssh-ed25519-cert-v01@openssh.com': 2,
};

class Cursor {
  private o = 0;
  constructor(private readonly b: Uint8Array) {}
  private need(n: number, what: string): void {
    if (this.b.length - this.o < n) {
      fail(E.INVALID_DATA, `The SSH certificate request ends inside its ${what}; send the whole certificate without its signature.`);
    }
  }
  u32(what: string): number {
    this.need(4, what);
    const v = u32(this.b, this.o);
    this.o += 4;
    return v;
  }
  u64(what: string): bigint {
    const hi = BigInt(this.u32(what));
    return (hi << 32n) | BigInt(this.u32(what));
  }
  string(what: string): Uint8Array {
    const n = this.u32(what);
    this.need(n, what);
    const v = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return v;
  }
  get atEnd(): boolean {
    return this.o === this.b.length;
  }
}

/** Reads the fields the device checks; INVALID_DATA when the request is not a whole OpenSSH certificate body. */
export function readCertificateRequest(body: Uint8Array): SshCertificateRequestFields {
  const c = new Cursor(body);
  const certificateType = new TextDecoder().decode(c.string('certificate type'));
  const keyFields = KEY_FIELDS[certificateType];
  if (keyFields === undefined) {
    fail(E.INVALID_DATA, `The SSH certificate request is of unknown type "${certificateType.slice(0, 60)}"; use an OpenSSH *-cert-v01@openssh.com type.`);
  }
  c.string('nonce');
  for (let i = 0; i < keyFields; i++) c.string('public key');
  c.u64('serial');
  c.u32('certificate kind');
  c.string('key id');
  const list = new Cursor(c.string('valid principals'));
  const principals: Uint8Array[] = [];
  while (!list.atEnd) principals.push(list.string('valid principals'));
  const validAfter = c.u64('valid after');
  const validBefore = c.u64('valid before');
  c.string('critical options');
  c.string('extensions');
  c.string('reserved field');
  c.string('signature key');
  if (!c.atEnd) fail(E.INVALID_DATA, 'The SSH certificate request has bytes after the signature key; send the certificate without its signature.');
  return { certificateType, principals, validAfter, validBefore };
}

function violation(why: string): never {
  fail(E.SSH_CA_CONSTRAINT_VIOLATION, `The SSH template refuses this request: ${why}.`);
}

/** The template's constraints (after the timestamp signature verified): SSH_CA_CONSTRAINT_VIOLATION when one fails. */
export function checkSshConstraints(template: SshTemplate, keyId: number, now: number, request: SshCertificateRequestFields): void {
  if (!template.allowedKeyIds.includes(keyId)) violation(`key 0x${keyId.toString(16).padStart(4, '0')} is not in its CA key allowlist`);
  const t = BigInt(now);
  if (request.validBefore < t - BigInt(template.notBeforeOffset)) {
    violation(`the certificate ends ${request.validBefore} more than ${template.notBeforeOffset} s before the timestamp ${now}`);
  }
  if (request.validAfter > t + BigInt(template.notAfterOffset)) {
    violation(`the certificate starts ${request.validAfter} more than ${template.notAfterOffset} s after the timestamp ${now}`);
  }
  for (const p of request.principals) {
    if (template.blockedPrincipals.some((b) => b.length === p.length && b.every((x, i) => x === p[i]))) {
      violation(`principal "${new TextDecoder().decode(p).slice(0, 60)}" is blocked`);
    }
  }
}
