/**
 * The seam, tested with a second plug-in: the two-phase commit of `test/two-phase-commit.ts` runs through
 * the same `check` (`checker/run.ts`), `explore` (`checker/exploration.ts`) and saved-trace code
 * (`checker/trace-file.ts`) as the PGP cluster.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type TwoPhaseConfig, twoPhasePlugin } from '../test/two-phase-commit.ts';
import { exploreInstance } from './exploration.ts';
import { checkConfig, checkConfigs } from './run.ts';
import { instanceOf, runSearchTask, type SearchTask, shardTasks } from './tasks.ts';
import { runOnThreads } from './threads.ts';
import { loadTrace, replayTrace, saveTrace, traceDocument } from './trace-file.ts';

const [correct, buggy] = twoPhasePlugin.presets.map((p) => p.config) as [TwoPhaseConfig, TwoPhaseConfig];
/** The worker thread's module that serves the two-phase commit's tasks. */
const WORKER = new URL('../test/two-phase-commit-worker.mjs', import.meta.url);
const random = { runs: 300, seed: 7, maxLength: 12, properties: [], maxStates: 0 } as const;

/** The states of TLA+'s TwoPhase (and Stateright's 2pc) with three resource managers. */
const STATES_3_RMS = 288;

describe('two-phase commit through the generic check', () => {
  it('random search finds the buggy TM breaking consistent, shrunk, and reaches commit', () => {
    const results = checkConfig(twoPhasePlugin, buggy, random);
    const consistent = results.find((r) => r.property === 'consistent')!;
    expect(consistent).toMatchObject({ verdict: 'violated', basis: { basis: 'random', runs: expect.any(Number) } });
    const found = consistent.finding!;
    expect(found.message).toMatch(/committed while RM \d aborted/);
    // The shortest way: RM a prepares, the TM hears it and commits, RM b aborts, RM a hears Commit.
    expect(found.actions.map((a) => a.type).sort()).toEqual(['rmChooseToAbort', 'rmPrepare', 'rmRcvCommit', 'tmCommit', 'tmRcvPrepared']);
    expect(found.step).toBe(found.actions.length);
    expect(results.find((r) => r.property === 'commit-reachable')).toMatchObject({ verdict: 'reached', basis: { basis: 'random' } });
  });

  it('random search finds no violation of consistent in the correct protocol, and says it rests on its traces', () => {
    const consistent = checkConfig(twoPhasePlugin, correct, random).find((r) => r.property === 'consistent')!;
    expect(consistent).toMatchObject({ verdict: 'holds', basis: { basis: 'random', runs: 300 }, finding: null });
  });

  it('explores first within the state budget: consistent verified on every reachable state', () => {
    const results = checkConfig(twoPhasePlugin, correct, { ...random, maxStates: 10_000 });
    const exhaustive = { basis: 'exhaustive', states: STATES_3_RMS };
    expect(results.map((r) => [r.property, r.verdict, r.basis])).toEqual([
      ['consistent', 'holds', expect.objectContaining(exhaustive)],
      ['commit-reachable', 'reached', expect.objectContaining(exhaustive)],
      ['abort-reachable', 'reached', expect.objectContaining(exhaustive)],
    ]);
    // A budget too small to finish: only findings count (real traces), the rest goes to random search,
    // which says that the budget ran out.
    const small = checkConfig(twoPhasePlugin, correct, { ...random, maxStates: 20 });
    expect(small.find((r) => r.property === 'consistent')).toMatchObject({
      verdict: 'holds',
      basis: { basis: 'random', fellBack: { cause: 'state-budget', budget: 20 } },
    });
  });

  it('shards and merges the same way on any number of workers', async () => {
    const run = async (tasks: readonly SearchTask<TwoPhaseConfig>[]) => tasks.map((task) => runSearchTask(twoPhasePlugin, task));
    const [one] = await checkConfigs(twoPhasePlugin, [buggy], random, 1, run);
    const [three] = await checkConfigs(twoPhasePlugin, [buggy], random, 3, run);
    expect(one![0]).toMatchObject({ verdict: 'violated', basis: { basis: 'random' } });
    expect(three![0]).toMatchObject({ verdict: 'violated', basis: { basis: 'random' } });
    expect(one![0]!.finding!.actions.length).toBe(three![0]!.finding!.actions.length);
  });

  it('runs its shards on worker threads with the outcomes of running them here', async () => {
    const tasks = ['consistent', 'commit-reachable'].flatMap((property) => shardTasks(buggy, property, random, 2));
    const here = (task: (typeof tasks)[number]) => runSearchTask(twoPhasePlugin, task);
    const inThread = await runOnThreads(tasks, 1, here, WORKER);
    const threaded = await runOnThreads(tasks, 2, here, WORKER, undefined, 0);
    expect(threaded.map((o) => o.result.counterexample?.actions)).toEqual(inThread.map((o) => o.result.counterexample?.actions));
    expect(threaded.map((o) => [o.seed, o.result.runs, o.result.verdict])).toEqual(inThread.map((o) => [o.seed, o.result.runs, o.result.verdict]));
  });
});

describe('two-phase commit through the generic explore', () => {
  it('exhausts the small space: consistent holds with its states counted; the buggy TM gives a shortest trace', () => {
    const report = exploreInstance(instanceOf(twoPhasePlugin, correct), { maxDepth: Number.POSITIVE_INFINITY, maxStates: 10_000, properties: [] });
    expect(report).toMatchObject({ states: STATES_3_RMS, exhausted: true });
    expect(report.results[0]).toMatchObject({ property: 'consistent', verdict: 'holds', basis: { basis: 'exhaustive', states: STATES_3_RMS } });
    const broken = exploreInstance(instanceOf(twoPhasePlugin, buggy), { maxDepth: Number.POSITIVE_INFINITY, maxStates: 10_000, properties: ['consistent'] });
    expect(broken.results).toHaveLength(1);
    expect(broken.results[0]).toMatchObject({ verdict: 'violated', basis: { basis: 'exhaustive' } });
    expect(broken.results[0]!.shortest).toHaveLength(5);
  });

  it('a cut-short exploration says so: partial, with the states it visited', () => {
    const report = exploreInstance(instanceOf(twoPhasePlugin, correct), { maxDepth: 3, maxStates: 10_000, properties: ['consistent'] });
    expect(report.exhausted).toBe(false);
    expect(report.results[0]!.basis).toMatchObject({ basis: 'partial', states: report.states, depthComplete: report.depthComplete });
  });
});

describe('two-phase commit through the generic trace files', () => {
  it('saves a counterexample and replays it from the file: the same violating step', () => {
    const found = checkConfig(twoPhasePlugin, buggy, random).find((r) => r.property === 'consistent')!;
    const dir = mkdtempSync(join(tmpdir(), 'pcc-2pc-'));
    const file = saveTrace(dir, buggy.name, traceDocument(twoPhasePlugin, buggy, found, { maxRuns: random.runs }));
    const loaded = loadTrace(twoPhasePlugin, file);
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    expect(loaded.value.run.states).toHaveLength(found.finding!.actions.length + 1);
    const replay = replayTrace(loaded.value);
    expect(replay).toMatchObject({ outcome: 'reproduced', ok: true });
    expect(replay.violation).toMatchObject({ step: found.finding!.step, message: found.finding!.message });
    // Loading and replaying the file runs its trace once: one model step per action.
    let steps = 0;
    const counting: typeof twoPhasePlugin = {
      ...twoPhasePlugin,
      instantiate: (config) => {
        const instance = twoPhasePlugin.instantiate(config);
        const step: typeof instance.model.step = (state, action) => {
          steps++;
          return instance.model.step(state, action);
        };
        return { ...instance, model: { ...instance.model, step } };
      },
    };
    const once = loadTrace(counting, file);
    expect(once.ok && replayTrace(once.value).outcome).toBe('reproduced');
    expect(steps).toBe(found.finding!.actions.length);
    // Marked fixed, the same trace is now a regression.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), expect: 'holds' }));
    const fixed = loadTrace(twoPhasePlugin, file);
    expect(fixed.ok && replayTrace(fixed.value).outcome).toBe('violated-again');
  });

  it('a bad file: every problem located, through the plug-in codec and the shared translator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-2pc-'));
    const file = join(dir, 'bad.json');
    const document = {
      formatVersion: 1,
      property: 'consistant',
      expect: 'violate',
      violation: { step: '2', message: 'x' },
      actions: [{ type: 'rmPrepare', rm: 7 }, { type: 'tmCommitt' }],
      found: { seed: 1, runs: 1, originalLength: 2 },
      config: { resourceManagers: 3, buggy: true },
    };
    writeFileSync(file, JSON.stringify(document));
    const loaded = loadTrace(twoPhasePlugin, file);
    expect(loaded.ok).toBe(false);
    expect(loaded.ok ? [] : loaded.problems).toEqual([
      `${file}: expect: unknown expectation "violate"; valid: violated, holds; did you mean "violated"?`,
      `${file}: violation.step: expected a number, got "2" (write 2 without quotes)`,
      `${file}: property: unknown property "consistant"; valid: consistent, commit-reachable, abort-reachable; did you mean "consistent"?`,
      `${file}: actions[0].rm: expected an RM number from 0 to 2`,
      `${file}: actions[1].type: unknown action type "tmCommitt"; valid: tmRcvPrepared, tmCommit, tmAbort, rmPrepare, rmChooseToAbort, rmRcvCommit, rmRcvAbort`,
    ]);
    // An action that is not enabled at its step names the step.
    writeFileSync(file, JSON.stringify({ ...document, property: 'consistent', expect: 'violated', violation: { step: 1, message: 'x' }, actions: [{ type: 'tmCommit' }] }));
    const disabled = loadTrace(twoPhasePlugin, file);
    expect(disabled.ok ? [] : disabled.problems).toEqual([`${file}: actions[0] (step 1, "the TM commits (sends Commit)"): not enabled at this step: no RM is prepared`]);
    // A config that is not an object is named as such (its contents are the plug-in's to check).
    writeFileSync(file, JSON.stringify({ ...document, property: 'consistent', expect: 'violated', violation: { step: 0, message: 'x' }, actions: [], config: 3 }));
    const notObject = loadTrace(twoPhasePlugin, file);
    expect(notObject.ok ? [] : notObject.problems).toEqual([`${file}: config: expected an object, got 3`]);
  });
});
