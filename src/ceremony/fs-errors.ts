/**
 * A file-system refusal (a read-only directory, a full disk, a path through a regular file) is the user's to fix,
 * not a bug: it becomes a one-line CeremonyError naming the file and what to do, instead of "internal error".
 * Node's errors carry `code`, `syscall` and `path`; a temp file of writeFileAtomic (`.NAME.PID.HEX.tmp`) is
 * reported as the file it stands for.
 */
import { basename, dirname, join } from 'node:path';
import { CeremonyError } from './errors.js';

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
const FULL = new Set(['ENOSPC', 'EDQUOT']);
const OTHER = new Set(['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOENT', 'ELOOP', 'ENAMETOOLONG', 'EMFILE', 'ENFILE', 'EIO', 'EBUSY']);

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a directory', EISDIR: 'it is a directory', ENOENT: 'no such file or directory',
};

const VERBS: Record<string, string> = {
  mkdir: 'create the directory', open: 'open', rename: 'write', write: 'write', fsync: 'write', read: 'read',
  unlink: 'remove', rm: 'remove', rmdir: 'remove', scandir: 'list', stat: 'read', lstat: 'read', copyfile: 'write',
};

/** The file a temp file of writeFileAtomic stands for, else the path itself. */
function shownPath(path: string): string {
  const m = /^\.(.+)\.\d+\.[0-9a-f]{8}\.tmp$/.exec(basename(path));
  return m ? join(dirname(path), m[1]) : path;
}

/**
 * The one-line error for a Node file-system error, or undefined for anything else. `where` says which options
 * choose the places written to (e.g. "choose another --out or --work-dir").
 */
export function fileSystemError(e: unknown, where = 'choose another --out or --work-dir'): CeremonyError | undefined {
  if (e instanceof CeremonyError || !(e instanceof Error)) return undefined;
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code !== 'string' || typeof err.syscall !== 'string' || typeof err.path !== 'string') return undefined;
  const path = shownPath(err.path);
  const verb = path !== err.path ? 'write' : VERBS[err.syscall] ?? err.syscall;
  if (NOT_WRITABLE.has(err.code)) {
    return new CeremonyError('FILE_NOT_WRITABLE', `Cannot ${verb} ${path} (${err.code}: permission denied or read-only); make ${dirname(path)} writable or ${where}, then re-run.`, { cause: e });
  }
  if (FULL.has(err.code)) {
    return new CeremonyError('DISK_FULL', `Cannot ${verb} ${path} (${err.code}: no space left); free some space on that disk or ${where}, then re-run.`, { cause: e });
  }
  if (OTHER.has(err.code)) {
    const why = REASONS[err.code] ? `${err.code}: ${REASONS[err.code]}` : err.code;
    return new CeremonyError('FILE_SYSTEM_ERROR', `Cannot ${verb} ${path} (${why}); check that path or ${where}, then re-run.`, { cause: e });
  }
  return undefined;
}
