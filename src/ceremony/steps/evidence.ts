/**
 * Evidence: read the HSM audit log, check its hash chain, keep the entries written since the ceremony began, and
 * write the transcript (with the SHA-256 of every output file) atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sha256Hex } from '../../crypto/digest.js';
import { capabilities } from '../../protocol/capabilities.js';
import type { LogEntry } from '../../protocol/log-entry.js';
import type { CeremonyContext, CeremonyStep } from '../context.js';
import { buildTranscript, describeLogEntry } from '../transcript.js';
import { outputFiles, writeOutput } from './outputs.js';

/** The audit-log entries written after entry number `since` (numbers wrap at 16 bits), oldest first. */
export function entriesSince(entries: readonly LogEntry[], since: number | undefined): LogEntry[] {
  if (since === undefined) return [...entries];
  return entries.filter((e) => ((e.number - since) & 0xffff) > 0 && ((e.number - since) & 0xffff) < 0x8000);
}

async function readAudit(ctx: CeremonyContext): Promise<string> {
  const auth = ctx.state.authKey;
  if (!auth || !(auth.capabilities & capabilities('get-log-entries'))) return 'audit log not readable (auth key lacks get-log-entries)';
  const log = await ctx.session.getAuditLog();
  const since = ctx.state.auditStartNumber;
  const entries = entriesSince(log.entries, since);
  ctx.state.audit = { entries: entries.map(describeLogEntry), chainVerified: true, firstNumber: entries[0]?.number, lastNumber: entries.at(-1)?.number };
  if (entries.length === 0) return `audit log read and its hash chain verified; no entries from this ceremony (the HSM's command audit is off for the commands it used)`;
  return `${entries.length} audit-log ${entries.length === 1 ? 'entry' : 'entries'} from this ceremony, hash chain verified`;
}

export function outputFileHashes(ctx: CeremonyContext): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of outputFiles(ctx.paths).filter((f) => f !== ctx.paths.transcript)) {
    if (existsSync(f)) files[basename(f)] = sha256Hex(readFileSync(f));
  }
  return files;
}

export const evidence: CeremonyStep = {
  name: 'evidence',
  async run(ctx) {
    const audit = await readAudit(ctx);
    // The transcript records this step as done; the journal is updated by the runner right after.
    const transcript = buildTranscript(ctx, ctx.journal, ctx.run.startedAt, outputFileHashes(ctx), ctx.run.targets);
    const self = transcript.steps.find((s) => s.name === 'evidence');
    if (self) Object.assign(self, { status: 'done', outcome: audit });
    await ctx.checkpoint('evidence:before-transcript');
    writeOutput(ctx, ctx.paths.transcript, JSON.stringify(transcript, null, 2) + '\n', 0o644);
    return `${audit}; transcript ${ctx.paths.transcript}`;
  },
};
