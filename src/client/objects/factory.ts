/** The object class for a (type, id) pair the device named (ListObjects, ImportWrapped, ...). */
import { ProtocolError } from '../../errors.js';
import { authKeyId, keyId, objectId, wrapKeyId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { AsymmetricKey } from './asymmetric-key.js';
import { AuthenticationKey } from './authentication-key.js';
import { HmacKey } from './hmac-key.js';
import { Opaque } from './opaque.js';
import { OtpAeadKey } from './otp-aead-key.js';
import { PublicWrapKey } from './public-wrap-key.js';
import { SymmetricKey } from './symmetric-key.js';
import { Template } from './template.js';
import { WrapKey } from './wrap-key.js';

export type AnyObject =
  | Opaque | AuthenticationKey | AsymmetricKey | WrapKey | HmacKey | Template | OtpAeadKey | SymmetricKey | PublicWrapKey;

export function objectFor(session: HsmSession, type: number, id: number): AnyObject {
  switch (type) {
    case ObjectType.OPAQUE: return new Opaque(session, objectId(id));
    case ObjectType.AUTHENTICATION_KEY: return new AuthenticationKey(session, authKeyId(id));
    case ObjectType.ASYMMETRIC_KEY: return new AsymmetricKey(session, keyId(id));
    case ObjectType.WRAP_KEY: return new WrapKey(session, wrapKeyId(id));
    case ObjectType.HMAC_KEY: return new HmacKey(session, keyId(id));
    case ObjectType.TEMPLATE: return new Template(session, objectId(id));
    case ObjectType.OTP_AEAD_KEY: return new OtpAeadKey(session, keyId(id));
    case ObjectType.SYMMETRIC_KEY: return new SymmetricKey(session, keyId(id));
    case ObjectType.PUBLIC_WRAP_KEY: return new PublicWrapKey(session, wrapKeyId(id));
    default:
      throw new ProtocolError('HSM_UNKNOWN_OBJECT_TYPE', `The device named an object of unknown type 0x${type.toString(16)}; update this library.`);
  }
}
