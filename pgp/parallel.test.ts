import { describe, expect, it } from 'vitest';
import { PRESETS } from '../config/presets.ts';
import { cli } from '../test/cli.ts';
import { type CheckOptions, type SearchOutcome, shardTasks } from './check.ts';
import { runTasks } from './parallel.ts';

describe('parallel search', () => {
  const options: CheckOptions = { runs: 300, seed: 41, maxLength: 12, properties: [] };
  const tasks = PRESETS.slice(0, 3).flatMap((p) =>
    ['survivor-convergence', 'web-messenger-availability'].flatMap((property) => shardTasks(p.config, property, options, 2)),
  );

  it('worker threads give exactly the outcomes of running the same tasks in this thread', async () => {
    // Everything but the wall-clock time to the first finding.
    const untimed = (outcomes: SearchOutcome[]) => outcomes.map(({ seed, result: { foundAfterSeconds: _, ...rest } }) => ({ seed, rest }));
    const inThread = await runTasks(tasks, 1);
    const threaded = await runTasks(tasks, 2, undefined, 0);
    expect(untimed(threaded)).toEqual(untimed(inThread));
  });

  it('shards split the runs and take consecutive seeds; one shard is the plain search', () => {
    const shards = shardTasks(PRESETS[0]!.config, 'no-lost-writes', { ...options, runs: 7 }, 3);
    expect(shards.map((t) => [t.seed, t.runs])).toEqual([
      [41, 3],
      [42, 2],
      [43, 2],
    ]);
    expect(shardTasks(PRESETS[0]!.config, 'no-lost-writes', options, 1)).toEqual([
      { config: PRESETS[0]!.config, property: 'no-lost-writes', runs: 300, seed: 41, maxLength: 12 },
    ]);
  });

  it('check --workers N: the same seed and worker count give the same output', async () => {
    // No exploration (--max-states 0): every property is searched at random, on the workers.
    const run = async () => JSON.parse((await cli('check', '--seed', '3', '--workers', '2', '--runs', '200', '--max-states', '0', '--json', '--no-save')).out);
    const strip = (doc: { results: Record<string, unknown>[] }) => doc.results.map(({ config, property, verdict, seed, runs, actions }) => ({ config, property, verdict, seed, runs, actions }));
    expect(strip(await run())).toEqual(strip(await run()));
  });
});
