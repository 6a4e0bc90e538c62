/**
 * A progress line for long runs: redrawn in place on standard error, only when standard output is a
 * terminal and the output is not JSON (so pipes and `--json` stay clean).
 */
import type { Io } from './io.ts';

export interface Progress {
  update(text: string): void;
  /** Clears the line. */
  done(): void;
}

const silent: Progress = { update: () => {}, done: () => {} };

export function progressLine(io: Io, enabled: boolean): Progress {
  if (!enabled || !io.isTty) return silent;
  let shown = false;
  return {
    update(text) {
      shown = true;
      process.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** `1,234,567`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
