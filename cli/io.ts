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
