/**
 * The one writer of every file the tool writes: reports (`check --html`), plots (`resync --svg`), saved
 * counterexamples and their index. Everything goes through a temporary file that cannot be predicted,
 * created with `O_EXCL` in the target's own folder, flushed to the disk, then renamed over the target (or
 * hard-linked to it, when an existing file must not be replaced). A reader never sees half a file.
 *
 * An output flag's target (`outputTarget`) is checked before any work is done, and follows one rule:
 *
 * - a regular file (or a name that does not exist yet, in an existing folder) is replaced atomically;
 * - a device, a FIFO or the run's own standard output or error (`/dev/null`, `/dev/stdout`, a named pipe,
 *   the file stdout is redirected to) is written through: opened and written, never renamed over, so
 *   `/dev/null` stays a device, and a write that fails (`/dev/full`) is an error (exit 2);
 * - a symbolic link is followed only to such a device, pipe or stream; a link to a regular file, or to
 *   nothing, is refused (a link planted at the name cannot redirect the report elsewhere);
 * - a folder, a socket, and a file that is one of the run's inputs (`--config`) are refused.
 *
 * Errors name the flag and the path given, never the temporary file, and leave no temporary file behind.
 * SIGTERM, SIGINT and SIGHUP remove the temporary files being written; one left by SIGKILL (or a power
 * cut) is removed by the next run that writes into the same folder (`sweepTemporaryFiles`).
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeSystemError, systemErrorCode, usageError } from './io.ts';

/** The longest file name (in UTF-8 bytes) the usual Linux file systems take. */
export const MAX_NAME_BYTES = 255;

const TEMPORARY_SUFFIX = '.pgp-cluster-check.tmp';
/** `.NAME.PID.RANDOM.pgp-cluster-check.tmp`: a temporary file of this tool, and the process writing it. */
const TEMPORARY = /^\..*\.(\d+)\.[0-9a-f]{16}\.pgp-cluster-check\.tmp$/;

/** The first `bytes` bytes of a name, cut at a character boundary. */
function clip(name: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const c of name) {
    const size = Buffer.byteLength(c);
    if (used + size > bytes) break;
    out += c;
    used += size;
  }
  return out;
}

/**
 * A fresh temporary name beside `path`: hidden, 64 random bits, the writer's process id (so a later run
 * knows whether its writer still runs), and as much of the target's name as fits in `MAX_NAME_BYTES`.
 */
export function temporaryPath(path: string, pid = process.pid): string {
  const tail = `.${pid}.${randomBytes(8).toString('hex')}${TEMPORARY_SUFFIX}`;
  return join(dirname(path), `.${clip(basename(path), MAX_NAME_BYTES - 1 - Buffer.byteLength(tail))}${tail}`);
}

/** Whether a file name is one of this tool's temporary files; its writer's process id if so. */
export function temporaryWriter(name: string): number | undefined {
  const pid = TEMPORARY.exec(name)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/** The temporary files this process has created and not yet removed. */
const pending = new Set<string>();
let cleanupInstalled = false;

/**
 * From the first temporary file on, SIGTERM, SIGINT and SIGHUP remove this process's temporary files
 * before it exits (with 128 + the signal's number, as the default action would). A handler also defers
 * the signal until the running synchronous write is done, so it cannot cut a write in half. SIGKILL
 * cannot be caught: what it leaves is swept by the next run (`sweepTemporaryFiles`).
 */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const [signal, status] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      for (const file of pending) rmSync(file, { force: true });
      process.exit(status);
    });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return systemErrorCode(error) === 'EPERM';
  }
}

/**
 * Removes the temporary files a killed run left in a folder (those of processes that no longer run); a
 * live writer's are left alone. Returns what it removed.
 */
export function sweepTemporaryFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = temporaryWriter(name);
    if (pid === undefined || isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to an open descriptor (one that does not block, such as a pipe a reader is slow on, included). */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      if (systemErrorCode(error) !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

/** A new temporary file beside `path` holding `text`, flushed to the disk; removed again if that fails. */
function writeTemporary(path: string, text: string): string {
  installCleanup();
  const temporary = temporaryPath(path);
  pending.add(temporary);
  try {
    const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      writeAll(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    removeTemporary(temporary);
    throw error;
  }
  return temporary;
}

function removeTemporary(temporary: string): void {
  rmSync(temporary, { force: true });
  pending.delete(temporary);
}

/**
 * Writes `text` to `path` atomically, only if `path` does not exist yet (a hard link, which fails if the
 * name is taken; where hard links are not available, an existence check, then a rename). Returns false,
 * having written nothing, when it exists. System errors are thrown as they are, for the caller to name.
 */
export function writeNewFile(path: string, text: string): boolean {
  const temporary = writeTemporary(path, text);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    if (existsSync(path)) return false;
    renameSync(temporary, path);
    return true;
  } finally {
    removeTemporary(temporary);
  }
}

/** Writes `text` to `path` atomically, replacing the regular file there (if any). System errors are thrown as they are. */
export function replaceFile(path: string, text: string): void {
  const temporary = writeTemporary(path, text);
  try {
    renameSync(temporary, path);
  } finally {
    removeTemporary(temporary);
  }
}

/** Creates and removes a temporary file in a folder: throws the system error when the folder cannot be written. */
export function tryWriting(dir: string): void {
  removeTemporary(writeTemporary(join(dir, 'probe'), ''));
}

// ---------------------------------------------------------------------------------------------------
// Output flags.

/** Where an output flag writes, as checked before the run's work (`outputTarget`). */
export interface OutputTarget {
  /** The flag (`--html`) and the path as given: what every message names. */
  readonly flag: string;
  readonly path: string;
  /** Paths of the run's inputs, which the target must not be. */
  readonly inputs: readonly string[];
}

/** A file name to suggest when a flag names a folder. */
const EXAMPLE_NAMES: Readonly<Record<string, string>> = { '--html': 'report.html', '--svg': 'plot.svg', '--write': 'repaired.json' };

type Resolved =
  | { readonly how: 'replace'; readonly file: string }
  | { readonly how: 'through'; readonly file: string }
  | { readonly how: 'stream'; readonly fd: number };

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function statOrUndefined(stat: () => Stats): Stats | undefined {
  try {
    return stat();
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The standard stream (1 or 2) that is this very file, if any. */
function streamOf(stats: Stats): number | undefined {
  for (const fd of [1, 2]) {
    try {
      if (sameFile(fstatSync(fd), stats)) return fd;
    } catch {
      // that stream is closed
    }
  }
  return undefined;
}

/** How the target is written, by the rule in the file comment; a usage error naming the flag and path when it cannot be. */
function resolveTarget(target: OutputTarget): Resolved {
  const { flag, path } = target;
  const refuse = (why: string) => usageError(`${flag}: cannot write ${path}: ${why}`);
  if (Buffer.byteLength(basename(path)) > MAX_NAME_BYTES) throw refuse(`the name is longer than ${MAX_NAME_BYTES} bytes`);
  try {
    const link = statOrUndefined(() => lstatSync(path));
    const stats = statOrUndefined(() => statSync(path));
    if (link?.isSymbolicLink() && stats === undefined) throw refuse(`it is a symbolic link to ${readlinkSync(path)}, which does not exist`);
    if (stats !== undefined) {
      if (stats.isDirectory()) throw refuse(`it is a folder; give the name of a file in it, such as ${join(path, EXAMPLE_NAMES[flag] ?? 'output')}`);
      const stream = streamOf(stats);
      if (stream !== undefined) return { how: 'stream', fd: stream };
      if (stats.isSocket()) throw refuse('it is a socket, not a file');
      if (!stats.isFile()) {
        accessSync(path, constants.W_OK);
        return { how: 'through', file: path };
      }
      for (const input of target.inputs) {
        const read = statOrUndefined(() => statSync(input));
        if (read !== undefined && sameFile(read, stats)) throw refuse(`it is this run's input ${input}; give another file name for the output`);
      }
      if (link?.isSymbolicLink()) throw refuse(`it is a symbolic link (to ${readlinkSync(path)}); give the file itself`);
      accessSync(path, constants.W_OK);
    }
    const folder = dirname(path);
    const folderStats = statOrUndefined(() => statSync(folder));
    if (folderStats === undefined || !folderStats.isDirectory()) throw refuse(`the folder ${folder} does not exist`);
    return { how: 'replace', file: join(realpathSync(folder), basename(path)) };
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === undefined) throw error;
    throw refuse(describeSystemError(code));
  }
}

/**
 * Checks an output flag's target before any work is done (a usage error naming the flag and the path
 * when it cannot be written), removes the temporary files a killed run left beside it, and tries a
 * temporary file there, so that a folder that cannot be written is found now and not after the search.
 */
export function outputTarget(flag: string, path: string, inputs: readonly (string | undefined)[] = []): OutputTarget {
  if (path === '') throw usageError(`${flag}: expected a file name, got ""`);
  const target: OutputTarget = { flag, path, inputs: inputs.filter((i): i is string => i !== undefined) };
  const resolved = resolveTarget(target);
  if (resolved.how === 'replace') {
    sweepTemporaryFiles(dirname(resolved.file));
    try {
      tryWriting(dirname(resolved.file));
    } catch (error) {
      const code = systemErrorCode(error);
      if (code === undefined) throw error;
      throw usageError(`${flag}: cannot write ${path}: ${describeSystemError(code)}`);
    }
  }
  return target;
}

/**
 * Writes `text` to a checked target, by the rule in the file comment (checked again, in case the path
 * changed since). A failure is a usage error naming the flag and the path; no temporary file is left.
 */
export function writeOutput(target: OutputTarget, text: string): void {
  const resolved = resolveTarget(target);
  try {
    if (resolved.how === 'replace') replaceFile(resolved.file, text);
    else if (resolved.how === 'stream') writeAll(resolved.fd, text);
    else {
      const fd = openSync(resolved.file, constants.O_WRONLY);
      try {
        writeAll(fd, text);
      } finally {
        closeSync(fd);
      }
    }
  } catch (error) {
    const code = systemErrorCode(error);
    if (code === undefined) throw error;
    throw usageError(`${target.flag}: cannot write ${target.path}: ${describeSystemError(code)}`);
  }
}
