/** SSH templates, type 0x06 (PROTOCOL.md 5.6): template-ssh (36) data used by SignSshCertificate. */
import { Algorithm } from '../../protocol/algorithms.js';
import { getTemplate } from '../../protocol/commands/get-template.js';
import { putTemplate } from '../../protocol/commands/put-template.js';
import { objectId, type ObjectId } from '../../protocol/ids.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { HsmSession } from '../session.js';
import { newObject, YubiHsmObject, type CreateOptions } from './object.js';

export class Template extends YubiHsmObject<ObjectId> {
  readonly type = ObjectType.TEMPLATE;

  static from(session: HsmSession, id: number | string): Template {
    return new Template(session, objectId(id));
  }

  /** PutTemplate (0x5E); session capability put-template. */
  static async put(session: HsmSession, o: CreateOptions & { data: Uint8Array }): Promise<Template> {
    const id = await session.call(putTemplate, { ...newObject(o, Algorithm.TEMPLATE_SSH), data: o.data });
    return new Template(session, objectId(id));
  }

  /** GetTemplate (0x5F); session capability get-template. */
  get(): Promise<Uint8Array> {
    return this.session.call(getTemplate, this.id);
  }
}
