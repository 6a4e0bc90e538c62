/** Where the command line writes, so tests can run it in-process and read what it printed. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress lines and colour only then). */
  readonly isTty: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: process.stdout.isTTY === true,
};

/** Bad input or usage: exit status 2, one clear message per problem, nothing written. */
export class UsageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export function usageError(...problems: string[]): UsageError {
  return new UsageError(problems);
}

/** The most problems one message lists: a file with a million bad entries gets the first ones and a count. */
export const MAX_PROBLEMS = 50;

/** A usage error listing at most `MAX_PROBLEMS` problems, then how many more there are. */
export function usageErrors(problems: readonly string[], prefix = ''): UsageError {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `${prefix}${p}`);
  if (problems.length > MAX_PROBLEMS) shown.push(`${prefix}and ${problems.length - MAX_PROBLEMS} more problems (the first ${MAX_PROBLEMS} are shown)`);
  return new UsageError(shown);
}

/** A system error from Node (`fs`, a stream): it has an error code such as `ENOENT` and the call that failed. */
export function systemErrorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && 'syscall' in error ? error.code : undefined;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EPIPE: 'the reader closed the pipe',
  EEXIST: 'already exists',
  ENOTEMPTY: 'the folder is not empty',
  EBUSY: 'the resource is busy',
};

/** What a system error code means, in words. */
export function describeSystemError(code: string): string {
  return Object.hasOwn(REASONS, code) ? REASONS[code]! : code;
}

/**
 * The messages of a failure that is the input's or the system's (exit 2), or undefined for one that is
 * ours (exit 3): a `UsageError`, or a system error from Node, named by its path (or the stream).
 */
export function expectedFailure(error: unknown): readonly string[] | undefined {
  if (error instanceof UsageError) return error.problems;
  const code = systemErrorCode(error);
  if (code === undefined) return undefined;
  const { path, syscall } = error as NodeJS.ErrnoException;
  const where = path ?? (syscall === 'write' ? 'the output' : syscall);
  return [`${where}: cannot ${syscall ?? 'do it'}: ${describeSystemError(code)}`];
}

/** A printer of warnings, each on one line, that keeps the terminal readable however many there are. */
export interface Warnings {
  (line: string): void;
  /** Prints how many were left out (if any); call once, at the end. */
  finish(): void;
}

/**
 * Warnings printed as they come, each once (a repeated one is counted, not printed again), at most
 * `MAX_PROBLEMS` of them; `finish` then says how many more there were ("and 99,950 more warnings").
 * `line` puts each on one line (`oneLine`, from `untrusted.ts`).
 */
export function boundedWarnings(print: (text: string) => void, line: (text: string) => string): Warnings {
  const seen = new Set<string>();
  let left = 0;
  const warn = ((text: string) => {
    const one = line(text);
    if (seen.has(one)) return;
    if (seen.size >= MAX_PROBLEMS) {
      left++;
      return;
    }
    seen.add(one);
    print(one);
  }) as Warnings;
  warn.finish = () => {
    if (left > 0) print(`warning: and ${left.toLocaleString('en-US')} more warning${left === 1 ? '' : 's'} (the first ${MAX_PROBLEMS} are shown)`);
    left = 0;
  };
  return warn;
}
