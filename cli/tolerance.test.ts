/**
 * `tolerance` (issue 23, item 3): per property, the most members down at once under which it holds, and
 * whether one cut link is survived, with the smallest failing set at each first failing level; every
 * cell from an exhaustive exploration. `examples/two-sites.json` (six members, all but one down: about
 * 670,000 states, seconds of CPU) is `npm run bench`'s.
 */
import { describe, expect, it } from 'vitest';
import { largestHoldingLevels } from '../checker/levels.ts';
import { findPreset } from '../config/presets.ts';
import { cli, overWidth, writeDoc, tempDir } from '../test/cli.ts';

interface Row {
  property: string;
  survivesDown: number | null;
  proven: boolean;
  notApplicable: string | null;
  notExplored: string | null;
  firstFailure: { level: number; down: string[]; actions: unknown[]; message: string } | null;
  faults: Record<string, { verdict: string; proven?: boolean }>;
}

async function table(...args: string[]): Promise<{ properties: Row[]; mostDown: number; columns: { name: string }[]; explorations: { finished: boolean }[]; bounds: Record<string, unknown> }> {
  const { status, out, err } = await cli('tolerance', ...args, '--json');
  expect(err).toBe('');
  expect(status).toBe(0);
  return JSON.parse(out);
}

describe('tolerance', () => {
  it('single-key-holder: m1 is the one member whose loss breaks private-key-availability', async () => {
    const t = await table('--preset', 'single-key-holder');
    const keys = t.properties.find((p) => p.property === 'private-key-availability')!;
    expect(keys).toMatchObject({ survivesDown: 0, proven: true, firstFailure: { level: 1, down: ['m1'] } });
    expect(keys.firstFailure!.message).toMatch(/with m1 down, the private key of alice \(held only by m1\)/);
    // Every other core property survives all but one member down: the preset documents only this risk among them.
    const core = findPreset('single-key-holder')!;
    expect(core.violates).toEqual(['private-key-availability']);
    for (const name of ['eventual-convergence', 'survivor-convergence', 'no-lost-writes', 'web-messenger-availability', 'desktop-policy-availability'])
      expect(t.properties.find((p) => p.property === name), name).toMatchObject({ survivesDown: t.mostDown, proven: true, firstFailure: null });
    // One cut link, every member up: a column of its own, each cell explored.
    expect(t.columns.map((c) => c.name)).toEqual(['one cut link']);
    for (const p of t.properties.filter((x) => x.survivesDown !== null)) expect(p.faults['one cut link']!.verdict, p.property).toMatch(/^(survived|failed)$/);
    expect(t.explorations.every((e) => e.finished)).toBe(true);
  });

  it('dmz-ring: survivor-convergence fails with one member down, the DMZ member\'s successor', async () => {
    const t = await table('--preset', 'dmz-ring', '--property', 'survivor-convergence', '--property', 'no-lost-writes');
    expect(t.properties.map((p) => p.property)).toEqual(['survivor-convergence', 'no-lost-writes']);
    expect(t.properties[0]).toMatchObject({ survivesDown: 0, firstFailure: { level: 1, down: ['m1'] } });
    expect(t.properties[1]).toMatchObject({ survivesDown: 3, firstFailure: null });
  });

  it('a property that fails with one down, one that fails with none down, and one only time decides (explored with time passing), say so', async () => {
    // Home Server accounts: web-messenger-availability fails once the account's home is down.
    const t = await table('--preset', 'home-server');
    expect(t.properties.find((p) => p.property === 'web-messenger-availability')).toMatchObject({ survivesDown: 0, firstFailure: { level: 1 } });
    // Home Server mode keeps clients on any live member: their SKM keys renew with every member but one down.
    expect(t.properties.find((p) => p.property === 'skm-keys-stay-valid')).toMatchObject({ survivesDown: 2, proven: true, notExplored: null });
    expect(String(t.bounds['time steps (hours)'])).toMatch(/skm-keys-stay-valid.*desktop clients: 48, 312, 336/);
    const file = writeDoc(tempDir(), 'upgrades.json', { ...findPreset('rolling-upgrade')!.config, name: 'rolling' });
    const rolling = await table('--config', file, '--property', 'survivor-convergence');
    // Members on two major releases do not replicate (KB 225396): it breaks with no member down.
    expect(rolling.properties[0]).toMatchObject({ survivesDown: -1, firstFailure: { level: 0, down: [] } });
  });

  it('text: one table within 80 columns, the failures under it', async () => {
    const before = process.env.COLUMNS;
    process.env.COLUMNS = '80';
    try {
      const { status, out } = await cli('tolerance', '--preset', 'single-key-holder');
      expect(status).toBe(0);
      expect(overWidth(out)).toEqual([]);
      expect(out).toMatch(/\nproperty +survives down +fails first with +one cut link\n/);
      expect(out).toMatch(/\nprivate-key-availability +0 of 2 +1: m1 +survived\n/);
      expect(out.replace(/\s+/g, ' ')).toMatch(/ private-key-availability fails with 1 down \(m1\): write privateKey:alice on m1; => /);
    } finally {
      if (before === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = before;
    }
  });

  it('bad input: exit 2, naming the flag', async () => {
    expect((await cli('tolerance')).err).toMatch(/tolerance: give --config FILE or --preset NAME/);
    const unknown = await cli('tolerance', '--preset', 'dmz-rin');
    expect(unknown.status).toBe(2);
    expect(unknown.err).toMatch(/--preset: unknown preset "dmz-rin".*did you mean "dmz-ring"/);
    expect((await cli('tolerance', '--preset', 'dmz-ring', '--max-states', 'lots')).err).toMatch(/--max-states: expected a whole number/);
  });
});

describe('the level search (checker/levels.ts)', () => {
  it('finds each property\'s first failing level with few explorations, the top one first', async () => {
    const thresholds: Record<string, number | undefined> = { a: undefined, b: 0, c: 3, d: 5, e: 9 };
    const explored: number[] = [];
    const levels = await largestHoldingLevels(Object.keys(thresholds), 0, 9, async (level, names) => {
      explored.push(level);
      return new Map(names.map((n) => [n, { failed: thresholds[n] !== undefined && level >= thresholds[n]! ? `${n}@${level}` : undefined, proven: true }] as const));
    });
    for (const [name, first] of Object.entries(thresholds))
      expect(levels.get(name), name).toEqual({ holdsUpTo: first === undefined ? 9 : first - 1, firstFailing: first === undefined ? undefined : { level: first, finding: `${name}@${first}` }, proven: true });
    expect(explored[0]).toBe(9);
    // Each level explored once, for every property whose range still holds it.
    expect(new Set(explored).size).toBe(explored.length);
  });

  it('a property that holds at the top costs one exploration; one that fails, a bisection', async () => {
    const count = async (threshold: number | undefined) => {
      let explorations = 0;
      await largestHoldingLevels(['p'], 0, 9, async (level, names) => {
        explorations++;
        return new Map(names.map((n) => [n, { failed: threshold !== undefined && level >= threshold ? 'x' : undefined, proven: true }] as const));
      });
      return explorations;
    };
    expect(await count(undefined)).toBe(1);
    // The top, then a bisection of ten levels: at most 1 + 4.
    for (const threshold of [0, 1, 5, 7, 9]) expect(await count(threshold), String(threshold)).toBeLessThanOrEqual(5);
  });
});
