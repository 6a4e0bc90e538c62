/**
 * A progress line for long runs: redrawn in place on standard error, only when standard output is a
 * terminal and the output is not JSON (so pipes and `--json` stay clean).
 */
import { type ExplorationStop, stopReason } from '../checker/verdict.ts';
import type { Io } from '../io/io.ts';
import { terminalWidth } from '../reports/width.ts';

/**
 * A progress text cut to fit one row of a terminal `width` columns wide (one column spare, so the cursor
 * never wraps): a line redrawn with `\r` that wraps leaves its first rows behind on the screen.
 */
export function fitRow(text: string, width: number): string {
  const room = Math.max(1, width - 1);
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

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
      process.stderr.write(`\r\x1b[2K${fitRow(text, process.stderr.isTTY && process.stderr.columns ? process.stderr.columns : terminalWidth())}`);
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

/** The memory the process uses (worker threads included), for a progress line: `123 MB in use`. */
export function memoryInUse(): string {
  return `${count(Math.round(process.memoryUsage().rss / 2 ** 20))} MB in use`;
}

/** The progress line of an exhaustive exploration: how far it got against its cap, its rate and the memory in use. */
export function explorationProgress(label: string, p: { readonly states: number; readonly seconds: number; readonly depth?: number }, cap: number): string {
  const depth = p.depth === undefined ? '' : `, depth ${p.depth}`;
  return `exploring ${label}: ${count(p.states)} of at most ${count(cap)} states${depth}, ${count(Math.round(p.states / Math.max(p.seconds, 1e-3)))} states/s, ${memoryInUse()}, ${p.seconds.toFixed(1)} s`;
}

/**
 * The last state of an exploration that did not finish: why (`stopReason`, the words every output uses,
 * naming the flag), then how many properties it leaves to random search (the row is cut to the
 * terminal's width: the reason comes first).
 */
export function explorationStopped(label: string, stop: ExplorationStop, random: readonly string[], seconds: number): string {
  const left = random.length === 0 ? 'nothing falls back to random search' : `${random.length} propert${random.length === 1 ? 'y falls' : 'ies fall'} back to random search`;
  return `exploring ${label}: stopped, ${stopReason(stop)}; ${left}, ${seconds.toFixed(1)} s`;
}

/** What a search's progress label adds after explorations that stopped: how many of its searches are no proof. */
export function notProofs(random: number): string {
  return random === 0 ? '' : ` (${random} fell back to random search)`;
}

/**
 * The progress of a batch of searches: shown at once (so it starts within a second), redrawn when a
 * search ends and every half second while they run on worker threads; it states how far it got, the cap
 * (traces per property), the rate (traces per second) and the memory in use.
 */
export function searchProgress(progress: Progress, label: string, tasks: number, cap: string): { searched(done: number, traces: number): void; stop(): void } {
  const started = performance.now();
  let done = 0;
  let traces = 0;
  const draw = () => {
    const seconds = (performance.now() - started) / 1000;
    progress.update(
      `${label}: ${done}/${tasks} searches (${cap}), ${count(Math.round(traces / Math.max(seconds, 1e-3)))} traces/s, ${memoryInUse()}, ${seconds.toFixed(1)} s`,
    );
  };
  draw();
  const timer = setInterval(draw, 500);
  timer.unref();
  return {
    searched(n, t) {
      done = n;
      traces += t;
      draw();
    },
    stop() {
      clearInterval(timer);
      progress.done();
    },
  };
}
