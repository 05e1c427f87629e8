/**
 * Opening what the ceremony talks to. Without real targets, everything is embedded and in-process: the software
 * YubiHSM 2 (state kept in <work dir>/embedded/hsm-state.json, so a re-run resumes against the same device) and the
 * local KMS server on a loopback port (data in <work dir>/embedded/kms). Real targets are named explicitly:
 * a yubihsm-connector URL or USB for the HSM, `aws` or an endpoint URL for KMS.
 */
import { join } from 'node:path';
import { YubiHsm } from '../client/index.js';
import { AwsKms } from '../kms/client/aws-kms.js';
import type { KmsPort } from '../kms/client/port.js';
import { DEFAULT_LOCAL_CREDENTIALS, startKmsServer } from '../kms/server/index.js';
import { SoftwareYubiHsm } from '../simulator/device.js';
import { loadStateFile, saveStateFile } from '../simulator/persistence.js';
import { InProcessTransport } from '../transport/in-process.js';
import type { HsmTarget, KmsTarget } from './config.js';
import { CachedWrappingKeys, cacheDir } from './wrapping-key-cache.js';

export const EMBEDDED_REGION = 'us-east-1';

export interface OpenHsm {
  hsm: YubiHsm;
  close(): Promise<void>;
}

export interface OpenKms {
  kms: KmsPort;
  close(): Promise<void>;
}

export function embeddedPaths(workDir: string): { hsmState: string; kmsData: string } {
  return { hsmState: join(workDir, 'embedded', 'hsm-state.json'), kmsData: join(workDir, 'embedded', 'kms') };
}

export async function openHsm(target: HsmTarget, workDir: string): Promise<OpenHsm> {
  if (target.kind === 'connector') {
    const hsm = await YubiHsm.connect({ connector: target.url });
    return { hsm, close: () => hsm.close() };
  }
  if (target.kind === 'usb') {
    const hsm = await YubiHsm.connect({ usb: target.serial ?? true });
    return { hsm, close: () => hsm.close() };
  }
  const { hsmState } = embeddedPaths(workDir);
  const state = loadStateFile(hsmState);
  // The rehearsal device audits every command, so the transcript shows what an audited real device records.
  const device = new SoftwareYubiHsm({ ...(state ? { state } : {}), commandAuditDefault: 1, onStateChange: (s) => saveStateFile(hsmState, s) });
  if (!state) saveStateFile(hsmState, device.state);
  const hsm = await YubiHsm.connect({ transport: new InProcessTransport((f) => device.handle(f), { description: 'embedded software YubiHSM 2' }) });
  return { hsm, close: () => hsm.close() };
}

export async function openKms(target: KmsTarget, workDir: string, env: NodeJS.ProcessEnv): Promise<OpenKms> {
  if (target.kind === 'embedded') {
    const server = await startKmsServer({
      host: '127.0.0.1', port: 0, dataDir: embeddedPaths(workDir).kmsData, wrappingKeySource: new CachedWrappingKeys(cacheDir(env)),
    });
    const cred = DEFAULT_LOCAL_CREDENTIALS[0];
    const kms = new AwsKms({
      target: { kind: 'endpoint', endpoint: server.url, region: EMBEDDED_REGION, description: 'embedded local KMS (in-process)' },
      credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey },
    });
    return { kms, close: () => server.close() };
  }
  const kms = AwsKms.fromOptions({
    kms: target.kind === 'aws' ? target.endpoint?.url ?? 'aws' : target.url,
    profile: target.profile,
    region: target.region,
    env,
  });
  return { kms, close: async () => {} };
}
