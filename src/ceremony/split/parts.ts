/**
 * The air-gap bundles' building blocks: versioned JSON files whose binary parts are each stored as
 * `{"base64", "sha256"}`. Reading checks the format name, the version, and every part against its SHA-256, and
 * refuses anything else with one line naming the file and the part (`wrappedKey`, `attestation.chain[0]`, ...) and
 * what to run again. The hashes catch damage in transit (a USB stick, a copy by hand); what ties the two machines'
 * files together is checked by the commands (the wrapped bundle pins the request's token and wrapping key hashes).
 */
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../../crypto/digest.js';
import { UsageError } from '../../errors.js';

export class BundleError extends UsageError {}

export interface Part {
  base64: string;
  sha256: string;
}

export function part(bytes: Uint8Array): Part {
  return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), sha256: sha256Hex(bytes) };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads one bundle; `what` names it (usually its path), `again` says what to run to get a good one. */
export class BundleReader {
  constructor(
    readonly doc: Record<string, unknown>,
    readonly what: string,
    readonly again: string,
  ) {}

  static open(path: string, format: string, version: number, again: string, other?: (doc: unknown) => string | undefined): BundleReader {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new BundleError('BUNDLE_UNREADABLE', `Cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path.`);
    }
    return BundleReader.parse(text, path, format, version, again, other);
  }

  static parse(text: string, what: string, format: string, version: number, again: string, other?: (doc: unknown) => string | undefined): BundleReader {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new BundleError('BUNDLE_NOT_JSON', `${what} is not JSON, so it is not an ${format} file; ${again}.`);
    }
    const hint = other?.(doc);
    if (hint) throw new BundleError('BUNDLE_FORMAT', `${what} ${hint}`);
    const o = doc as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || Array.isArray(o) || o.format !== format) {
      const seen = typeof o === 'object' && o !== null && !Array.isArray(o) ? ` (format ${JSON.stringify(o.format)})` : '';
      throw new BundleError('BUNDLE_FORMAT', `${what} is not an ${format} file${seen}; ${again}.`);
    }
    if (o.version !== version) {
      throw new BundleError('BUNDLE_VERSION', `${what} is ${format} version ${JSON.stringify(o.version)}; this hsm2kms reads version ${version}, so use the hsm2kms that wrote it or ${again}.`);
    }
    return new BundleReader(o, what, again);
  }

  private at(path: string): unknown {
    let v: unknown = this.doc;
    for (const k of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
    return v;
  }

  fail(field: string, why: string): never {
    throw new BundleError('BUNDLE_FIELD', `${this.what}: ${field} ${why}; ${this.again}.`);
  }

  has(path: string): boolean {
    const v = this.at(path);
    return v !== undefined && v !== null;
  }

  str(path: string, pattern?: RegExp): string {
    const v = this.at(path);
    if (typeof v !== 'string' || v === '') this.fail(path, 'is missing or not text');
    if (pattern && !pattern.test(v)) this.fail(path, `${JSON.stringify(v)} is not valid`);
    return v;
  }

  optStr(path: string, pattern?: RegExp): string | undefined {
    return this.has(path) ? this.str(path, pattern) : undefined;
  }

  oneOf<T extends string>(path: string, allowed: readonly T[]): T {
    const v = this.str(path);
    if (!(allowed as readonly string[]).includes(v)) this.fail(path, `${JSON.stringify(v)} is not one of ${allowed.join(', ')}`);
    return v as T;
  }

  num(path: string): number {
    const v = this.at(path);
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'is missing or not a number');
    return v;
  }

  bool(path: string): boolean {
    const v = this.at(path);
    if (typeof v !== 'boolean') this.fail(path, 'is missing or not true/false');
    return v;
  }

  time(path: string): Date {
    const v = this.str(path);
    const d = new Date(v);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) || Number.isNaN(d.getTime())) this.fail(path, `${JSON.stringify(v)} is not an ISO 8601 UTC time`);
    return d;
  }

  raw(path: string): unknown {
    return this.at(path);
  }

  array(path: string): unknown[] {
    const v = this.at(path);
    if (!Array.isArray(v)) this.fail(path, 'is missing or not a list');
    return v;
  }

  /** A `{"base64", "sha256"}` part, checked against its hash. */
  part(path: string, value: unknown = this.at(path)): Uint8Array {
    if (value === undefined || value === null) {
      throw new BundleError('BUNDLE_PART_MISSING', `${this.what} has no ${path}; ${this.again}.`);
    }
    const v = value as Record<string, unknown>;
    if (typeof v !== 'object' || typeof v.base64 !== 'string' || typeof v.sha256 !== 'string') this.fail(path, 'must be {"base64", "sha256"}');
    if (!BASE64.test(v.base64)) {
      throw new BundleError('BUNDLE_BASE64', `${this.what}: ${path} is not valid base64; the file was altered or damaged, so ${this.again}.`);
    }
    const bytes = new Uint8Array(Buffer.from(v.base64, 'base64'));
    const actual = sha256Hex(bytes);
    if (actual !== v.sha256.toLowerCase()) {
      throw new BundleError('BUNDLE_HASH_MISMATCH', `${this.what}: ${path} does not match its SHA-256 (expected ${v.sha256}, actual ${actual}); the file was altered or damaged, so ${this.again}.`);
    }
    return bytes;
  }

  optPart(path: string): Uint8Array | undefined {
    return this.has(path) ? this.part(path) : undefined;
  }
}
