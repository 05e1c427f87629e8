/** Seed step 1 (second half): export the public key as PEM (`get pubkey 0 0x100 asymmetric-key key0x100.pub`). */
import { AsymmetricKey } from '../../client/index.js';
import { sha256Hex } from '../../crypto/digest.js';
import { ObjectType } from '../../protocol/object-types.js';
import type { CeremonyStep } from '../context.js';
import { keySpecs } from '../key-specs.js';
import { writeOutput } from './outputs.js';

export const hsmPublicKey: CeremonyStep = {
  name: 'hsm-public-key',
  async run(ctx) {
    const { config: c, state } = ctx;
    if (keySpecs[c.key.keySpec].objectType === ObjectType.SYMMETRIC_KEY) return 'not applicable (symmetric key)';
    const pub = await AsymmetricKey.from(ctx.session, c.key.id).getPublicKey();
    state.publicKeySpki = pub.spki;
    writeOutput(ctx, ctx.paths.publicKey, pub.pem, 0o644);
    const fp = sha256Hex(pub.spki);
    ctx.journal.setFacts({ hsmPublicKeySha256: fp });
    return `${ctx.paths.publicKey} (SHA-256 of SubjectPublicKeyInfo ${fp.slice(0, 16)}…)`;
  },
};
