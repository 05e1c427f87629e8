/**
 * Per-message cost of the secure channel (src/session) for a SignEcdsa-sized exchange: host wrapCommand +
 * unwrapResponse (the client's share) and device unwrapCommand + wrapResponse (the simulator's share), each timed
 * alone by replaying frames recorded from a twin session with the same challenges. Also times the primitives.
 * Run: `npx tsc -p . && node dist/bench/session-message.js`.
 */
import { aesCbcEncrypt } from '../src/crypto/aes.js';
import { aesCmac } from '../src/crypto/cmac.js';
import { counterBlock, messageIv } from '../src/crypto/scp03.js';
import { SecureChannel } from '../src/session/index.js';

const keys = { encKey: new Uint8Array(16).fill(1), macKey: new Uint8Array(16).fill(2) };
const hostChallenge = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const cardChallenge = Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1);

/** µs per call, best of 3 rounds of n calls (other processes share the CPU; the best round is the least disturbed). */
function perCall(n: number, f: (i: number) => void, rounds = 3): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  return best;
}

/** A host and a device channel with fixed challenges: every pair made this way is in the same state. */
function twinPair() {
  const host = SecureChannel.hostSymmetric({ authKeyId: 1, keys, hostChallenge });
  host.createSessionRequest();
  const device = SecureChannel.deviceSymmetric({ sessionId: 0, request: { kind: 'symmetric', authKeyId: 1, hostChallenge }, keys, cardChallenge });
  host.handleAuthenticateSessionResponse(device.handleAuthenticateSession(host.handleCreateSessionResponse(device.createSessionResponse())!));
  return { host, device };
}

export function run(n = 30_000): Record<string, number> {
  // SignEcdsa request: key id(2) ‖ 32-byte digest; response: a 72-byte DER signature.
  const cmd = Uint8Array.from([0x56, 0x00, 34, 0x00, 0x01, ...new Uint8Array(32).fill(0x5a)]);
  const resp = Uint8Array.from([0xd6, 0x00, 72, ...new Uint8Array(72).fill(0x30)]);
  const requests: Uint8Array[] = [];
  const responses: Uint8Array[] = [];
  const rec = twinPair();
  const both = perCall(3 * n, () => {
    const w = rec.host.wrapCommand(cmd);
    rec.device.unwrapCommand(w);
    const r = rec.device.wrapResponse(resp);
    rec.host.unwrapResponse(r);
    requests.push(w);
    responses.push(r);
  }, 1);
  // Each round continues the same twin session, so round r replays recorded exchanges r·n .. (r+1)·n - 1.
  const hostTwin = twinPair().host;
  let hi = 0;
  const host = perCall(n, () => {
    hostTwin.wrapCommand(cmd);
    hostTwin.unwrapResponse(responses[hi++]);
  });
  const deviceTwin = twinPair().device;
  let di = 0;
  const device = perCall(n, () => {
    deviceTwin.unwrapCommand(requests[di++]);
    deviceTwin.wrapResponse(resp);
  });
  const key = new Uint8Array(16).fill(3);
  const chain = new Uint8Array(16).fill(4);
  const body = new Uint8Array(84).fill(5);
  const cmac = perCall(n, () => aesCmac(key, chain, body));
  const ctr = counterBlock(5n);
  const iv = perCall(n, () => messageIv(key, ctr));
  const cbc = perCall(n, () => aesCbcEncrypt(key, chain, body.subarray(0, 80)));
  return {
    'host wrap+unwrap per message, µs': host,
    'device unwrap+wrap per message, µs': device,
    'both sides in one process, µs': both,
    'host messages per second per core': 1e6 / host,
    'device messages per second per core': 1e6 / device,
    'AES-CMAC of 100 bytes (@noble/ciphers), µs': cmac,
    'IV = AES-ECB(S-ENC, ctr) (node:crypto), µs': iv,
    'AES-CBC of 80 bytes (node:crypto), µs': cbc,
    'CMAC share of the host work (2 MACs)': (2 * cmac) / host,
  };
}

if (process.argv[1]?.endsWith('session-message.js')) {
  for (const [k, v] of Object.entries(run())) console.log(`${k.padEnd(46)} ${v < 10 ? v.toFixed(2) : v.toFixed(0)}`);
}
