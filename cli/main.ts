/**
 * The command line: `check`, `list` (and the commands later issues add). Exit status 0 when nothing is
 * violated, 1 when something is (or a preset's verdicts differ from its expectations), 2 on bad input.
 */
import { randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { expectedViolations, PRESETS } from '../config/presets.ts';
import { PROPERTIES } from '../properties/index.ts';
import { intFlag, parseFlags, pathFlag } from './args.ts';
import { CHECK_STATE_BUDGET, type CheckOptions, checkTargets, meetsExpectation, type PropertyResult, runsFor, SOMETIMES_RUNS_FACTOR } from '../pgp/check.ts';
import { generatedSummary, presetMatrix, violationReport } from '../reports/format.ts';
import { terminalWidth, wrapText } from '../reports/width.ts';
import { exploreCommand } from './explore-command.ts';
import { defaultWorkers, runTasks } from '../pgp/parallel.ts';
import { progressLine, searchProgress } from './progress.ts';
import { expectedFailure, type Io, processIo, UsageError, usageError } from '../io/io.ts';
import { type LoadedConfig, loadConfigFile, loadPreset } from '../pgp/load.ts';
import { suggest } from '../io/suggest.ts';
import type { BasisKind, Verdict } from '../checker/verdict.ts';
import { riskReport } from '../reports/text.ts';
import { makeTarget } from '../pgp/target.ts';
import { CounterexampleStore, counterexampleFiles, saveViolation, writeIndex } from '../traces/save.ts';
import { replayCommand } from './replay.ts';
import { resyncCommand } from './resync.ts';
import { jsonEntries, skippedWarning } from '../io/read.ts';
import { oneLine, shellQuote, terminalSafe } from '../io/untrusted.ts';
import { applyAcceptances, staleLine } from '../pgp/accept.ts';
import { summarize, verdictOf } from '../reports/summary.ts';
import { isFailure } from '../checker/verdict.ts';
import { commandHelp, COMMAND_HELP } from './help.ts';
import { TOOL_VERSION } from '../reports/version.ts';
import { compareCommand } from './compare.ts';
import { DEFAULT_SAVE_DIR, saveDirOf } from '../traces/save-dir.ts';
import type { Acceptance } from '../config/schema.ts';
import { writeCheckHtml } from '../reports/pages.ts';
import { checkWritable } from '../io/write.ts';

export const DEFAULT_RUNS = 500;

/** Every verdict a result may carry, and what it means (`list`; `checker/verdict.ts` declares them). */
export const VERDICT_MEANINGS: Readonly<Record<Verdict, string>> = {
  holds: 'no state searched breaks it; verified only when its basis is exhaustive',
  violated: 'a trace breaks it; the shortest one found is reported and saved',
  'not-applicable': 'the config has nothing it speaks of (no member runs the service it is about)',
  vacuous: 'no state searched broke it, but its subject (a private key held, a client enrolled) never occurred there either: nothing was shown',
  reached: 'a `sometimes` guard: the search reached the state it describes, so the properties about that fault were put to the test',
  unreached: 'a `sometimes` guard the search never reached: the properties about that fault were not put to the test',
};

/** Every basis a result may rest on, and what it means. */
export const BASIS_MEANINGS: Readonly<Record<BasisKind, string>> = {
  exhaustive: 'every reachable state within the stated bounds was explored ("states", "bounds"): the only basis that may be called verified',
  partial: 'an exploration stopped at its state budget: a verdict speaks only for the states visited ("states", "depthComplete")',
  random: 'random traces ("runs"): a holding verdict means "no violation in N traces"',
};
export const DEFAULT_LENGTH = 12;
export { DEFAULT_SAVE_DIR, SAVE_DIR_VARIABLE } from '../traces/save-dir.ts';

/** The overview `--help` prints: every command's usage and summary, from `COMMAND_HELP`. */
function overallHelp(width: number): string {
  const commands = Object.values(COMMAND_HELP).map((h) => `${wrapText(h.usage, width, '  ', '      ')}\n${wrapText(h.summary, width, '      ')}`);
  return [
    'pgp-cluster-check: a property-based model checker for PGP Encryption Server cluster replication',
    '',
    'Usage:',
    ...commands,
    '  pgp-cluster-check --version',
    '',
    'Each command takes --help (or -h) for its flags.',
  ].join('\n');
}

/**
 * Runs one command behind the one error boundary of the command line: an expected failure (bad input,
 * a file that cannot be read or written) is exit 2 with the path and the reason; anything else is exit 3,
 * "internal error, please report", with the stack only under `--debug`. Everything printed passes
 * through `terminalSafe`, so no control character from a user's file reaches the terminal raw.
 */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  const safe = safeIo(io);
  try {
    return await dispatch(
      argv.filter((a) => a !== '--debug'),
      safe,
    );
  } catch (error) {
    return reportFailure(error, safe, debug);
  }
}

function safeIo(io: Io): Io {
  return { out: (text) => io.out(terminalSafe(text)), err: (text) => io.err(terminalSafe(text)), isTty: io.isTty };
}

/** Exit status for a failure that escaped a command: 2 when it is the input's or the system's, 3 when it is ours. */
function reportFailure(error: unknown, io: Io, debug: boolean): number {
  const expected = expectedFailure(error);
  // The terminal itself may be what failed (stdout to a full disk): then there is no one to tell.
  const tell = (line: string) => {
    try {
      io.err(line);
    } catch {
      // stderr is gone too
    }
  };
  if (expected !== undefined) {
    for (const problem of expected) tell(`error: ${oneLine(problem)}`);
    if (debug && error instanceof Error && !(error instanceof UsageError)) tell(error.stack ?? '');
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  tell(`internal error, please report: ${oneLine(message)}`);
  tell(debug && error instanceof Error ? (error.stack ?? '') : '(run again with --debug to see where it happened)');
  return 3;
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  // `COMMAND --help` / `-h`: that command's usage and flags, whatever else is on the line.
  if (command !== undefined && COMMAND_HELP[command] !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    const width = terminalWidth();
    io.out(commandHelp(command, (text, first, indent) => wrapText(text, width, first, indent)));
    return 0;
  }
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
    case 'compare':
      return await compareCommand(rest, io);
    case '--version':
    case '-V':
    case 'version':
      io.out(`pgp-cluster-check ${TOOL_VERSION}`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      if (command === 'help' && rest[0] !== undefined && COMMAND_HELP[rest[0]] !== undefined) {
        const width = terminalWidth();
        io.out(commandHelp(rest[0], (text, first, indent) => wrapText(text, width, first, indent)));
        return 0;
      }
      io.out(overallHelp(terminalWidth()));
      return command === undefined ? 2 : 0;
    default: {
      const commands = Object.keys(COMMAND_HELP);
      const close = suggest(command, [...commands, 'help', 'version']);
      throw usageError(`unknown command "${command}"; valid: ${commands.join(', ')}, help, --version${close ? `; did you mean "${close}"?` : ''}`);
    }
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
    html: { type: 'string' },
  });
  if (values.html !== undefined) checkWritable('--html', values.html);
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
  for (const { warnings } of loaded) for (const w of warnings) io.err(w);
  const everyPreset = values.preset === undefined && values.config === undefined;
  // Everything the reproduce line needs besides --property, --seed and --path (which `reproduceCommand` adds).
  const length = options.maxLength === DEFAULT_LENGTH ? '' : ` --length ${options.maxLength}`;
  const source = (r: PropertyResult) => `${values.config !== undefined ? `--config ${shellQuote(values.config)}` : `--preset ${shellQuote(r.config)}`}${length}`;
  const saveDir = saveDirOf(values);
  const store = saveDir === undefined ? undefined : new CounterexampleStore(saveDir, (w) => io.err(w));
  store?.checkUsable();
  const workers = intFlag('workers', values.workers, defaultWorkers(), 1, 256);
  const started = performance.now();
  const jobs = loaded.map(({ config, preset }) => ({ target: makeTarget(config), expectedViolations: everyPreset && preset ? expectedViolations(preset) : undefined }));
  const progress = progressLine(io, !values.json);
  let shown: ReturnType<typeof searchProgress> | undefined;
  const judged = await checkTargets(jobs, options, workers, (tasks) => {
    shown = searchProgress(progress, `checking ${everyPreset ? 'every preset' : `"${loaded[0]!.config.name}"`}`, tasks.length, `cap ${options.runs} traces of ${options.maxLength} actions per property`);
    return runTasks(tasks, workers, (done, traces) => shown!.searched(done, traces));
  });
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
  const seconds = (performance.now() - started) / 1000;
  const failed = everyPreset ? results.some((r) => !meetsExpectation(r)) : results.some((r) => isFailure(verdictOf(r)) && !r.accepted);
  for (const a of stale) io.err(`warning: ${staleLine(a, results)}`);
  if (values.html !== undefined) io.err(writeCheckHtml(values.html, results, jobs.map((j) => j.target), options, source));
  if (values.json) {
    const warnings = loaded.flatMap((l) => l.warnings);
    const summary = summarize(results, !failed, everyPreset ? null : loaded[0]!.config.name, stale);
    io.out(JSON.stringify({ summary, seed: options.seed, runs: options.runs, maxLength: options.maxLength, seconds, warnings, results }, null, 2));
    return failed ? 1 : 0;
  }
  const width = terminalWidth();
  const header = `every reachable state explored where it fits ${(options.maxStates ?? CHECK_STATE_BUDGET).toLocaleString('en-US')} states (time not passing); otherwise, and for what only time decides, random search from seed ${options.seed}: up to ${options.runs} traces of up to ${options.maxLength} actions per property`;
  if (everyPreset) {
    io.out(`${wrapText(`pgp-cluster-check: every preset, ${header}`, width)}\n`);
    io.out(presetMatrix(loaded.map((l) => l.config.name), results, width));
    io.out(
      `\n${wrapText('verified: holds in every reachable state within the bounds (exhaustive); sampled: no violation in the random traces (or the states) searched; violated; n/a (not applicable); reached / unreached for the `sometimes` properties that guard against vacuous passes; UPPER CASE! marks a verdict that differs from what the preset documents.', width, '  ')}\n`,
    );
  } else {
    const config = loaded[0]!.config;
    io.out(`${wrapText(`pgp-cluster-check: config "${oneLine(config.name)}" (${config.members.length} members), ${header}`, width)}\n`);
    // The risk report: the summary screen, then per property the verdict, why, the shortest trace and the vendor's advice.
    if (results.length > 0) io.out(riskReport(results, { source: source(results[0]!), config, width, stale: stale.map((a) => staleLine(a, results)) }));
  }
  if (everyPreset)
    for (const r of results.filter((x) => x.verdict === 'violated' && x.kind !== 'sometimes')) io.out(`\n${violationReport(r, source(r), width)}`);
  for (const r of results.filter((x) => x.stopped !== undefined))
    io.out(
      `\n${wrapText(`STOPPED EARLY: ${oneLine(r.config)}/${r.property}: the search stopped after ${r.runs} of ${runsFor(r.kind, options).runs} traces: ${r.stopped}; the verdict speaks only for those traces`, width)}`,
    );
  io.out(`\n${wrapText(generatedSummary(results), width, 'actions generated: ', '  ')}\n`);
  if (everyPreset) {
    const mismatches = results.filter((r) => !meetsExpectation(r));
    io.out(
      mismatches.length === 0
        ? `All ${loaded.length} presets gave their documented verdicts (${results.length} checks in ${seconds.toFixed(1)} s).`
        : `${mismatches.length} verdict(s) differ from what the presets document: ${mismatches.map((r) => `${r.config}/${r.property}`).join(', ')} (${seconds.toFixed(1)} s).`,
    );
  } else {
    const violated = results.filter((r) => r.verdict === 'violated' && r.kind !== 'sometimes');
    const accepted = violated.filter((r) => r.accepted).length;
    const time = `(${seconds.toFixed(1)} s)`;
    io.out(
      violated.length === 0
        ? `No violations ${time}.`
        : `${violated.length} propert${violated.length === 1 ? 'y' : 'ies'} violated${accepted === 0 ? '' : accepted === violated.length ? ', all accepted' : `, ${accepted} accepted`} ${time}.`,
    );
  }
  return failed ? 1 : 0;
}

function indexCommand(args: readonly string[], io: Io): number {
  const { positionals } = parseFlags('index', args, {}, 1);
  const dir = positionals[0] ?? DEFAULT_SAVE_DIR;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`index: ${dir} is not a folder`);
  for (const entry of jsonEntries(dir).skipped) io.err(oneLine(skippedWarning(entry)));
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
    io.out(JSON.stringify({ properties, presets, verdicts: VERDICT_MEANINGS, bases: BASIS_MEANINGS }, null, 2));
    return 0;
  }
  io.out('Properties:\n');
  for (const p of properties) io.out(`  ${p.name} (${p.kind})\n    ${p.statement}\n    source: ${p.source}\n`);
  io.out('Verdicts:\n');
  for (const [verdict, meaning] of Object.entries(VERDICT_MEANINGS)) io.out(`  ${verdict}: ${meaning}\n`);
  io.out('What a verdict rests on (its basis):\n');
  for (const [basis, meaning] of Object.entries(BASIS_MEANINGS)) io.out(`  ${basis}: ${meaning}\n`);
  io.out('Presets:\n');
  for (const p of presets)
    io.out(
      `  ${p.name}: ${p.description}\n    expected violations: ${p.violates.length === 0 ? 'none' : p.violates.join(', ')}${p.alsoViolates.length === 0 ? '' : `; lifecycle: ${p.alsoViolates.join(', ')}`}\n`,
    );
  return 0;
}
