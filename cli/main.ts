/**
 * The command line: `check`, `list` (and the commands later issues add). Exit status 0 when nothing is
 * violated, 1 when something is (or a preset's verdicts differ from its expectations), 2 on bad input.
 */
import { randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { expectedViolations, PRESETS } from '../config/presets.ts';
import { PROPERTIES } from '../properties/index.ts';
import { intFlag, parseFlags } from './args.ts';
import { CHECK_STATE_BUDGET, type CheckOptions, checkTargets, meetsExpectation, type PropertyResult } from './check.ts';
import { generatedSummary, presetMatrix, resultTable, violationReport } from './format.ts';
import { exploreCommand } from './explore-command.ts';
import { defaultWorkers, runTasks } from './parallel.ts';
import { progressLine } from './progress.ts';
import { type Io, processIo, UsageError, usageError } from './io.ts';
import { type LoadedConfig, loadConfigFile, loadPreset } from './load.ts';
import { suggest } from '../config/suggest.ts';
import { riskReport } from './report.ts';
import { makeTarget } from './target.ts';
import { CounterexampleStore, counterexampleFiles, saveViolation, writeIndex } from './counterexample-save.ts';
import { replayCommand } from './replay.ts';
import { resyncCommand } from './resync.ts';

export const DEFAULT_RUNS = 500;
export const DEFAULT_LENGTH = 12;
/** Where `check` saves counterexamples unless `--save-dir` or `--no-save` says otherwise. */
export const DEFAULT_SAVE_DIR = 'counterexamples';
/** Overrides the default save folder (the test suite points it at a temporary folder). */
export const SAVE_DIR_VARIABLE = 'PGP_CLUSTER_CHECK_SAVE_DIR';

const HELP = `pgp-cluster-check: a property-based model checker for PGP Encryption Server cluster replication

Usage:
  pgp-cluster-check check [--preset NAME | --config FILE] [--property NAME]... [--max-states N] [--runs N]
                          [--seed N] [--length N] [--path P] [--workers N] [--json] [--save-dir DIR | --no-save]
      The properties of one config, or of every preset (the default): explored exhaustively where the
      reachable states fit --max-states (default 500,000; 0: random search only), otherwise, and for the
      properties only time decides, random search. Each violation is saved as a counterexample file in
      counterexamples/ (or DIR).
  pgp-cluster-check explore (--preset NAME | --config FILE) [--property NAME]... [--depth N] [--max-states N]
                            [--writes N] [--clients N] [--write-once] [--hours LIST [--horizon H|none]] [--full] [--no-symmetry] [--json]
                            [--save-dir DIR | --no-save]
      Exhaustive breadth-first exploration within bounds: every reachable state, the shortest trace to each
      violation. By default one record (or client) at a time against the shared faults, which is exact;
      --full explores the full product.
  pgp-cluster-check replay FILE|DIR [--json | --format text|json|mermaid]
      Re-runs a counterexample or scenario file step by step (a folder: every file in it).
  pgp-cluster-check index [DIR]
      Regenerates DIR/README.md (default counterexamples/), the index of the counterexample files.
  pgp-cluster-check resync (--preset NAME | --config FILE) [--member M] [--json] [--svg FILE]
      The backlog a returning member owes and its resync time, for outages of 1 hour to 30 days.
  pgp-cluster-check list [--json]
      The properties (name, kind, source, statement) and the presets.

Exit status: 0 nothing violated (with every preset: every preset as expected; replay: the file shows what
it records), 1 a violation (replay: it does not), 2 bad input.
`;

export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await checkCommand(rest, io);
      case 'explore':
        return exploreCommand(rest, io, { propertyNames, saveDir: saveDirOf });
      case 'list':
        return listCommand(rest, io);
      case 'replay':
        return replayCommand(rest, io);
      case 'index':
        return indexCommand(rest, io);
      case 'resync':
        return resyncCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default: {
        const close = suggest(command, ['check', 'explore', 'replay', 'index', 'resync', 'list', 'help']);
        throw usageError(`unknown command "${command}"; valid: check, explore, replay, index, resync, list${close ? `; did you mean "${close}"?` : ''}`);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      for (const problem of error.problems) io.err(`error: ${problem}`);
      return 2;
    }
    throw error;
  }
}

function propertyNames(requested: readonly string[] | undefined): string[] {
  const names = PROPERTIES.map((p) => p.name);
  for (const name of requested ?? []) {
    if (!names.includes(name)) {
      const close = suggest(name, names);
      throw usageError(`--property: unknown property "${name}"; valid: ${names.join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
    }
  }
  return [...(requested ?? [])];
}

/** Where to save counterexamples: `--save-dir`, else the default folder; undefined with `--no-save`. */
function saveDirOf(values: { 'save-dir'?: string | undefined; 'no-save'?: boolean | undefined }): string | undefined {
  if (values['save-dir'] !== undefined && values['no-save']) throw usageError('give --save-dir or --no-save, not both');
  if (values['save-dir'] === '') throw usageError('--save-dir: expected a folder name, got ""');
  return values['no-save'] ? undefined : (values['save-dir'] ?? (process.env[SAVE_DIR_VARIABLE] || DEFAULT_SAVE_DIR));
}

async function checkCommand(args: readonly string[], io: Io): Promise<number> {
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
  });
  if (values.preset !== undefined && values.config !== undefined)
    throw usageError('check: give --preset or --config, not both');
  const properties = propertyNames(values.property);
  if (values.path !== undefined && properties.length !== 1)
    throw usageError('--path replays one failing case of one property: give exactly one --property with it');
  const options: CheckOptions = {
    runs: intFlag('runs', values.runs, DEFAULT_RUNS, 1, 10_000_000),
    seed: intFlag('seed', values.seed, randomInt(2 ** 31 - 1), -(2 ** 31), 2 ** 31 - 1),
    maxLength: intFlag('length', values.length, DEFAULT_LENGTH, 1, 1000),
    properties,
    maxStates: intFlag('max-states', values['max-states'], CHECK_STATE_BUDGET, 0, 200_000_000),
    ...(values.path === undefined ? {} : { path: values.path }),
  };
  const loaded: LoadedConfig[] =
    values.config !== undefined
      ? [loadConfigFile(values.config)]
      : values.preset !== undefined
        ? [loadPreset(values.preset)]
        : PRESETS.map((p) => loadPreset(p.name));
  for (const { warnings } of loaded) for (const w of warnings) io.err(w);
  const everyPreset = values.preset === undefined && values.config === undefined;
  // Everything the reproduce line needs besides --property, --seed and --path (which `reproduceCommand` adds).
  const length = options.maxLength === DEFAULT_LENGTH ? '' : ` --length ${options.maxLength}`;
  const source = (r: PropertyResult) => `${values.config !== undefined ? `--config ${values.config}` : `--preset ${r.config}`}${length}`;
  const saveDir = saveDirOf(values);
  const store = saveDir === undefined ? undefined : new CounterexampleStore(saveDir, (w) => io.err(w));
  store?.checkUsable();
  const workers = intFlag('workers', values.workers, defaultWorkers(), 1, 256);
  const started = performance.now();
  const jobs = loaded.map(({ config, preset }) => ({ target: makeTarget(config), expectedViolations: everyPreset && preset ? expectedViolations(preset) : undefined }));
  const progress = progressLine(io, !values.json);
  const judged = await checkTargets(jobs, options, workers, (tasks) =>
    runTasks(tasks, workers, (done) =>
      progress.update(`checking: ${done}/${tasks.length} searches, ${((performance.now() - started) / 1000).toFixed(1)} s`),
    ),
  );
  progress.done();
  const results: PropertyResult[] = [];
  jobs.forEach(({ target }, j) => {
    const found = judged[j]!;
    results.push(...(store === undefined ? found : found.map((r) => saveViolation(store, target, r, options, source(r)))));
  });
  if (store !== undefined && store.written.length > 0) writeIndex(store.dir, (w) => io.err(w));
  const seconds = (performance.now() - started) / 1000;
  const failed = everyPreset ? results.some((r) => !meetsExpectation(r)) : results.some((r) => r.verdict === 'violated');
  if (values.json) {
    const warnings = loaded.flatMap((l) => l.warnings);
    io.out(JSON.stringify({ seed: options.seed, runs: options.runs, maxLength: options.maxLength, seconds, warnings, results }, null, 2));
    return failed ? 1 : 0;
  }
  const header = `every reachable state explored where it fits ${(options.maxStates ?? CHECK_STATE_BUDGET).toLocaleString('en-US')} states (time not passing); otherwise, and for what only time decides, random search from seed ${options.seed}: up to ${options.runs} traces of up to ${options.maxLength} actions per property`;
  if (everyPreset) {
    io.out(`pgp-cluster-check: every preset, ${header}\n`);
    io.out(presetMatrix(loaded.map((l) => l.config.name), results));
    io.out(
      '\n  verified: holds in every reachable state within the bounds (exhaustive); sampled: no violation in the random traces\n  (or the states) searched; violated; n/a (not applicable); reached / unreached for the `sometimes` properties that\n  guard against vacuous passes; UPPER CASE! marks a verdict that differs from what the preset documents.\n',
    );
  } else {
    const config = loaded[0]!.config;
    io.out(`pgp-cluster-check: config "${config.name}" (${config.members.length} members), ${header}\n`);
    io.out(resultTable(results));
    // The risk report: per property the verdict, why, the shortest trace and the vendor's advice.
    if (results.length > 0) io.out(`\n${riskReport(results, source(results[0]!))}`);
  }
  if (everyPreset)
    for (const r of results.filter((x) => x.verdict === 'violated' && x.kind !== 'sometimes')) io.out(`\n${violationReport(r, source(r))}`);
  io.out(`\nactions generated: ${generatedSummary(results)}\n`);
  if (everyPreset) {
    const mismatches = results.filter((r) => !meetsExpectation(r));
    io.out(
      mismatches.length === 0
        ? `All ${loaded.length} presets gave their documented verdicts (${results.length} checks in ${seconds.toFixed(1)} s).`
        : `${mismatches.length} verdict(s) differ from what the presets document: ${mismatches.map((r) => `${r.config}/${r.property}`).join(', ')} (${seconds.toFixed(1)} s).`,
    );
  } else {
    const violated = results.filter((r) => r.verdict === 'violated').length;
    io.out(violated === 0 ? `No violations (${seconds.toFixed(1)} s).` : `${violated} propert${violated === 1 ? 'y' : 'ies'} violated (${seconds.toFixed(1)} s).`);
  }
  return failed ? 1 : 0;
}

function indexCommand(args: readonly string[], io: Io): number {
  const { positionals } = parseFlags('index', args, {}, 1);
  const dir = positionals[0] ?? DEFAULT_SAVE_DIR;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`index: ${dir} is not a folder`);
  const written = writeIndex(dir, (w) => io.err(w));
  const count = counterexampleFiles(dir).length;
  io.out(written ? `wrote ${written} (${count} file${count === 1 ? '' : 's'})` : `${dir}/README.md is up to date (${count} file${count === 1 ? '' : 's'})`);
  return 0;
}

function listCommand(args: readonly string[], io: Io): number {
  const { values } = parseFlags('list', args, { json: { type: 'boolean' } });
  const properties = PROPERTIES.map(({ name, kind, source, statement }) => ({ name, kind, source, statement }));
  const presets = PRESETS.map(({ name, description, violates, alsoViolates }) => ({ name, description, violates, alsoViolates }));
  if (values.json) {
    io.out(JSON.stringify({ properties, presets }, null, 2));
    return 0;
  }
  io.out('Properties:\n');
  for (const p of properties) io.out(`  ${p.name} (${p.kind})\n    ${p.statement}\n    source: ${p.source}\n`);
  io.out('Presets:\n');
  for (const p of presets)
    io.out(
      `  ${p.name}: ${p.description}\n    expected violations: ${p.violates.length === 0 ? 'none' : p.violates.join(', ')}${p.alsoViolates.length === 0 ? '' : `; lifecycle: ${p.alsoViolates.join(', ')}`}\n`,
    );
  return 0;
}
