/**
 * Reading and listing the files users give us, bounded and typed: only regular files are read, up to a
 * stated size; a device, a FIFO or a folder given as a file is refused (exit 2, with the reason), and
 * inside a folder such an entry is skipped and reported. So `--config /dev/zero` cannot fill the memory,
 * and a FIFO named `x.json` cannot hang `replay DIR`.
 */
import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readSync, type Stats, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeSystemError, systemErrorCode, usageError } from './io.ts';

/** The largest file read, unless `PGP_CLUSTER_CHECK_MAX_FILE_BYTES` says otherwise: 16 MB. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 2 ** 20;
export const MAX_FILE_BYTES_VARIABLE = 'PGP_CLUSTER_CHECK_MAX_FILE_BYTES';

export function maxFileBytes(): number {
  const set = process.env[MAX_FILE_BYTES_VARIABLE];
  if (set === undefined || set === '') return DEFAULT_MAX_FILE_BYTES;
  if (!/^\d+$/.test(set) || Number(set) < 1) throw usageError(`${MAX_FILE_BYTES_VARIABLE}: expected a whole number of bytes, got "${set}"`);
  return Number(set);
}

const mb = (n: number) => (n >= 2 ** 20 ? `${Math.round((n / 2 ** 20) * 10) / 10} MB` : `${n} bytes`);

/** What kind of thing a path is, when it is not a regular file. */
export function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'is a FIFO (named pipe), not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/**
 * The text of a regular file of at most `maxFileBytes()` bytes; a usage error (exit 2) naming the file
 * and the reason otherwise. Opened without blocking (a FIFO would wait for a writer), checked on the
 * open descriptor, and read no further than the limit even when the size was misreported (`/proc`).
 */
export function readTextFile(file: string): string {
  const limit = maxFileBytes();
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === undefined) throw error;
    throw usageError(`${file}: cannot read: ${describeSystemError(code)}`);
  }
  try {
    const stats = fstatSync(fd);
    const why = notRegular(stats);
    if (why !== undefined) throw usageError(`${file}: cannot read: ${why}`);
    if (stats.size > limit) throw usageError(`${file}: cannot read: ${mb(stats.size)} is larger than the limit of ${mb(limit)} (${MAX_FILE_BYTES_VARIABLE} sets it)`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw usageError(`${file}: cannot read: larger than the limit of ${mb(limit)} (${MAX_FILE_BYTES_VARIABLE} sets it)`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === undefined) throw error;
    throw usageError(`${file}: cannot read: ${describeSystemError(code)}`);
  } finally {
    closeSync(fd);
  }
}

/** An entry of a folder that is skipped, and why. */
export interface SkippedEntry {
  readonly path: string;
  readonly why: string;
}

/** The `*.json` files of a folder (not hidden), sorted by name: the regular ones, and the others skipped. */
export function jsonEntries(dir: string): { readonly files: string[]; readonly skipped: SkippedEntry[] } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === 'ENOENT') return { files: [], skipped: [] };
    if (code === undefined) throw error;
    throw usageError(`${dir}: cannot list the folder: ${describeSystemError(code)}`);
  }
  const files: string[] = [];
  const skipped: SkippedEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const path = join(dir, name);
    try {
      const why = notRegular(statSync(path));
      if (why === undefined) files.push(path);
      else skipped.push({ path, why });
    } catch (error) {
      const code = systemErrorCode(error);
      if (code === undefined) throw error;
      skipped.push({ path, why: describeSystemError(code) });
    }
  }
  return { files, skipped };
}

/** The warning for a skipped entry. */
export function skippedWarning(entry: SkippedEntry): string {
  return `warning: ${entry.path}: skipped: ${entry.why}`;
}

/**
 * Creates a folder and its missing parents, one level at a time and at most as deep as the path is (Node's
 * own recursive `mkdir` loops forever under `/proc`). A usage error naming the folder when it cannot.
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  let here = dir;
  for (;;) {
    try {
      const stats = statSync(here);
      if (!stats.isDirectory()) throw usageError(`${dir}: cannot create the folder: ${here} is not a folder`);
      break;
    } catch (error) {
      if (systemErrorCode(error) !== 'ENOENT') {
        if (systemErrorCode(error) === undefined) throw error;
        throw usageError(`${dir}: cannot create the folder: ${describeSystemError(systemErrorCode(error)!)}`);
      }
      missing.push(here);
      const parent = dirname(here);
      if (parent === here) break;
      here = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      const code = systemErrorCode(error);
      if (code === 'EEXIST') continue;
      if (code === undefined) throw error;
      throw usageError(`${dir}: cannot create the folder: ${describeSystemError(code)}`);
    }
  }
}
