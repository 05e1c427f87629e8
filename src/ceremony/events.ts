/** Progress events the runner emits; the CLI renders them (progress display or JSON lines). */
import type { StepName } from './plan.js';

export type CeremonyEvent =
  | { type: 'start'; hsm: string; kms: string; simulated: boolean; ceremonyId: string; resumed: boolean }
  | { type: 'step-start'; step: StepName; title: string; index: number; total: number }
  | { type: 'step-done'; step: StepName; outcome: string; ms: number }
  | { type: 'step-failed'; step: StepName; code: string; message: string }
  | { type: 'note'; step?: StepName; message: string }
  | { type: 'finish'; ok: boolean; fingerprint?: string; keyArn?: string; alias?: string; transcript?: string; simulated?: boolean };
