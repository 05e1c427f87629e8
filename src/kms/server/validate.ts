/**
 * Checks a decoded JSON request body against the operation's member table (src/kms/model/operations.ts) and returns
 * the input with blobs decoded to bytes and timestamps to Dates. Wrong JSON types are SerializationException;
 * constraint violations are one ValidationException in AWS's wording, e.g.
 * `1 validation error detected: Value 'X' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [...]`.
 */
import { operationInputs, type Member, type MemberType, type OperationName } from '../model/operations.js';
import { KmsException } from './kms-exception.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const patternCache = new Map<string, RegExp>();

function fullMatch(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    patternCache.set(pattern, re);
  }
  return re;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function serialization(message: string): KmsException {
  return new KmsException('SerializationException', message);
}

/** Strict standard base64 (padding optional) to bytes; undefined when the text is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Epoch seconds (number or numeric string) or an ISO-8601 date-time. */
function decodeTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(Math.round(value * 1000));
  if (typeof value === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(value)) return new Date(Math.round(Number(value) * 1000));
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
      const d = new Date(value);
      if (!Number.isNaN(d.getTime())) return d;
    }
  }
  return undefined;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => show(v)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${show(v)}`).join(', ')}}`;
  }
  return String(value);
}

class Checker {
  readonly errors: string[] = [];

  private violation(path: string, shown: string | undefined, constraint: string): void {
    const value = shown === undefined ? 'Value' : `Value '${shown}'`;
    this.errors.push(`${value} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  private length(path: string, shown: string | undefined, len: number, min?: number, max?: number): void {
    if (min !== undefined && len < min) this.violation(path, shown, `Member must have length greater than or equal to ${min}`);
    if (max !== undefined && len > max) this.violation(path, shown, `Member must have length less than or equal to ${max}`);
  }

  /** Decodes one value of `type` found at `path` (member name `name` for SerializationException texts). */
  value(type: MemberType, raw: unknown, path: string, name: string): unknown {
    switch (type.kind) {
      case 'string': {
        if (typeof raw !== 'string') throw serialization(`Value of ${name} must be a JSON string.`);
        this.length(path, raw, raw.length, type.min, type.max);
        if (type.pattern !== undefined && raw.length > 0 && !fullMatch(type.pattern).test(raw)) {
          this.violation(path, raw, `Member must satisfy regular expression pattern: ${type.pattern}`);
        }
        return raw;
      }
      case 'enum': {
        if (typeof raw !== 'string') throw serialization(`Value of ${name} must be a JSON string.`);
        if (!type.values.includes(raw)) {
          this.violation(path, raw, `Member must satisfy enum value set: [${type.values.join(', ')}]`);
        }
        return raw;
      }
      case 'blob': {
        if (typeof raw !== 'string') throw serialization(`Value of ${name} must be a base64 JSON string.`);
        const bytes = decodeBase64(raw);
        if (!bytes) throw serialization(`Value of ${name} is not valid base64: send the bytes base64-encoded with the standard alphabet.`);
        this.length(path, undefined, bytes.length, type.min, type.max);
        return bytes;
      }
      case 'integer': {
        if (typeof raw !== 'number' || !Number.isInteger(raw)) throw serialization(`Value of ${name} must be a JSON integer.`);
        if (type.min !== undefined && raw < type.min) {
          this.violation(path, String(raw), `Member must have value greater than or equal to ${type.min}`);
        }
        if (type.max !== undefined && raw > type.max) {
          this.violation(path, String(raw), `Member must have value less than or equal to ${type.max}`);
        }
        return raw;
      }
      case 'boolean': {
        if (typeof raw !== 'boolean') throw serialization(`Value of ${name} must be a JSON boolean.`);
        return raw;
      }
      case 'timestamp': {
        const d = decodeTimestamp(raw);
        if (!d) throw serialization(`Value of ${name} must be a timestamp in epoch seconds.`);
        return d;
      }
      case 'list': {
        if (!Array.isArray(raw)) throw serialization(`Value of ${name} must be a JSON array.`);
        this.length(path, show(raw), raw.length, type.min, type.max);
        return raw.map((item, i) => this.value(type.member, item, `${path}.${i + 1}.member`, name));
      }
      case 'map': {
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
          throw serialization(`Value of ${name} must be a JSON object.`);
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(raw)) {
          this.value(type.key, k, `${path}.key`, name);
          out[k] = this.value(type.value, v, `${path}.value`, name);
        }
        return out;
      }
      case 'structure': {
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
          throw serialization(`Value of ${name} must be a JSON object.`);
        }
        return this.members(type.members, raw as Record<string, unknown>, `${path}.`);
      }
    }
  }

  members(members: readonly Member[], obj: Record<string, unknown>, prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const m of members) {
      const raw = obj[m.name];
      const path = prefix + lowerFirst(m.name);
      if (raw === undefined || raw === null) {
        if (m.required) this.errors.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      out[m.name] = this.value(m.type, raw, path, m.name);
    }
    return out;
  }
}

/** The AWS wording of a list of constraint violations. */
export function validationMessage(errors: readonly string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`;
}

/** Validates `body` for `op`; throws SerializationException or ValidationException, else returns the decoded input. */
export function validateInput(op: OperationName, body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw serialization('The request body must be a JSON object.');
  }
  const checker = new Checker();
  const input = checker.members(operationInputs[op], body as Record<string, unknown>, '');
  if (checker.errors.length > 0) throw new KmsException('ValidationException', validationMessage(checker.errors));
  return input;
}
