/**
 * Bounded noise (issue 24, "Floods and scale"): an `accept` list longer than the catalogue can need is
 * refused with one message, before it is validated entry by entry; a duplicate entry is refused, not
 * called stale; unknown names stop at `MAX_PROBLEMS` lines; repeated or excessive warnings are summarised.
 */
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { boundedWarnings, MAX_PROBLEMS } from '../io/io.ts';
import { oneLine } from '../io/untrusted.ts';
import { maxAcceptances } from '../pgp/load.ts';
import { PROPERTIES } from '../properties/index.ts';
import { cli, tempDir, terminal, writeDoc } from '../test/cli.ts';
import { counterexampleFiles } from '../traces/index-file.ts';
import { run } from './main.ts';

const recommended = findPreset('recommended')!.config;
const check = (file: string) => cli('check', '--config', file, '--property', 'eventual-convergence', '--runs', '1', '--no-save');

describe('the accept list', () => {
  const max = maxAcceptances(recommended.members.length);

  it('as long as the catalogue can need: one per property, for the whole cluster and each member', () => {
    expect(max).toBe(PROPERTIES.length * (recommended.members.length + 1));
  });

  it('100,000 entries: one message, at once, nothing searched', async () => {
    const accept = Array.from({ length: 100_000 }, (_, i) => ({ property: `p${i}`, reason: 'r' }));
    const file = writeDoc(tempDir(), 'c.json', { ...recommended, accept });
    const started = performance.now();
    const { status, out, err } = await check(file);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(status).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toEqual([`error: ${file}: accept: 100,000 entries; a config of 3 members needs at most ${max} (one per property of the catalogue, for the whole cluster and for each member)`]);
  });

  it('a duplicate entry is refused, naming both, not reported as a stale acceptance', async () => {
    const accept = [
      { property: 'eventual-convergence', reason: 'a', members: ['m1', 'm2'] },
      { property: 'eventual-convergence', reason: 'b', members: ['m2', 'm1'] },
    ];
    const { status, err } = await check(writeDoc(tempDir(), 'c.json', { ...recommended, accept }));
    expect(status).toBe(2);
    expect(err).toContain('accept[1]: the same as accept[0] (eventual-convergence, members m2, m1); remove one');
    expect(err).not.toContain('stale');
  });

  it(`unknown property names: at most ${MAX_PROBLEMS} lines, then how many more`, async () => {
    const accept = Array.from({ length: max }, (_, i) => ({ property: `no-such-property-${i}`, reason: 'r' }));
    const { status, err } = await check(writeDoc(tempDir(), 'c.json', { ...recommended, accept }));
    expect(status).toBe(2);
    const lines = err.trim().split('\n');
    expect(lines).toHaveLength(MAX_PROBLEMS + 1);
    expect(lines.at(-1)).toContain(`and ${max - MAX_PROBLEMS} more problems`);
  });
});

describe('warnings', () => {
  it(`each printed once, at most ${MAX_PROBLEMS}, then one line with how many more`, () => {
    const printed: string[] = [];
    const warn = boundedWarnings((line) => printed.push(line), oneLine);
    for (let i = 0; i < 3; i++) warn('warning: the same\nforged line');
    for (let i = 0; i < 120; i++) warn(`warning: number ${i}`);
    warn.finish();
    expect(printed[0]).toBe('warning: the same\\u000aforged line');
    expect(printed).toHaveLength(MAX_PROBLEMS + 1);
    expect(printed.at(-1)).toBe(`warning: and 71 more warnings (the first ${MAX_PROBLEMS} are shown)`);
  });
});

describe('progress of a long command on a terminal', () => {
  it('replay DIR: drawn at once, then file by file, and cleared; never with --json', async () => {
    const screen = terminal();
    try {
      expect(await run(['replay', 'counterexamples'], screen.io)).toBe(0);
      const files = counterexampleFiles('counterexamples').length;
      expect(screen.lines()).toHaveLength(files);
      expect(screen.lines()[0]).toMatch(new RegExp(`^replaying counterexamples: 0/${files} files, [\\d,]+ MB in use$`));
      expect(screen.drawn.at(-1)).toBe('\r\x1b[2K');
      screen.drawn.length = 0;
      await run(['replay', 'counterexamples', '--json'], screen.io);
      expect(screen.drawn).toEqual([]);
    } finally {
      screen.restore();
    }
  });
});
