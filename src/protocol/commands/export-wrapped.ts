/**
 * Export Wrapped, command 0x4A. https://developers.yubico.com/YubiHSM2/Commands/Export_Wrapped.html
 * In a session; export-wrapped on the session and the AES wrap key; the object needs exportable-under-wrap.
 * Request: wrap key id(2) ‖ object type(1) ‖ object id(2) [‖ format(1), firmware 2.4+: 0 legacy, 1 keep the
 * Ed25519 seed]. Without the format byte L = 5, with it L = 6; a format other than 0/1 is INVALID_DATA.
 * Response: nonce(13) ‖ AES-CCM ciphertext ‖ tag(16), exactly what ImportWrapped takes back.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { decodeCcmWrapped } from './ccm-wrapped.js';
import { copyBytes, invalidData, wrongLength } from './shared.js';

export interface ExportWrappedRequest {
  wrapKeyId: number;
  type: number;
  id: number;
  /** Omitted: the 5-byte legacy request. */
  format?: number;
}

export const exportWrapped = defineCommand<ExportWrappedRequest, Uint8Array>({
  code: Command.EXPORT_WRAPPED,
  name: 'Export Wrapped',
  context: 'session',
  encodeRequest(q) {
    const w = new Writer(6).u16(q.wrapKeyId).u8(q.type).u16(q.id);
    if (q.format !== undefined) w.u8(q.format);
    return w.finish();
  },
  decodeRequest(payload) {
    if (payload.length !== 5 && payload.length !== 6) {
      throw wrongLength(
        'BAD_EXPORT_WRAPPED_LENGTH',
        `ExportWrapped request must be 5 or 6 bytes (with the format byte), got ${payload.length}.`,
      );
    }
    const r = new Reader(payload, 'ExportWrapped request');
    const q: ExportWrappedRequest = { wrapKeyId: r.u16(), type: r.u8(), id: r.u16() };
    if (r.remaining === 1) {
      q.format = r.u8();
      if (q.format > 1) {
        throw invalidData(
          'BAD_WRAP_FORMAT',
          `ExportWrapped format ${q.format} is unknown; use 0 (legacy) or 1 (Ed25519 seed).`,
        );
      }
    }
    return q;
  },
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeCcmWrapped(p, 'ExportWrapped response'),
});
