import { describe, expect, it } from 'vitest';
import { checkTarget } from '../cli/check.ts';
import { DEFAULT_LENGTH, DEFAULT_RUNS } from '../cli/main.ts';
import { makeTarget } from '../cli/target.ts';
import { PROPERTIES } from '../properties/index.ts';
import { expectedViolations, PRESETS } from './presets.ts';

describe.each(PRESETS.map((p) => [p.name, p] as const))('preset %s', (_name, preset) => {
  it('names only known properties in its expectations', () => {
    const core = PROPERTIES.slice(0, 7).map((p) => p.name);
    const lifecycle = PROPERTIES.slice(7).map((p) => p.name);
    for (const name of preset.violates) expect(core).toContain(name);
    for (const name of preset.alsoViolates) expect(lifecycle).toContain(name);
  });

  it.each([1, 20261128])('gives exactly its documented verdicts at the default budget (seed %i)', (seed) => {
    const results = checkTarget(makeTarget(preset.config), { runs: DEFAULT_RUNS, seed, maxLength: DEFAULT_LENGTH, properties: [] });
    const violated = results.filter((r) => r.verdict === 'violated').map((r) => r.property);
    expect(violated).toEqual(expectedViolations(preset));
    for (const r of results.filter((x) => x.verdict === 'violated')) {
      expect(r.actions.length).toBeLessThanOrEqual(3);
      expect(r.message).toBeTruthy();
    }
  });
});

describe('determinism', () => {
  it('the same seed gives the same results, trace for trace', () => {
    const preset = PRESETS.find((p) => p.name === 'dmz-ring')!;
    const once = () => checkTarget(makeTarget(preset.config), { runs: 200, seed: 99, maxLength: 12, properties: [] });
    expect(JSON.stringify(once())).toBe(JSON.stringify(once()));
  });
  it('another seed may find another trace, but the same verdicts', () => {
    const preset = PRESETS.find((p) => p.name === 'broken-member')!;
    const verdicts = (seed: number) =>
      checkTarget(makeTarget(preset.config), { runs: 500, seed, maxLength: 12, properties: [] }).map((r) => r.verdict);
    expect(verdicts(3)).toEqual(verdicts(4));
  });
});
