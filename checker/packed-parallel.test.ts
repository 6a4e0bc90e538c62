import { describe, expect, it } from 'vitest';
import { TwoPhaseSpace } from '../test/two-phase-commit-packed.ts';
import { unpackTwoPhase } from '../test/two-phase-commit-packed.ts';
import { twoPhaseInstance } from '../test/two-phase-commit.ts';
import { exploreRows, type RowExploration, type RowSpace } from './packed.ts';

/** A result without what depends on the machine (time, memory) or on the threads that took part. */
function comparable(result: RowExploration) {
  const { seconds, bytesPerState, queueBytesPerState, threads, ...rest } = result;
  return { ...rest, findings: result.findings.map((f) => ({ ...f, states: f.states?.map((row) => Array.from(row)) ?? null })) };
}

/** The plain breadth-first search, one state at a time, by its rows' text: what the explorer must agree with. */
function reference(space: RowSpace) {
  const words = space.words;
  const row = new Int32Array(words);
  space.initial(row);
  const seen = new Map<string, number>([[row.join(','), 0]]);
  const rows = [row.slice()];
  const depth = [0];
  let transitions = 0;
  const first = space.properties.map(() => -1);
  const judge = (index: number) =>
    space.properties.forEach((_, p) => {
      if (first[p] === -1 && space.judge(p, rows[index]!, 0) !== undefined) first[p] = index;
    });
  judge(0);
  const out = new Int32Array(words);
  for (let i = 0; i < rows.length; i++)
    space.successors(rows[i]!, 0, out, () => {
      transitions++;
      const key = out.join(',');
      if (seen.has(key)) return;
      seen.set(key, rows.length);
      rows.push(out.slice());
      depth.push(depth[i]! + 1);
      judge(rows.length - 1);
    });
  return { states: rows.length, transitions, shortest: first.map((f) => (f === -1 ? null : depth[f]!)) };
}

const configs = [
  { name: '2pc', resourceManagers: 3, buggy: false },
  { name: '2pc-4', resourceManagers: 4, buggy: false },
  { name: '2pc-buggy', resourceManagers: 4, buggy: true },
];

describe('the packed explorer on the two-phase commit', () => {
  it.each(configs)('$name: the plain breadth-first search’s states, transitions and shortest findings, whose traces replay on the model', (config) => {
    const space = new TwoPhaseSpace(config);
    const result = exploreRows(space, { maxDepth: 1000, maxStates: 1_000_000 });
    const plain = reference(space);
    expect(result.exhausted).toBe(!config.buggy);
    if (!config.buggy) expect({ states: result.states, transitions: result.transitions }).toEqual({ states: plain.states, transitions: plain.transitions });
    expect(result.findings.map((f) => f.path?.length ?? null)).toEqual(plain.shortest);
    const instance = twoPhaseInstance(config);
    for (const [p, finding] of result.findings.entries()) {
      if (finding.path === null) continue;
      const state = finding.path.reduce((s, c) => instance.model.step(s, space.candidates[c]!), instance.model.initial);
      expect(unpackTwoPhase(finding.states!.at(-1)![0]!, config.resourceManagers)).toEqual(state);
      const outcome = instance.properties[p]!.property.check(state);
      expect(outcome.holds).toBe(finding.kind === 'sometimes');
    }
  });

  it.each(configs.slice(1))('$name: the same result on 1, 2 and 3 threads, whatever the chunks and wherever a cap stops it', (config) => {
    for (const limits of [
      { maxDepth: 1000, maxStates: 1_000_000 },
      { maxDepth: 1000, maxStates: 37 },
      { maxDepth: 1000, maxStates: 300 },
      { maxDepth: 4, maxStates: 1_000_000 },
    ]) {
      const alone = exploreRows(new TwoPhaseSpace(config), limits);
      expect(alone.threads).toBe(1);
      for (const [workers, chunk] of [
        [2, 1],
        [3, 5],
        [2, 1000],
      ] as const) {
        const space = new TwoPhaseSpace(config);
        const together = exploreRows(space, {
          ...limits,
          parallel: { workers, chunk, fromLevel: 1, waitForThreads: true, recipe: (s) => (s as TwoPhaseSpace).recipe() },
        });
        expect(together.threads, `${workers} threads took part`).toBe(workers);
        expect(comparable(together), `${JSON.stringify(limits)}, ${workers} threads, chunks of ${chunk}`).toEqual(comparable(alone));
      }
    }
  });

  it('a space without a recipe is explored in this thread', () => {
    const result = exploreRows(new TwoPhaseSpace(configs[0]!), {
      maxDepth: 1000,
      maxStates: 1_000_000,
      parallel: { workers: 2, fromLevel: 1, waitForThreads: true, recipe: () => undefined },
    });
    expect(result.threads).toBe(1);
  });

  it('an error in this thread ends the exploration, and the next one starts afresh', () => {
    /** Judges like the two-phase commit until its 300th state, then fails (the worker threads' copies do not). */
    class Failing extends TwoPhaseSpace {
      private judged = 0;
      override judge(p: number, from: Int32Array, offset: number): string | undefined {
        if (++this.judged > 300 * this.properties.length) throw new Error('judging failed');
        return super.judge(p, from, offset);
      }
    }
    const config = configs[1]!;
    const parallel = { workers: 2, chunk: 7, fromLevel: 1, waitForThreads: true, recipe: (s: RowSpace) => (s as TwoPhaseSpace).recipe() };
    expect(() => exploreRows(new Failing(config), { maxDepth: 1000, maxStates: 1_000_000, parallel })).toThrow('judging failed');
    const after = exploreRows(new TwoPhaseSpace(config), { maxDepth: 1000, maxStates: 1_000_000, parallel });
    expect(after.threads).toBe(2);
    expect(comparable(after)).toEqual(comparable(exploreRows(new TwoPhaseSpace(config), { maxDepth: 1000, maxStates: 1_000_000 })));
  });

  it('a thread that fails ends the exploration with its error', () => {
    expect(() =>
      exploreRows(new TwoPhaseSpace(configs[0]!), {
        maxDepth: 1000,
        maxStates: 1_000_000,
        parallel: { workers: 2, fromLevel: 1, waitForThreads: true, recipe: () => ({ module: new URL('../test/no-such-module.ts', import.meta.url).href, data: null }) },
      }),
    ).toThrow(/could not start.*no-such-module/s);
  });
});
