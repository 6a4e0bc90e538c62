import { describe, expect, it } from 'vitest';
import { checkTarget } from '../pgp/check.ts';
import { DEFAULT_LENGTH, DEFAULT_RUNS } from '../cli/check-command.ts';
import { makeTarget } from '../pgp/target.ts';
import { PROPERTIES } from '../properties/index.ts';
import { expectedViolations, PRESETS } from './presets.ts';
import type { ClusterConfig } from './schema.ts';

/** The groups the two lists of expectations speak of, from the catalogue: `violates` the core, `alsoViolates` the lifecycle. */
const inGroup = (group: string) => PROPERTIES.filter((p) => p.group === group).map((p) => p.name);
const CORE = inGroup('core');
const LIFECYCLE = inGroup('lifecycle');

describe.each(PRESETS.map((p) => [p.name, p] as const))('preset %s', (_name, preset) => {
  it('names only known properties in its expectations', () => {
    const known = PROPERTIES.map((p) => p.name);
    for (const name of [...preset.violates, ...preset.alsoViolates]) expect(known).toContain(name);
    for (const name of preset.violates) expect(CORE).toContain(name);
    for (const name of preset.alsoViolates) expect(LIFECYCLE).toContain(name);
  });

  it('gives exactly its documented verdicts at the default budget, exhaustively wherever time does not decide', () => {
    const results = checkTarget(makeTarget(preset.config), { runs: DEFAULT_RUNS, seed: 1, maxLength: DEFAULT_LENGTH, properties: [] });
    const violated = results.filter((r) => r.verdict === 'violated').map((r) => r.property);
    expect(violated).toEqual(expectedViolations(preset));
    for (const r of results.filter((x) => x.verdict === 'violated')) {
      expect(r.finding!.actions.length).toBeLessThanOrEqual(3);
      expect(r.finding!.message).toBeTruthy();
    }
    for (const r of results) {
      if (r.verdict === 'not-applicable') continue;
      // Every guard is reached, and no verdict rests on nothing.
      expect(r.verdict, r.property).not.toBe('unreached');
      expect(r.basis, r.property).not.toBeNull();
      const property = PROPERTIES.find((p) => p.name === r.property)!;
      // What time does not decide is explored, except the rotation where it outgrows the budget.
      if (property.needsTime !== true) expect(r.basis?.basis, r.property).toBe('exhaustive');
    }
  });

  it.each([1, 20261128])('random search alone finds its documented violations too (seed %i)', (seed) => {
    const results = checkTarget(makeTarget(preset.config), { runs: DEFAULT_RUNS, seed, maxLength: DEFAULT_LENGTH, properties: [], maxStates: 0 });
    expect(results.filter((r) => r.verdict === 'violated').map((r) => r.property)).toEqual(expectedViolations(preset));
    for (const r of results) if (r.verdict !== 'not-applicable') expect(r.basis?.basis).toBe('random');
  });
});

describe('minor updates against major upgrades (KB 180162, KB 225396)', () => {
  it('the two servers of rolling-minor-update diverge once the update is a major one', () => {
    const minor = PRESETS.find((p) => p.name === 'rolling-minor-update')!;
    const major: ClusterConfig = { ...minor.config, faults: { ...minor.config.faults, upgrades: 'major' } };
    const verdict = (config: ClusterConfig) =>
      checkTarget(makeTarget(config), { runs: 200, seed: 1, maxLength: DEFAULT_LENGTH, properties: ['survivor-convergence'] })[0]!.verdict;
    expect(verdict(minor.config)).toBe('holds');
    expect(verdict(major)).toBe('violated');
  });
});

describe('determinism', () => {
  it('the same seed gives the same results, trace for trace', () => {
    const preset = PRESETS.find((p) => p.name === 'dmz-ring')!;
    const once = () => checkTarget(makeTarget(preset.config), { runs: 200, seed: 99, maxLength: 12, properties: [], maxStates: 0 });
    expect(JSON.stringify(once())).toBe(JSON.stringify(once()));
  });
  it('another seed may find another trace, but the same verdicts', () => {
    const preset = PRESETS.find((p) => p.name === 'broken-member')!;
    const verdicts = (seed: number) =>
      checkTarget(makeTarget(preset.config), { runs: 500, seed, maxLength: 12, properties: [], maxStates: 0 }).map((r) => r.verdict);
    expect(verdicts(3)).toEqual(verdicts(4));
  });
});

describe('expectations', () => {
  it('for the seven core properties, the six presets of docs/properties.md keep their table, and the lifecycle presets add theirs', () => {
    expect(Object.fromEntries(PRESETS.map((p) => [p.name, p.violates]))).toEqual({
      recommended: [],
      'dmz-ring': ['survivor-convergence'],
      'home-server': ['web-messenger-availability'],
      'single-key-holder': ['private-key-availability'],
      'pinned-clients': ['desktop-policy-availability'],
      'broken-member': ['no-lost-writes'],
      growing: [],
      'rolling-upgrade': ['survivor-convergence'],
      'rolling-minor-update': [],
      'long-outage': ['desktop-policy-availability'],
      'mode-switch': ['web-messenger-availability'],
      'no-holdout': [],
    });
  });
  it('for the lifecycle properties: rejoin freshness wherever the balancer lets members straight back and some account can be owed', () => {
    expect(Object.fromEntries(PRESETS.map((p) => [p.name, p.alsoViolates]))).toEqual({
      recommended: [],
      'dmz-ring': ['web-messenger-rejoin-freshness'],
      // Home Server accounts are never replicated, so a returning member owes none.
      'home-server': [],
      'single-key-holder': ['web-messenger-rejoin-freshness'],
      'pinned-clients': ['web-messenger-rejoin-freshness'],
      'broken-member': ['web-messenger-rejoin-freshness'],
      growing: ['join-under-outage'],
      'rolling-upgrade': [],
      'rolling-minor-update': [],
      'long-outage': ['skm-keys-stay-valid'],
      'mode-switch': [],
      'no-holdout': ['web-messenger-rejoin-freshness'],
    });
  });
});
