/**
 * The object classes put exactly python-yubihsm's bytes on the wire: each call below must produce the inner frame
 * recorded in vectors.json `request_payloads` (built by python-yubihsm's object helpers). A recording session
 * stands in for the device; it answers with minimal well-formed values.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import {
  AsymmetricKey,
  AuthenticationKey,
  PublicWrapKey,
  WrapKey,
  type HsmSession,
} from '../../src/client/index.js';
import { Command } from '../../src/protocol/command-codes.js';
import type { CommandDef } from '../../src/protocol/command.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { h, toHex, vectors } from '../protocol/helpers.js';

const payloads = vectors.request_payloads as { cmd: string; label: string; payload: string; inner_frame: string }[];
function expected(cmd: number, labelPart: string): string {
  const found = payloads.find((p) => Number(p.cmd) === cmd && p.label.includes(labelPart));
  assert.ok(found, `no vector for 0x${cmd.toString(16)} ${labelPart}`);
  return found.inner_frame;
}

const pubwrapModulus = h(expected(0x73, 'PutPublicWrapKey').slice(6 + 61 * 2));

function recorder(): { session: HsmSession; frames: string[] } {
  const frames: string[] = [];
  const session = {
    hsm: { maxFrame: 3135 },
    async call<Q, R>(def: CommandDef<Q, R>, req: Q): Promise<R> {
      frames.push(toHex(encodeFrame(def.code, def.encodeRequest(req))));
      const r = req as Record<string, unknown>;
      switch (def.code) {
        case Command.GET_PUBLIC_KEY:
          return { algorithm: 9, publicKey: pubwrapModulus } as R;
        case Command.PUT_RSA_WRAPPED_KEY:
          return { type: r.type, id: r.id } as R;
        case Command.IMPORT_RSA_WRAPPED:
          return { type: 3, id: 0x1234 } as R;
        case Command.CHANGE_AUTHENTICATION_KEY:
          return r.keyId as R;
        default:
          if ('id' in r && 'label' in r) return r.id as R;
          return new Uint8Array([0x30, 0x00]) as R;
      }
    },
  } as unknown as HsmSession;
  return { session, frames };
}

test('authentication keys: PutAuthenticationKey from a password, ChangeAuthenticationKey', async () => {
  const { session, frames } = recorder();
  await AuthenticationKey.putDerived(session, {
    id: 2, label: 'app', domains: 1, capabilities: 'sign-ecdsa', delegatedCapabilities: 'sign-ecdsa', password: 'password',
  });
  await AuthenticationKey.from(session, 2).changePassword('newpass');
  assert.deepEqual(frames, [expected(0x44, 'PutAuthenticationKey'), expected(0x6c, 'ChangeAuthenticationKey')]);
});

test('asymmetric keys: generate, put, sign ECDSA/PSS/PKCS#1, decrypt OAEP, public key', async () => {
  const { session, frames } = recorder();
  const opts = { id: 0x1234, label: 'k1', domains: '1' };
  await AsymmetricKey.generate(session, { ...opts, capabilities: ['sign-ecdsa', 'exportable-under-wrap'], algorithm: 'ecp256' });
  const scalar = h(expected(0x45, 'PutAsymmetricKey').slice(6 + 53 * 2));
  await AsymmetricKey.put(session, { ...opts, capabilities: 'sign-ecdsa', algorithm: 12, key: scalar });
  const key = AsymmetricKey.from(session, 0x1234);
  const digest = h('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  await key.signEcdsa(digest);
  await key.signPss(digest);
  await key.signPkcs1(digest);
  await key.decryptOaep(new Uint8Array(256).fill(0x11));
  await key.getPublicKey().catch(() => undefined); // answer is an RSA modulus here; only the request matters
  assert.deepEqual(frames, [
    expected(0x46, 'GenerateAsymmetricKey'),
    expected(0x45, 'PutAsymmetricKey'),
    expected(0x56, 'SignEcdsa'),
    expected(0x55, 'SignPss'),
    expected(0x47, 'SignPkcs1'),
    expected(0x59, 'DecryptOaep'),
    expected(0x54, '2-byte form'),
  ]);
});

test('wrap keys: ExportWrapped (both forms), 0x73-0x77 with the default RSA_AES_KEY_WRAP_SHA_256 selectors', async () => {
  const { session, frames } = recorder();
  const key = AsymmetricKey.from(session, 0x1234);
  const aes = WrapKey.from(session, 0x00bb);
  await key.exportWrapped(aes);
  await key.exportWrapped(aes, { format: 1 });
  const pub = await PublicWrapKey.put(session, {
    id: 0x00aa, label: 'pubwrap', domains: 1, capabilities: 'export-wrapped',
    delegatedCapabilities: 'exportable-under-wrap,sign-ecdsa', publicKey: { modulus: pubwrapModulus },
  });
  await pub.getPublicKey();
  await key.getRsaWrappedKey(pub);
  await key.exportRsaWrapped(pub);
  await aes.putRsaWrappedKey(h('deadbeef'), { id: 0x1234, label: 'k1', domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256' });
  await aes.importRsaWrapped(h('deadbeef'));
  assert.deepEqual(frames, [
    expected(0x4a, 'wrap=0x00bb asymmetric'),
    expected(0x4a, 'ed25519 seed'),
    expected(0x73, 'PutPublicWrapKey'),
    expected(0x54, '3-byte form'),
    expected(0x74, 'GetRsaWrappedKey'),
    expected(0x76, 'ExportRsaWrapped'),
    expected(0x75, 'PutRsaWrappedKey'),
    expected(0x77, 'ImportRsaWrapped'),
  ]);
});

test('bad arguments are refused before anything is sent, with a stable code', async () => {
  const { session, frames } = recorder();
  await assert.rejects(
    AsymmetricKey.generate(session, { id: 5, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'aes128' }),
    { code: 'HSM_BAD_ALGORITHM', message: /aes128 is not an algorithm for asymmetric-key objects; use one of rsa2048/ },
  );
  await assert.rejects(
    AsymmetricKey.generate(session, { id: 5, domains: 1, capabilities: 'sign-ecdsa', algorithm: 'ecp256', label: 'x'.repeat(41) }),
    { code: 'LABEL_TOO_LONG' },
  );
  await assert.rejects(
    AsymmetricKey.generate(session, { id: 5, domains: 0, capabilities: 'sign-ecdsa', algorithm: 'ecp256' }),
    { code: 'HSM_BAD_ARGUMENT', message: /Domains must name at least one of domains 1-16/ },
  );
  await assert.rejects(
    AsymmetricKey.generate(session, { id: 5, domains: 1, capabilities: 'sign-everything', algorithm: 'ecp256' }),
    { code: 'UNKNOWN_CAPABILITY' },
  );
  assert.throws(() => AsymmetricKey.from(session, 0xffff), { code: 'BAD_OBJECT_ID' });
  await assert.rejects(AsymmetricKey.from(session, 1).signEcdsa(new Uint8Array(0)), { code: 'HSM_BAD_ARGUMENT', message: /takes the message digest/ });
  await assert.rejects(AsymmetricKey.from(session, 1).signPss(new Uint8Array(31)), { code: 'HSM_BAD_ARGUMENT' });
  await assert.rejects(
    PublicWrapKey.put(session, { domains: 1, capabilities: 0n, delegatedCapabilities: 0n, publicKey: { modulus: new Uint8Array(100) } }),
    { code: 'HSM_BAD_ARGUMENT', message: /full 2048, 3072 or 4096-bit/ },
  );
  assert.deepEqual(frames, []);
});
