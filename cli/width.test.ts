/**
 * Every command's text wrapped to the terminal's width (issue 23): at `COLUMNS=80` no line is wider than
 * 80 columns, except one that is a single unbreakable token. `check`'s risk report is checked in
 * `cli/examples.test.ts`; the progress line in `cli/progress.test.ts`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli, overWidth, tempDir } from '../test/cli.ts';

beforeEach(() => {
  vi.stubEnv('COLUMNS', '80');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('text output at COLUMNS=80', () => {
  it('replay: every file of the corpus, and the folder', async () => {
    const files = readdirSync('counterexamples').filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { out } = await cli('replay', join('counterexamples', file));
      expect(overWidth(out), file).toEqual([]);
    }
    const { out } = await cli('replay', 'counterexamples');
    expect(overWidth(out)).toEqual([]);
  });

  it('resync: the table split into blocks that fit, the notes under it', async () => {
    for (const preset of ['recommended', 'long-outage', 'dmz-ring']) {
      const { status, out } = await cli('resync', '--preset', preset);
      expect(status).toBe(0);
      expect(overWidth(out), preset).toEqual([]);
      // Every column is still there: the totals, then the kinds, each block led by the outage.
      expect(out).toMatch(/\noutage +owed HA +owed HS +purged +resync HA +resync HS/);
      expect(out).toMatch(/\noutage +.*WM msgs\n/);
    }
  });

  it('compare and check on one config', async () => {
    const compared = await cli('compare', 'examples/recommended.json', 'examples/dmz-gateway.json', '--runs', '20', '--seed', '1', '--workers', '1');
    expect(compared.status).toBe(1);
    expect(overWidth(compared.out)).toEqual([]);
    const checked = await cli('check', '--preset', 'dmz-ring', '--runs', '20', '--seed', '1', '--save-dir', tempDir(), '--workers', '1');
    expect(checked.status).toBe(1);
    expect(overWidth(checked.out)).toEqual([]);
  });
});

describe('progress on a terminal for repair, tolerance and plan', () => {
  it('a line that fits one row, redrawn in place, and cleared at the end', async () => {
    const { run } = await import('./main.ts');
    const { terminal } = await import('../test/cli.ts');
    for (const argv of [
      ['repair', '--config', 'examples/dmz-gateway.json', '--property', 'desktop-policy-availability', '--seed', '1', '--runs', '20', '--workers', '1'],
      ['tolerance', '--preset', 'dmz-ring'],
      ['plan', 'examples/plans/rolling-minor.plan.json', '--config', 'examples/two-small-sites.json', '--property', 'private-key-availability'],
    ]) {
      const screen = terminal();
      try {
        await run(argv, screen.io);
      } finally {
        screen.restore();
      }
      const lines = screen.lines();
      expect(lines.length, argv[0]).toBeGreaterThan(0);
      expect(lines[0], argv[0]).toMatch(new RegExp(`^${argv[0]}: `));
      for (const line of lines) expect(line.length, argv[0]).toBeLessThan(80);
      expect(screen.drawn.at(-1), argv[0]).toBe('\r\x1b[2K');
    }
  });
});
