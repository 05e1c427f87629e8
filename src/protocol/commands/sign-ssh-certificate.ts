/**
 * Sign SSH Certificate, command 0x5D. https://developers.yubico.com/YubiHSM2/Commands/Sign_Ssh_Certificate.html
 * In a session; capability sign-ssh-certificate on the session and the key.
 * Request: key id(2) ‖ template id(2) ‖ algorithm(1) ‖ request. Per Yubico's page the request is itself
 * timestamp(4) ‖ signature over request and timestamp ‖ certificate request; it is kept raw here (the device
 * checks it against the template). Response: the certificate signature.
 */
import { Reader, Writer } from '../bytes.js';
import { Command } from '../command-codes.js';
import { defineCommand } from '../command.js';
import { copyBytes, decodeBytesAtLeast, restAtLeast } from './shared.js';

export interface SignSshCertificateRequest {
  keyId: number;
  templateId: number;
  algorithm: number;
  request: Uint8Array;
}

export const signSshCertificate = defineCommand<SignSshCertificateRequest, Uint8Array>({
  code: Command.SIGN_SSH_CERTIFICATE,
  name: 'Sign SSH Certificate',
  context: 'session',
  encodeRequest: (q) =>
    new Writer(5 + q.request.length).u16(q.keyId).u16(q.templateId).u8(q.algorithm).bytes(q.request).finish(),
  decodeRequest(payload) {
    const r = new Reader(payload, 'SignSshCertificate request');
    const keyId = r.u16('key id');
    const templateId = r.u16('template id');
    const algorithm = r.u8('algorithm');
    return { keyId, templateId, algorithm, request: restAtLeast(r, 1, 'request', 'SignSshCertificate request') };
  },
  encodeResponse: copyBytes,
  decodeResponse: (p) => decodeBytesAtLeast(p, 1, 'SignSshCertificate response'),
});
