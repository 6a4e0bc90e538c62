/**
 * `repair` (issue 23, item 2): the smallest set of the declared config changes that makes the violated
 * properties hold with nothing worse, found by search and proven by the same check; `compare` confirms it.
 * Where no combination is enough, it says so, with the best partial result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { validateConfig } from '../config/validate.ts';
import { cli, overWidth, tempDir, writeDoc } from '../test/cli.ts';

// A budget the timeless explorations fit: what only time decides (larger spaces) is searched at random.
const FAST = ['--seed', '1', '--runs', '100', '--max-states', '30000', '--workers', '1'];

describe('repair', () => {
  it('--preset dmz-ring --json: a change set that compare confirms (the violations gone, nothing worse)', async () => {
    const dir = tempDir();
    const written = join(dir, 'repaired.json');
    const { status, out } = await cli('repair', '--preset', 'dmz-ring', '--json', '--write', written, ...FAST);
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    const documented = [...findPreset('dmz-ring')!.violates, ...findPreset('dmz-ring')!.alsoViolates].sort();
    expect([...doc.targets].sort()).toEqual(documented);
    expect(doc.summary).toMatchObject({ ok: true, repaired: true });
    expect(doc.repair).toMatchObject({ unfixed: [], worse: [] });
    expect([...doc.repair.fixed].sort()).toEqual(documented);
    // The fewest changes: both DMZ members out of the DMZ, and the balancer holding returning members out.
    expect(doc.repair.changes.map((c: { field: string }) => c.field)).toEqual(['members[2].zone', 'members[3].zone', 'loadBalancer.holdsRejoiningMembers']);
    expect(doc.repair.basis).toMatch(/^exhaustive for \d+ properties/);
    // The written file is the repaired config, valid as any config.
    const repaired = JSON.parse(readFileSync(written, 'utf8'));
    expect(repaired).toEqual(doc.repair.config);
    expect(validateConfig(repaired).ok).toBe(true);
    // compare, with the same seed: what was violated is better, nothing is worse.
    const before = writeDoc(dir, 'before.json', doc.before);
    const compared = await cli('compare', before, written, '--json', ...FAST);
    expect(compared.status).toBe(0);
    const properties: { property: string; change: string }[] = JSON.parse(compared.out).properties;
    expect(properties.filter((p) => p.change === 'worse')).toEqual([]);
    for (const target of documented) expect(properties.find((p) => p.property === target)?.change, target).toBe('better');
  });

  it('text at 80 columns: the changes as a diff of the config, each with who gives it, and the check it rests on', async () => {
    const before = process.env.COLUMNS;
    process.env.COLUMNS = '80';
    let out = '';
    try {
      const run = await cli('repair', '--config', 'examples/dmz-gateway.json', '--property', 'survivor-convergence', '--property', 'desktop-policy-availability', ...FAST);
      expect(run.status).toBe(0);
      out = run.out;
    } finally {
      if (before === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = before;
    }
    expect(overWidth(out)).toEqual([]);
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toMatch(/ The smallest repair, \d changes?: checked, .* hold and nothing else gets worse \(exhaustive for \d+ properties/);
    expect(out).toMatch(/\n--- examples\/dmz-gateway\.json\n\+\+\+ examples\/dmz-gateway\.json \(repaired\)\n@@ /);
    expect(out).toMatch(/\n-\s+"zone": "dmz",?\n\+\s+"zone": "internal",?\n/);
    expect(out).toMatch(/\n- {2}"loadBalancer": \{ "clusterHostname": false \}/);
    expect(flat).toMatch(/ our inference, from KB 161304 /);
    expect(flat).toMatch(/--write FILE writes the repaired config/);
  });

  it('names only what is violated: a named property that holds needs no repair', async () => {
    const { status, out } = await cli('repair', '--preset', 'recommended', '--property', 'private-key-availability', ...FAST);
    expect(status).toBe(0);
    expect(out.replace(/\s+/g, ' ')).toMatch(/Not violated, nothing to repair: private-key-availability\. Nothing to repair: no property named is violated/);
  });

  it('no combination of the declared changes is enough: says so, exit 1', async () => {
    // A member joining while the Sponsor is down: KB 153721's advice is operational, no config change declared for it.
    const { status, out } = await cli('repair', '--preset', 'growing', '--property', 'join-under-outage', ...FAST);
    expect(status).toBe(1);
    expect(out.replace(/\s+/g, ' ')).toMatch(/No combination of up to \d of the declared changes makes join-under-outage hold with nothing worse \(every combination checked\)/);
    const json = JSON.parse((await cli('repair', '--preset', 'growing', '--property', 'join-under-outage', '--json', ...FAST)).out);
    expect(json).toMatchObject({ summary: { ok: false, repaired: false }, repair: null, exhausted: true });
  });

  it('bad input: exit 2, naming the flag, nothing written', async () => {
    const dir = tempDir();
    const config = writeDoc(dir, 'c.json', JSON.parse(readFileSync('examples/dmz-gateway.json', 'utf8')));
    const text = readFileSync(config, 'utf8');
    const over = await cli('repair', '--config', config, '--write', config, ...FAST);
    expect(over.status).toBe(2);
    expect(over.err).toMatch(/--write: cannot write .*c\.json: it is this run's input/);
    expect(readFileSync(config, 'utf8')).toBe(text);
    const neither = await cli('repair', ...FAST);
    expect(neither.status).toBe(2);
    expect(neither.err).toMatch(/repair: give --config FILE or --preset NAME/);
    const unknown = await cli('repair', '--preset', 'dmz-ring', '--property', 'survivor-convergance', ...FAST);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toMatch(/--property: unknown property "survivor-convergance".*did you mean "survivor-convergence"/);
    const guard = await cli('repair', '--preset', 'dmz-ring', '--property', 'outage-backlog', ...FAST);
    expect(guard.status).toBe(2);
    expect(guard.err).toMatch(/--property: outage-backlog is a guard/);
  });
});
