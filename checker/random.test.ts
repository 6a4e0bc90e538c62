import { describe, expect, test } from 'vitest';
import { makeTarget } from '../pgp/target.ts';
import { PRESETS } from '../config/presets.ts';
import { searchRandom } from './random.ts';
import type { Model, Property } from './types.ts';

/** A counter: the state is how many steps were taken; one action, always enabled. */
const counter: Model<number, 'tick'> = {
  initial: 0,
  enabled: () => ['tick'],
  step: (n) => n + 1,
  whyDisabled: () => undefined,
  describe: () => 'tick',
  classify: () => 'tick',
};

/** Holds, but records the length of every walk (the deepest state judged in it). */
function recorder(lengths: number[]): Property<number> {
  return {
    name: 'records-lengths',
    kind: 'always',
    check: (n) => {
      if (n === 0) lengths.push(0);
      else lengths[lengths.length - 1] = n;
      return { holds: true };
    },
  };
}

describe('walks of varied lengths (RandomOptions.lengths)', () => {
  test('without lengths every walk is maxLength long', () => {
    const seen: number[] = [];
    searchRandom(counter, recorder(seen), { runs: 50, seed: 1, maxLength: 7 });
    expect(seen).toHaveLength(50);
    expect(new Set(seen)).toEqual(new Set([7]));
  });

  test.each([1, 2, 3])('walk lengths follow the weights (seed %i)', (seed) => {
    const seen: number[] = [];
    // Lengths 0, 2 and 5 in proportions 1 : 0 : 3 : 0 : 0 : 6 (and never 1, 3 or 4).
    searchRandom(counter, recorder(seen), { runs: 4000, seed, maxLength: 5, lengths: [1, 0, 3, 0, 0, 6] });
    expect(seen).toHaveLength(4000);
    const share = (k: number) => seen.filter((n) => n === k).length / seen.length;
    expect(new Set(seen)).toEqual(new Set([0, 2, 5]));
    expect(Math.abs(share(0) - 0.1)).toBeLessThan(0.03);
    expect(Math.abs(share(2) - 0.3)).toBeLessThan(0.03);
    expect(Math.abs(share(5) - 0.6)).toBeLessThan(0.03);
  });

  test('a histogram like the stock traces\' is followed length by length (no bias to the ends)', () => {
    // The applied lengths of 10,000 stock traces on `recommended` (see bench/stock.ts).
    const histogram = [1684, 1948, 1945, 1748, 1282, 810, 374, 157, 45, 7, 0, 0, 0];
    const total = histogram.reduce((a, b) => a + b, 0);
    const seen: number[] = [];
    searchRandom(counter, recorder(seen), { runs: 10_000, seed: 4, maxLength: 12, lengths: histogram });
    const counts = histogram.map((_, k) => seen.filter((n) => n === k).length);
    for (const [k, weight] of histogram.entries())
      expect(Math.abs(counts[k]! / seen.length - weight / total), `length ${k}`).toBeLessThan(0.015);
  });

  test('a violation found on a varied walk replays from its seed and path', () => {
    const preset = PRESETS.find((p) => p.name === 'single-key-holder')!;
    const target = makeTarget(preset.config);
    const bound = target.properties.find((p) => p.property.name === 'private-key-availability')!;
    const options = { runs: 5000, seed: 7, maxLength: 12, lengths: [1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1] };
    const found = searchRandom(target.engineModel, bound.onEngine, options);
    expect(found.verdict).toBe('violated');
    // The walks were of varied lengths: fewer actions were generated than walks of 12 would have.
    const generated = Object.values(found.generated).reduce((a, b) => a + b, 0);
    expect(generated).toBeLessThan(found.runs * 12 - 12);
    const again = searchRandom(target.engineModel, bound.onEngine, { ...options, path: found.counterexample!.path });
    expect(again.verdict).toBe('violated');
    expect(again.counterexample!.actions).toEqual(found.counterexample!.actions);
  });

  test('bad weights are refused, naming the option', () => {
    const p = recorder([]);
    for (const lengths of [[], [0, 0], [1, -1], [1.5], [1, 1, 1, 1]])
      expect(() => searchRandom(counter, p, { runs: 1, seed: 1, maxLength: 2, lengths })).toThrow(/^lengths:/);
  });
});
