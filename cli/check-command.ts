/**
 * `check`: its flags, then the rooms below do the work. The configs are loaded (`pgp/load.ts`), checked
 * (`pgp/check.ts`: explored within the state budget, the rest searched at random on worker threads),
 * their violations saved (`traces/save.ts`) and their accepted risks applied (`pgp/accept.ts`); the
 * result is printed as JSON (`reports/summary.ts`) or as text (`reports/check-text.ts`). Exit 0 when
 * nothing is violated (with every preset: when every preset gives its documented verdicts), 1 otherwise.
 */
import { randomInt } from 'node:crypto';
import { isFailure } from '../checker/verdict.ts';
import { checkAdvice } from '../pgp/advice-check.ts';
import { configCheck } from '../pgp/checked-change.ts';
import { expectedViolations, PRESETS } from '../config/presets.ts';
import type { Acceptance } from '../config/schema.ts';
import { boundedWarnings, type Io, usageError } from '../io/io.ts';
import { suggest } from '../io/suggest.ts';
import { oneLine, shellQuote } from '../io/untrusted.ts';
import { outputTarget } from '../io/write.ts';
import { applyAcceptances, staleLine } from '../pgp/accept.ts';
import { CHECK_STATE_BUDGET, type CheckOptions, checkTargets, meetsExpectation, type PropertyResult, SOMETIMES_RUNS_FACTOR } from '../pgp/check.ts';
import { type LoadedConfig, loadConfigFile, loadPreset } from '../pgp/load.ts';
import { defaultWorkers, runTasks } from '../pgp/parallel.ts';
import { makeTarget } from '../pgp/target.ts';
import { PROPERTIES } from '../properties/index.ts';
import { checkText } from '../reports/check-text.ts';
import { writeCheckHtml } from '../reports/pages.ts';
import { resultJson, stoppedExplorations, summarize, verdictOf } from '../reports/summary.ts';
import { terminalWidth } from '../reports/width.ts';
import { saveDirOf } from '../traces/save-dir.ts';
import { CounterexampleStore, saveViolation } from '../traces/save.ts';
import { intFlag, parseFlags, pathFlag } from './args.ts';
import { explorationProgress, explorationStopped, fitRow, notProofs, progressLine, searchProgress } from './progress.ts';

export const DEFAULT_RUNS = 500;
export const DEFAULT_LENGTH = 12;

export function propertyNames(requested: readonly string[] | undefined): string[] {
  const names = PROPERTIES.map((p) => p.name);
  for (const name of requested ?? []) {
    if (!names.includes(name)) {
      const close = suggest(name, names);
      throw usageError(`--property: unknown property "${name}"; valid: ${names.join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
    }
  }
  return [...(requested ?? [])];
}

export async function checkCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags('check', args, {
    preset: { type: 'string' },
    config: { type: 'string' },
    property: { type: 'string', multiple: true },
    runs: { type: 'string' },
    seed: { type: 'string' },
    length: { type: 'string' },
    path: { type: 'string' },
    json: { type: 'boolean' },
    'save-dir': { type: 'string' },
    'no-save': { type: 'boolean' },
    workers: { type: 'string' },
    'max-states': { type: 'string' },
    html: { type: 'string' },
  });
  const html = values.html === undefined ? undefined : outputTarget('--html', values.html, [values.config]);
  if (values.preset !== undefined && values.config !== undefined)
    throw usageError('check: give --preset or --config, not both');
  const properties = propertyNames(values.property);
  if (values.path !== undefined && properties.length !== 1)
    throw usageError('--path replays one failing case of one property: give exactly one --property with it');
  const runs = intFlag('runs', values.runs, DEFAULT_RUNS, 1, 10_000_000);
  // A `sometimes` property's search gets SOMETIMES_RUNS_FACTOR times the runs, so its paths reach that far.
  const path = pathFlag(values.path, runs * SOMETIMES_RUNS_FACTOR);
  const options: CheckOptions = {
    runs,
    seed: intFlag('seed', values.seed, randomInt(2 ** 31 - 1), -(2 ** 31), 2 ** 31 - 1),
    maxLength: intFlag('length', values.length, DEFAULT_LENGTH, 1, 1000),
    properties,
    maxStates: intFlag('max-states', values['max-states'], CHECK_STATE_BUDGET, 0, 200_000_000),
    ...(path === undefined ? {} : { path }),
  };
  const loaded: LoadedConfig[] =
    values.config !== undefined
      ? [loadConfigFile(values.config)]
      : values.preset !== undefined
        ? [loadPreset(values.preset)]
        : PRESETS.map((p) => loadPreset(p.name));
  const warn = boundedWarnings((line) => io.err(line), oneLine);
  for (const { warnings } of loaded) for (const w of warnings) warn(w);
  const everyPreset = values.preset === undefined && values.config === undefined;
  // Everything the reproduce line needs besides --property, --seed and --path (which `reproduceCommand` adds).
  const length = options.maxLength === DEFAULT_LENGTH ? '' : ` --length ${options.maxLength}`;
  const source = (r: PropertyResult) => `${values.config !== undefined ? `--config ${shellQuote(values.config)}` : `--preset ${shellQuote(r.config)}`}${length}`;
  const saveDir = saveDirOf(values);
  const store = saveDir === undefined ? undefined : new CounterexampleStore(saveDir, warn);
  store?.checkUsable();
  const workers = intFlag('workers', values.workers, defaultWorkers(), 1, 256);
  const started = performance.now();
  const jobs = loaded.map(({ config, preset }) => ({ target: makeTarget(config), expectedViolations: everyPreset && preset ? expectedViolations(preset) : undefined }));
  const progress = progressLine(io, !values.json);
  let shown: ReturnType<typeof searchProgress> | undefined;
  const budget = options.maxStates ?? CHECK_STATE_BUDGET;
  // Properties that explorations which did not finish leave to random search.
  let fellBack = 0;
  const judged = await checkTargets(
    jobs,
    options,
    workers,
    (tasks) => {
      const label = `checking ${everyPreset ? 'every preset' : `"${loaded[0]!.config.name}"`}${notProofs(fellBack)}`;
      shown = searchProgress(progress, label, tasks.length, `cap ${options.runs} traces of ${options.maxLength} actions per property`);
      return runTasks(tasks, workers, (done, traces) => shown!.searched(done, traces));
    },
    (j, { states, seconds, stopped }) => {
      const label = `"${oneLine(loaded[j]!.config.name)}"${jobs.length > 1 ? ` (${j + 1} of ${jobs.length})` : ''}`;
      if (stopped === undefined) progress.update(explorationProgress(label, { states, seconds }, budget));
      else {
        fellBack += stopped.random.length;
        progress.update(explorationStopped(label, stopped.stop, stopped.random, seconds));
      }
    },
  );
  shown?.stop();
  const results: PropertyResult[] = [];
  const stale: Acceptance[] = [];
  jobs.forEach(({ target }, j) => {
    const found = judged[j]!;
    const saved = store === undefined ? found : found.map((r) => saveViolation(store, target, r, options, source(r)));
    const accepted = applyAcceptances(target.config, loaded[j]!.accept, saved);
    results.push(...accepted.results);
    stale.push(...accepted.stale);
  });
  store?.finish();
  // One config: each violation's advice as a config change, checked as this config was (pgp/advice-check.ts).
  if (!everyPreset) {
    const check = configCheck(options, workers);
    const advised = await checkAdvice(loaded[0]!.config, results, check, (property, done, of) =>
      progress.update(fitRow(`checking the advice of ${property} as a config change (${done + 1} of ${of})`, terminalWidth())),
    );
    progress.done();
    results.splice(0, results.length, ...results.map((r) => (advised.has(r.property) ? { ...r, checkedAdvice: advised.get(r.property)! } : r)));
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = everyPreset ? results.some((r) => !meetsExpectation(r)) : results.some((r) => isFailure(verdictOf(r)) && !r.accepted);
  for (const a of stale) warn(`warning: ${staleLine(a, results)}`);
  const explorationStops = stoppedExplorations(results).map((s) => `warning: ${oneLine(s.message)}`);
  for (const line of explorationStops) warn(line);
  warn.finish();
  if (html !== undefined) io.err(writeCheckHtml(html, results, jobs.map((j) => j.target), options, source));
  if (values.json) {
    const warnings = [...loaded.flatMap((l) => l.warnings), ...explorationStops];
    const summary = summarize(results, !failed, everyPreset ? null : loaded[0]!.config.name, stale);
    io.out(JSON.stringify({ summary, seed: options.seed, runs: options.runs, maxLength: options.maxLength, seconds, warnings, results: results.map(resultJson) }, null, 2));
  } else {
    const configs = loaded.map((l) => l.config);
    io.out(checkText(results, { configs, everyPreset, options, seconds, source, stale: stale.map((a) => oneLine(staleLine(a, results))), width: terminalWidth() }));
  }
  return failed ? 1 : 0;
}
