/**
 * The command line: `check`, `list` (and the commands later issues add). Exit status 0 when nothing is
 * violated, 1 when something is (or a preset's verdicts differ from its expectations), 2 on bad input.
 */
import { randomInt } from 'node:crypto';
import { expectedViolations, PRESETS } from '../config/presets.ts';
import { PROPERTIES } from '../properties/index.ts';
import { intFlag, parseFlags } from './args.ts';
import { type CheckOptions, checkTarget, meetsExpectation, type PropertyResult } from './check.ts';
import { presetMatrix, resultTable, violationReport } from './format.ts';
import { type Io, processIo, UsageError, usageError } from './io.ts';
import { type LoadedConfig, loadConfigFile, loadPreset } from './load.ts';
import { suggest } from '../config/suggest.ts';
import { makeTarget } from './target.ts';

export const DEFAULT_RUNS = 500;
export const DEFAULT_LENGTH = 12;

const HELP = `pgp-cluster-check: a property-based model checker for PGP Encryption Server cluster replication

Usage:
  pgp-cluster-check check [--preset NAME | --config FILE] [--property NAME]... [--runs N] [--seed N]
                          [--length N] [--path P] [--json]
      Random search of the properties on one config, or on every preset (the default).
  pgp-cluster-check list [--json]
      The properties (name, kind, source, statement) and the presets.

Exit status: 0 nothing violated (with every preset: every preset as expected), 1 a violation, 2 bad input.
`;

export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return checkCommand(rest, io);
      case 'list':
        return listCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      default: {
        const close = suggest(command, ['check', 'list', 'help']);
        throw usageError(`unknown command "${command}"; valid: check, list${close ? `; did you mean "${close}"?` : ''}`);
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

function checkCommand(args: readonly string[], io: Io): number {
  const { values } = parseFlags('check', args, {
    preset: { type: 'string' },
    config: { type: 'string' },
    property: { type: 'string', multiple: true },
    runs: { type: 'string' },
    seed: { type: 'string' },
    length: { type: 'string' },
    path: { type: 'string' },
    json: { type: 'boolean' },
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
  const started = performance.now();
  const results: PropertyResult[] = [];
  for (const { config, preset } of loaded) {
    results.push(...checkTarget(makeTarget(config), options, everyPreset && preset ? expectedViolations(preset) : undefined));
  }
  const seconds = (performance.now() - started) / 1000;
  const failed = everyPreset ? results.some((r) => !meetsExpectation(r)) : results.some((r) => r.verdict === 'violated');
  const source = (r: PropertyResult) => (values.config !== undefined ? `--config ${values.config}` : `--preset ${r.config}`);
  if (values.json) {
    io.out(JSON.stringify({ seed: options.seed, runs: options.runs, maxLength: options.maxLength, seconds, results }, null, 2));
    return failed ? 1 : 0;
  }
  const header = `seed ${options.seed}; up to ${options.runs} traces of up to ${options.maxLength} actions per property`;
  if (everyPreset) {
    io.out(`pgp-cluster-check: every preset, ${header}\n`);
    io.out(presetMatrix(loaded.map((l) => l.config.name), results));
    io.out('\n  holds / violated / n/a (not applicable); UPPER CASE! marks a verdict that differs from what the preset documents.\n');
  } else {
    const config = loaded[0]!.config;
    io.out(`pgp-cluster-check: config "${config.name}" (${config.members.length} members), ${header}\n`);
    io.out(resultTable(results));
    io.out('');
  }
  for (const r of results.filter((x) => x.verdict === 'violated')) io.out(`\n${violationReport(r, source(r))}`);
  io.out('');
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
