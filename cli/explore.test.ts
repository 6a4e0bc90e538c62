import { describe, expect, it } from 'vitest';
import { findingVerdict } from '../checker/explore.ts';
import type { PropertyKind } from '../checker/types.ts';
import { explore } from '../checker/explore.ts';
import { exploreProduct } from '../checker/product.ts';
import { expectedViolations, PRESETS } from '../config/presets.ts';
import { compileCluster } from '../model/cluster.ts';
import { DEFAULT_HOURS, type Scope } from '../model/enabled.ts';
import { canonicalStateKey } from '../model/projection.ts';
import { ringSymmetries } from '../model/symmetry.ts';
import { PROPERTIES } from '../properties/index.ts';
import { cli } from '../test/cli.ts';
import { checkTarget } from '../pgp/check.ts';
import { exploreConfig } from '../pgp/explore.ts';
import { componentExplorations, exploreComponents } from '../pgp/verify.ts';
import { checkableModel, componentEngine, componentProperty, makeTarget } from '../pgp/target.ts';

/** A small scope: a record replicated everywhere, a private key, a Web Messenger account, a client. */
const small: Scope = {
  keys: { user: ['alice'], privateKey: ['alice'], domain: [], policy: [], cachedKey: [], fetchedKey: [], wmAccount: ['ivan'] },
  clients: ['laptop1'],
};

const summary = (results: readonly { name?: string; property?: string; verdict: string; shortest: readonly unknown[] | null }[]) =>
  results.map((r) => `${r.name ?? r.property}: ${r.verdict}, shortest ${r.shortest?.length ?? '-'}`);

describe.each(PRESETS.map((p) => [p.name, p] as const))('explore on %s', (_name, preset) => {
  const cluster = compileCluster(preset.config);
  const properties = PROPERTIES.filter((p) => p.notApplicable(cluster) === undefined);
  const plainProperties = properties.map((p) => ({ name: p.name, kind: p.kind, check: (s: Parameters<typeof p.check>[1]) => p.check(cluster, s) }));

  it('per record on rows and the compact product on the component engine both give the full plain model’s verdicts and shortest lengths (depth 3)', () => {
    const plain = checkableModel(cluster, small);
    const full = explore(plain, plainProperties, { maxDepth: 3, maxStates: 5_000_000, key: (s) => canonicalStateKey(cluster, s) });
    const options = { maxDepth: 3, maxStates: 5_000_000 };
    const product = exploreProduct(componentEngine(cluster, small), properties.map((p) => componentProperty(cluster, p)), options);
    expect(product.states).toBe(full.states);
    expect(summary(product.results)).toEqual(summary(full.results));
    const perRecord = exploreComponents(cluster, small, properties, ringSymmetries(cluster), options);
    expect(perRecord.findings.map((f, i) => `${f.name}: ${verdictOf(properties[i]!.kind, f.shortest)}, shortest ${f.shortest?.length ?? '-'}`)).toEqual(summary(full.results));
    expect(perRecord.states).toBeLessThan(full.states);
  });

  it('symmetry reduction changes no verdict and no shortest length', () => {
    const group = ringSymmetries(cluster).length;
    // Without a symmetry (a sponsor that differs, a DMZ) the reduction does nothing: nothing to compare.
    if (group === 1) return;
    const bounds = { writes: 1, clients: 1, maxDepth: 6, maxStates: 5_000_000 };
    const withSymmetry = exploreConfig(preset.config, bounds, { full: false, symmetry: true, properties: [] });
    const without = exploreConfig(preset.config, bounds, { full: false, symmetry: false, properties: [] });
    expect(withSymmetry.symmetry).toBe(group);
    expect(summary(withSymmetry.results)).toEqual(summary(without.results));
    expect(withSymmetry.states).toBeLessThan(without.states);
  });

  it('its shortest trace is never longer than the one random search shrinks to', () => {
    const checked = checkTarget(makeTarget(preset.config), { runs: 500, seed: 7, maxLength: 12, properties: [], maxStates: 0 }).filter(
      (r) => r.verdict === 'violated',
    );
    expect(checked.map((r) => r.property).sort()).toEqual([...expectedViolations(preset)].sort());
    for (const r of checked) {
      expect(r.basis?.basis).toBe('random');
      // Exploring to the depth of the random search's trace is enough to find one at least as short.
      const explored = exploreConfig(
        preset.config,
        { writes: 1, clients: 1, maxDepth: r.finding!.actions.length, maxStates: 5_000_000, hours: DEFAULT_HOURS },
        { full: false, symmetry: true, properties: [r.property] },
      );
      const finding = explored.results[0]!;
      expect(finding.verdict).toBe('violated');
      expect(finding.shortest!.length).toBeLessThanOrEqual(r.finding!.actions.length);
    }
  });
});

function verdictOf(kind: string, shortest: readonly unknown[] | null): string {
  return findingVerdict(kind as PropertyKind, shortest !== null);
}

/** A scope with time: a cached key, a keyserver key, a Web Messenger account and a client, steps of a day and two weeks. */
const timed: Scope = {
  keys: { user: [], privateKey: [], domain: [], policy: [], cachedKey: ['erin'], fetchedKey: ['olivia'], wmAccount: ['ivan'] },
  clients: ['laptop1'],
  hours: [24, 14 * 24],
};

/** How deep the plain model's time explorations go (each level multiplies them; EXPLORE_TIME_DEPTH=4 for a longer run). */
const TIME_DEPTH = Number(process.env.EXPLORE_TIME_DEPTH ?? 3);

describe.each(['long-outage', 'recommended'])('explore with time passing on %s', (name) => {
  const cluster = compileCluster(PRESETS.find((p) => p.name === name)!.config);
  const properties = PROPERTIES.filter((p) => p.notApplicable(cluster) === undefined);
  const checks = properties.map((p) => ({ name: p.name, kind: p.kind, check: (s: Parameters<typeof p.check>[1]) => p.check(cluster, s) }));
  const relative = (s: Parameters<typeof canonicalStateKey>[1]) => canonicalStateKey(cluster, s);
  const absolute = (s: Parameters<typeof canonicalStateKey>[1]) => `${JSON.stringify([s.clock, s.members.map((m) => [m.cachedAt, m.purgedAt, m.downSince, m.upSince]), s.clients, s.acknowledgedCachedAt])}#${relative(s)}`;

  it('keeping time relative in the key changes no verdict and no shortest length (plain model)', () => {
    const plain = checkableModel(cluster, timed);
    const byRelative = explore(plain, checks, { maxDepth: TIME_DEPTH, maxStates: 5_000_000, key: relative });
    const byAbsolute = explore(plain, checks, { maxDepth: TIME_DEPTH, maxStates: 5_000_000, key: absolute });
    expect(summary(byRelative.results)).toEqual(summary(byAbsolute.results));
    expect(byRelative.states).toBeLessThan(byAbsolute.states);
  });

  it('with a horizon, one record at a time gives the full product’s verdicts and shortest lengths', () => {
    const scope: Scope = { ...timed, maxClock: 14 * 24 };
    const plain = checkableModel(cluster, scope);
    // The horizon makes the clock matter (how much time is left), so it is part of the plain key too.
    const full = explore(plain, checks, { maxDepth: TIME_DEPTH, maxStates: 5_000_000, key: (s) => `${s.clock}#${relative(s)}` });
    // The product on the engine visits exactly the plain model's states: without the clock in the
    // components' keys it would merge states with different time left (and visit fewer).
    const product = exploreProduct(componentEngine(cluster, scope), properties.map((p) => componentProperty(cluster, p)), {
      maxDepth: TIME_DEPTH,
      maxStates: 5_000_000,
    });
    expect(product.states).toBe(full.states);
    expect(summary(product.results)).toEqual(summary(full.results));
    // And one record at a time on rows, with the clock in the row.
    const packed = exploreComponents(cluster, scope, properties, ringSymmetries(cluster), { maxDepth: TIME_DEPTH, maxStates: 5_000_000 });
    expect(packed.findings.map((f, i) => `${f.name}: ${verdictOf(properties[i]!.kind, f.shortest)}, shortest ${f.shortest?.length ?? '-'}`)).toEqual(summary(full.results));
  });
});

describe('stopping early', () => {
  it('a search told to stop ends with what it found, marked not exhausted, and says why', () => {
    const cluster = compileCluster(PRESETS.find((p) => p.name === 'recommended')!.config);
    const applicable = PROPERTIES.filter((p) => p.notApplicable(cluster) === undefined);
    const properties = applicable.map((p) => componentProperty(cluster, p));
    let asked = 0;
    const stop = () => (++asked >= 3 ? 'told to stop' : undefined);
    const perRecord = exploreComponents(cluster, timed, applicable, ringSymmetries(cluster), { maxDepth: 60, maxStates: 5_000_000, stop });
    expect(perRecord).toMatchObject({ complete: false, stopped: 'told to stop' });
    expect(perRecord.states).toBeGreaterThan(0);
    // It stopped when told: asked no more, and no further component was explored.
    expect(asked).toBe(3);
    expect(perRecord.perSlot.at(-1)!.stopped).toBe('told to stop');
    expect(perRecord.perSlot.length).toBeLessThan(componentExplorations(cluster, timed, applicable).length);
    asked = 0;
    const product = exploreProduct(componentEngine(cluster, timed), properties, { maxDepth: 60, maxStates: 5_000_000, stop });
    expect(product).toMatchObject({ exhausted: false, stopped: 'told to stop' });
    expect(asked).toBe(3);
    expect(product.states).toBeLessThan(3 * 256 * 40);
  });
});

describe('the explore command', () => {
  it('--json: results with shortest traces, and states, transitions, depth, exhausted, seconds; exit 1 on a violation', async () => {
    const { status, out } = await cli('explore', '--preset', 'home-server', '--json', '--no-save');
    expect(status).toBe(1);
    const doc = JSON.parse(out);
    for (const key of ['results', 'states', 'transitions', 'depth', 'exhausted', 'seconds', 'reduction', 'symmetry', 'statesPerSecond'])
      expect(doc).toHaveProperty(key);
    expect(doc.exhausted).toBe(true);
    expect(doc.reduction).toBe('per-record');
    const wm = doc.results.find((r: { property: string }) => r.property === 'web-messenger-availability');
    expect(wm.verdict).toBe('violated');
    expect(wm.shortest).toEqual([{ type: 'write', member: 'm1', record: { kind: 'wmAccount', key: 'ivan@external.org' } }]);
    for (const r of doc.results) expect(Object.keys(r)).toEqual(expect.arrayContaining(['property', 'verdict', 'shortest']));
  });

  it('exits 0 when nothing is violated, and says it exhausted the space', async () => {
    const { status, out } = await cli('explore', '--preset', 'recommended', '--no-save');
    expect(status).toBe(0);
    expect(out).toMatch(/exhausted: every reachable state within the bounds was visited/);
    expect(out).toMatch(/symmetry: {2}3 rotations of the ring/);
  });

  it('saves a violation as a counterexample that replay reproduces', async () => {
    const { mkdtempSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pcc-explore-'));
    const { status, out } = await cli('explore', '--preset', 'pinned-clients', '--save-dir', dir);
    expect(status).toBe(1);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    // pinned-clients violates desktop-policy-availability, and (its balancer not holding returning members
    // out) web-messenger-rejoin-freshness.
    expect(files.map((f) => f.split('--')[1]).sort()).toEqual(['desktop-policy-availability', 'web-messenger-rejoin-freshness']);
    for (const file of files) {
      expect(out).toContain(`saved:     ${join(dir, file)}`);
      expect((await cli('replay', join(dir, file))).status).toBe(0);
    }
  });

  it('refuses bad flags with exit 2', async () => {
    expect((await cli('explore')).status).toBe(2);
    expect((await cli('explore', '--preset', 'recommended', '--writes', '9')).err).toMatch(/--writes: 9 is out of range; valid: 0 to 4/);
    expect((await cli('explore', '--preset', 'recommended', '--depth', 'deep')).err).toMatch(/--depth: expected a whole number/);
    const horizon = await cli('explore', '--preset', 'recommended', '--hours', '24', '--horizon', 'forever', '--no-save');
    expect(horizon.status).toBe(2);
    expect(horizon.err).toMatch(/--horizon: expected a whole number of hours or "none", got "forever"/);
    expect((await cli('explore', '--preset', 'recommended', '--hours', '24', '--horizon', '0', '--no-save')).err).toMatch(/--horizon: 0 is out of range/);
  });

  it('--horizon none lets time pass without a bound, and the report says so', async () => {
    const r = await cli('explore', '--preset', 'recommended', '--hours', '4320', '--horizon', 'none', '--property', 'purged-keys-stay-purged', '--no-save', '--json');
    const report = JSON.parse(r.out);
    expect(report.bounds.horizon).toBeUndefined();
    expect(report.exhausted).toBe(true);
    expect(report.results[0]).toMatchObject({ property: 'purged-keys-stay-purged', verdict: 'holds' });
    const text = await cli('explore', '--preset', 'recommended', '--hours', '4320', '--horizon', 'none', '--depth', '2', '--no-save');
    expect(text.out).toMatch(/time steps of 4320 hours, time unbounded/);
    // Cut short by --depth 2: the report says the verdicts speak only for what was visited.
    expect(text.out).toMatch(/NOT exhausted: a bound was hit/);
    expect(text.out).toMatch(/\(not exhausted: "holds" and "NOT REACHED" speak only for the states visited\)/);
    expect(text.out).toMatch(/no violation in the states visited/);
  });
});
