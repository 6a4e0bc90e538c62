/**
 * Progress on a terminal (issue 12): drawn at once, before any search ends, stating the cap, the rate
 * and the memory in use; redrawn as searches end; cleared at the end. Never drawn when not a terminal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../io/io.ts';
import { CHECK_STATE_BUDGET } from '../pgp/check.ts';
import { run } from './main.ts';

function terminal(): { io: Io; drawn: string[] } {
  const drawn: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    drawn.push(String(chunk));
    return true;
  });
  return { io: { out: () => {}, err: () => {}, isTty: true }, drawn };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('check progress', () => {
  it('fits one row of the terminal: a line redrawn with \\r that wraps leaves stale rows (issue 23)', async () => {
    vi.stubEnv('COLUMNS', '80');
    const { io, drawn } = terminal();
    await run(['check', '--preset', 'recommended', '--runs', '30', '--seed', '1', '--no-save', '--workers', '1'], io);
    const lines = drawn.map((d) => d.replace('\r\x1b[2K', '')).filter((d) => d !== '');
    expect(lines.length).toBeGreaterThan(0);
    // Without the fit the search line alone is about 110 columns.
    for (const line of lines) expect(line.length).toBeLessThan(80);
    expect(lines.some((line) => line.endsWith('…'))).toBe(true);
  });

  it('starts before the first search ends and states the cap, the rate and the memory', async () => {
    vi.stubEnv('COLUMNS', '200');
    const { io, drawn } = terminal();
    // No exploration (--max-states 0): every property searched at random, so there are searches to draw.
    const status = await run(['check', '--preset', 'recommended', '--runs', '30', '--seed', '1', '--no-save', '--workers', '1', '--max-states', '0'], io);
    expect(status).toBe(0);
    // The searches' lines (an exploration slow enough to draw its own comes before them).
    const lines = drawn.map((d) => d.replace('\r\x1b[2K', '')).filter((d) => d.startsWith('checking'));
    expect(lines[0]).toMatch(/^checking "recommended": 0\/\d+ searches \(cap 30 traces of 12 actions per property\), \d+ traces\/s, [\d,]+ MB in use, \d+\.\d s$/);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.at(-1)).toMatch(/^checking "recommended": (\d+)\/\1 searches/);
    // Cleared at the end.
    expect(drawn.at(-1)).toBe('\r\x1b[2K');
  });

  it('shows how far the exhaustive exploration got before random search begins', async () => {
    vi.stubEnv('COLUMNS', '200');
    const { io, drawn } = terminal();
    const status = await run(['check', '--preset', 'dmz-ring', '--runs', '10', '--seed', '1', '--no-save', '--workers', '1'], io);
    expect(status).toBe(1);
    const lines = drawn.map((d) => d.replace('\r\x1b[2K', '')).filter((d) => d !== '');
    const budget = CHECK_STATE_BUDGET.toLocaleString('en-US');
    expect(lines[0]).toMatch(new RegExp(`^exploring "dmz-ring": [\\d,]+ of at most ${budget} states, [\\d,]+ states/s, [\\d,]+ MB in use, \\d+\\.\\d s$`));
  });

  it('is not drawn when standard output is not a terminal', async () => {
    const { drawn } = terminal();
    await run(['check', '--preset', 'recommended', '--runs', '10', '--seed', '1', '--no-save', '--property', 'no-lost-writes'], {
      out: () => {},
      err: () => {},
      isTty: false,
    });
    expect(drawn).toEqual([]);
  });
});
