/**
 * Secrets in memory and on disk, below the ceremony: decryption results handed over in buffers the caller owns (the
 * Buffer node:crypto returned is zeroed), session keys and MAC chain zeroed when a session closes or fails, and the
 * files that hold sensitive state — any writeFileAtomic target, the simulator state file, the embedded KMS wrapping-key
 * cache — mode 0600 in 0700 directories under umask 0, replaced atomically (no temp file left, also when the rename
 * fails), and error messages about a bad state file that never quote its contents.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CachedWrappingKeys } from '../../src/ceremony/wrapping-key-cache.js';
import { aesCbcDecrypt } from '../../src/crypto/aes.js';
import { kwpUnwrap } from '../../src/crypto/kwp.js';
import { takeBytes } from '../../src/crypto/owned-bytes.js';
import type { SessionKeys } from '../../src/crypto/scp03.js';
import { SoftwareYubiHsm } from '../../src/simulator/device.js';
import { loadStateFile, saveStateFile } from '../../src/simulator/persistence.js';
import { writeFileAtomic } from '../../src/util/atomic-file.js';
import { openPair, u } from '../session/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'hsm2kms-security-wipe-'));
let oldUmask = 0;
before(() => {
  oldUmask = process.umask(0);
});
after(() => {
  process.umask(oldUmask);
  rmSync(root, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;
const zero = (b: Uint8Array) => b.every((x) => x === 0);
const owned = (b: Uint8Array) => b.byteOffset === 0 && b.buffer.byteLength === b.length;

describe('decryption results are the caller\'s only copy', () => {
  it('takeBytes joins the parts into a fresh array and zeroes every part', () => {
    const a = Buffer.from('00112233', 'hex');
    const b = Buffer.from('4455', 'hex');
    const out = takeBytes(a, b);
    assert.equal(Buffer.from(out).toString('hex'), '001122334455');
    assert.ok(zero(a) && zero(b), 'parts zeroed');
    assert.ok(owned(out));
  });

  it('KWP unwrap (RFC 5649 section 6, 20-byte key) and AES-CBC decrypt return owned arrays', () => {
    const kek = u('5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8');
    const key = kwpUnwrap(kek, u('138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a'))!;
    assert.equal(Buffer.from(key).toString('hex'), 'c37b7e6492584340bed12207808941155068f738');
    assert.ok(owned(key));
    // FIPS 197 C.1 (AES-128): one block, so CBC with a zero IV is ECB.
    const pt = aesCbcDecrypt(u('000102030405060708090a0b0c0d0e0f'), new Uint8Array(16), u('69c4e0d86a7b0430d8cdb78070b4c55a'));
    assert.equal(Buffer.from(pt).toString('hex'), '00112233445566778899aabbccddeeff');
    assert.ok(owned(pt));
  });
});

/** The live message state of a channel (keys and chain), read before the channel drops it. */
function liveSecrets(ch: unknown): { keys: SessionKeys; chain: Uint8Array } {
  const msg = (ch as { msg?: { keys: SessionKeys; chain: Uint8Array } }).msg;
  assert.ok(msg, 'an open channel has message state');
  return { keys: msg.keys, chain: msg.chain };
}

function assertWiped(s: { keys: SessionKeys; chain: Uint8Array }, who: string): void {
  assert.ok(zero(s.keys.encKey) && zero(s.keys.macKey) && zero(s.keys.rmacKey), `${who}: S-ENC, S-MAC and S-RMAC zeroed`);
  assert.ok(zero(s.chain), `${who}: MAC chain zeroed`);
}

describe('session keys die with the session', () => {
  for (const kind of ['symmetric', 'asymmetric'] as const) {
    it(`${kind}: close() zeroes both sides' session keys and MAC chain`, () => {
      const { host, device } = openPair(kind);
      const hs = liveSecrets(host);
      const ds = liveSecrets(device);
      assert.ok(!zero(hs.keys.encKey) && !zero(hs.chain), 'control: keys are live before close');
      host.close();
      device.close();
      assertWiped(hs, 'host');
      assertWiped(ds, 'device');
    });
  }

  it('a failed C-MAC check zeroes the device side at once, and a failed R-MAC check the host side', () => {
    const a = openPair('symmetric');
    const ds = liveSecrets(a.device);
    const wire = a.host.wrapCommand(u('0100020102'));
    wire[wire.length - 1] ^= 1;
    assert.throws(() => a.device.unwrapCommand(wire));
    assert.equal(a.device.state, 'failed');
    assertWiped(ds, 'device');

    const b = openPair('symmetric');
    const hs = liveSecrets(b.host);
    b.device.unwrapCommand(b.host.wrapCommand(u('0100020102')));
    const answer = b.device.wrapResponse(u('8100020102'));
    answer[answer.length - 1] ^= 1;
    assert.throws(() => b.host.unwrapResponse(answer));
    assert.equal(b.host.state, 'failed');
    assertWiped(hs, 'host');
  });
});

describe('files holding sensitive state', () => {
  it('writeFileAtomic: 0600 by default under umask 0, new directories 0700, an existing 0644 file replaced by a 0600 one, no temp file left', () => {
    const dir = join(root, 'atomic', 'a', 'b');
    const file = join(dir, 'state.json');
    writeFileAtomic(file, 'one\n');
    assert.equal(mode(file), 0o600);
    for (const d of [join(root, 'atomic'), join(root, 'atomic', 'a'), dir]) assert.equal(mode(d), 0o700, d);
    chmodSync(file, 0o644);
    const before = statSync(file).ino;
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    assert.equal(mode(file), 0o600);
    assert.notEqual(statSync(file).ino, before, 'a new file was renamed over the old one');
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
    assert.deepEqual(readdirSync(dir), ['state.json']);
  });

  it('writeFileAtomic: a rename that fails (the target is a directory) leaves the directory as it was, no temp file', () => {
    const dir = join(root, 'atomic-fail');
    mkdirSync(join(dir, 'target'), { recursive: true });
    writeFileSync(join(dir, 'target', 'inside'), 'x');
    assert.throws(() => writeFileAtomic(join(dir, 'target'), 'secret'));
    assert.deepEqual(readdirSync(dir), ['target']);
  });

  it('the simulator state file (private keys in the clear): 0600 in a 0700 directory, replaced atomically', () => {
    const device = new SoftwareYubiHsm();
    const path = join(root, 'sim', 'nested', 'hsm-state.json');
    saveStateFile(path, device.state);
    assert.equal(mode(path), 0o600);
    assert.equal(mode(join(root, 'sim')), 0o700);
    assert.equal(mode(join(root, 'sim', 'nested')), 0o700);
    chmodSync(path, 0o644);
    saveStateFile(path, device.state);
    assert.equal(mode(path), 0o600);
    assert.deepEqual(readdirSync(join(root, 'sim', 'nested')), ['hsm-state.json']);
    assert.equal(loadStateFile(path)!.identity.serial, device.state.identity.serial);
  });

  it('a damaged state file is refused without quoting what it holds', () => {
    const marker = 'c0ffee5ec7e7c0ffee5ec7e7';
    const path = join(root, 'bad-state.json');
    const good = JSON.parse(readFileSync(join(root, 'sim', 'nested', 'hsm-state.json'), 'utf8'));
    const texts = [
      `{"format": "hsm2kms-simulator-state", "identity": "${marker}"`, // not JSON (Node's SyntaxError quotes the text)
      JSON.stringify({ ...good, identity: { ...good.identity, authPrivateKey: marker.toUpperCase() } }),
      JSON.stringify({ ...good, identity: { ...good.identity, authPrivateKey: marker } }), // 12 bytes, not 32
      JSON.stringify({ ...good, version: marker }),
    ];
    for (const text of texts) {
      writeFileSync(path, text);
      assert.throws(() => loadStateFile(path), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'SIM_STATE_INVALID');
        assert.ok(!e.message.toLowerCase().includes(marker), e.message);
        assert.ok(!e.message.includes('\n'), 'one line');
        return true;
      });
    }
  });

  it('the embedded KMS wrapping-key cache (RSA private keys): 0600 files in 0700 directories', async () => {
    const dir = join(root, 'cache-parent', 'hsm2kms');
    const cache = new CachedWrappingKeys(dir);
    await cache.take(2048);
    assert.equal(mode(join(root, 'cache-parent')), 0o700);
    assert.equal(mode(dir), 0o700);
    const files = readdirSync(dir);
    assert.deepEqual(files, ['embedded-kms-wrapping-rsa-2048.json']);
    assert.equal(mode(join(dir, files[0])), 0o600);
  });

  it('a cache file others can read or write is not used (it could be planted): a new pair is generated', async () => {
    const dir = join(root, 'shared-cache');
    const first = await new CachedWrappingKeys(dir).take(2048);
    const again = await new CachedWrappingKeys(dir).take(2048);
    assert.deepEqual(Buffer.from(again.spki), Buffer.from(first.spki), 'a 0600 file of ours is reused');
    const file = join(dir, 'embedded-kms-wrapping-rsa-2048.json');
    chmodSync(file, 0o644);
    const refused = await new CachedWrappingKeys(dir).take(2048);
    assert.notDeepEqual(Buffer.from(refused.spki), Buffer.from(first.spki), 'a 0644 file is not used');
    assert.equal(mode(file), 0o600, 'and is replaced by a private one');
  });
});
