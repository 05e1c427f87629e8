/** PEM armour (RFC 7468) around DER: encode with 64-character lines, decode the first block with a given label. */
import { DerError } from './der.js';

/** PEM text with 64-character lines. */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Every PEM block with `label`, in order (a bundle such as a CA file); none found is PEM_NOT_FOUND. */
export function pemDecodeAll(text: string, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === label) out.push(pemDecode(m[0], label).der);
  }
  if (out.length === 0) throw new DerError('PEM_NOT_FOUND', `No PEM block labelled "${label}" found; pass a PEM file with -----BEGIN ${label}----- .`);
  return out;
}

/** The first PEM block with `label` (any label when omitted); throws PEM_NOT_FOUND / PEM_BAD_BASE64. */
export function pemDecode(text: string, label?: string): { label: string; der: Uint8Array } {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (label !== undefined && m[1] !== label) continue;
    const body = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
      throw new DerError('PEM_BAD_BASE64', `PEM block "${m[1]}" is not valid base64; re-export the file.`);
    }
    return { label: m[1], der: new Uint8Array(Buffer.from(body, 'base64')) };
  }
  throw new DerError('PEM_NOT_FOUND', `No PEM block${label ? ` labelled "${label}"` : ''} found; pass a PEM file with -----BEGIN ${label ?? '...'}----- .`);
}
