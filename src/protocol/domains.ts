/** Domains: a u16 bitmap, bit n-1 = domain n (PROTOCOL.md 4.1). */
import { UsageError } from '../errors.js';

export type Domains = number;
export const ALL_DOMAINS: Domains = 0xffff;

/** Parses `1`, `1,2,5`, `all`, `0x0003`. */
export function parseDomains(text: string): Domains {
  const t = text.trim().toLowerCase();
  if (t === 'all') return ALL_DOMAINS;
  if (/^0x[0-9a-f]{1,4}$/.test(t)) return Number.parseInt(t, 16);
  let v = 0;
  for (const part of t.split(/[\s,:]+/).filter(Boolean)) {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1 || n > 16) {
      throw new UsageError('BAD_DOMAINS', `Domain "${part}" is not valid; domains are numbers 1 to 16, e.g. "1" or "1,2", or "all".`);
    }
    v |= 1 << (n - 1);
  }
  return v;
}

export function domainList(d: Domains): number[] {
  const out: number[] = [];
  for (let i = 0; i < 16; i++) if (d & (1 << i)) out.push(i + 1);
  return out;
}

export function formatDomains(d: Domains): string {
  if (d === ALL_DOMAINS) return 'all';
  const l = domainList(d);
  return l.length ? l.join(',') : 'none';
}
