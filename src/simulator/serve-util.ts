/** Small helpers for serving the software device (used by `hsm2kms hsm serve`). */
import { isIP } from 'node:net';

/** True for `localhost`, 127.0.0.0/8 and ::1 (the addresses only this machine can reach). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}
