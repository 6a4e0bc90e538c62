/** The `explore` command: flags, the report a person reads, `--json`, and saving what it finds. */
import type { Action } from '../model/actions.ts';
import { describeAction } from '../model/step.ts';
import { intFlag, parseFlags } from './args.ts';
import { CounterexampleStore, saveFinding } from '../traces/save.ts';
import { type ExploreReport, exploreConfig } from '../pgp/explore.ts';
import { numberedTrace, table } from '../reports/format.ts';
import { DEFAULT_HOURS } from '../model/enabled.ts';
import { boundedWarnings, type Io, usageError } from '../io/io.ts';
import { type LoadedConfig, loadConfigFile, loadPreset } from '../pgp/load.ts';
import { count, explorationProgress, progressLine } from './progress.ts';
import { memoryGuard } from '../checker/memory.ts';
import { defaultWorkers } from '../pgp/parallel.ts';
import { makeTarget } from '../pgp/target.ts';
import { oneLine, shellCommand } from '../io/untrusted.ts';

/**
 * With `--hours`, time passes at most `horizon` hours by default: 14 days, an SKM key's validity (so a
 * lapse is within reach) and past a keyserver key's default time to live. The canonical key keeps time
 * relative (`model/row.ts`), so the space is finite without a horizon too (`--horizon none`), but
 * how long ago each copy of each key was cached multiplies it: `--hours 336` on long-outage explores
 * 34,700 states with the default horizon and 204,984 without one (README, "Exhaustive exploration").
 */
export const EXPLORE_DEFAULTS = { writes: 1, clients: 1, maxDepth: 60, maxStates: 20_000_000, horizon: 14 * 24 } as const;

export interface ExploreFlagContext {
  readonly propertyNames: (requested: readonly string[] | undefined) => string[];
  readonly saveDir: (values: { 'save-dir'?: string | undefined; 'no-save'?: boolean | undefined }) => string | undefined;
}

export function exploreCommand(args: readonly string[], io: Io, context: ExploreFlagContext): number {
  const { values } = parseFlags('explore', args, {
    preset: { type: 'string' },
    config: { type: 'string' },
    property: { type: 'string', multiple: true },
    depth: { type: 'string' },
    'max-states': { type: 'string' },
    writes: { type: 'string' },
    clients: { type: 'string' },
    full: { type: 'boolean' },
    'write-once': { type: 'boolean' },
    hours: { type: 'string' },
    horizon: { type: 'string' },
    'no-symmetry': { type: 'boolean' },
    workers: { type: 'string' },
    json: { type: 'boolean' },
    'save-dir': { type: 'string' },
    'no-save': { type: 'boolean' },
  });
  if (values.preset === undefined && values.config === undefined) throw usageError('explore: give --preset NAME or --config FILE');
  if (values.preset !== undefined && values.config !== undefined) throw usageError('explore: give --preset or --config, not both');
  if (values.horizon !== undefined && values.hours === undefined)
    throw usageError('--horizon has no effect without --hours (no time passes): give --hours LIST with it, or leave --horizon out');
  const properties = context.propertyNames(values.property);
  const bounds = {
    writes: intFlag('writes', values.writes, EXPLORE_DEFAULTS.writes, 0, 4),
    clients: intFlag('clients', values.clients, EXPLORE_DEFAULTS.clients, 0, 4),
    maxDepth: intFlag('depth', values.depth, EXPLORE_DEFAULTS.maxDepth, 0, 10_000),
    maxStates: intFlag('max-states', values['max-states'], EXPLORE_DEFAULTS.maxStates, 1, 200_000_000),
    writeOnce: values['write-once'] === true,
    hours: hoursFlag(values.hours),
    ...(values.horizon === undefined && values.hours === undefined
      ? {}
      : values.horizon === 'none'
        ? {}
        : { horizon: horizonFlag(values.horizon) }),
  };
  const saveDir = context.saveDir(values);
  const loaded: LoadedConfig = values.config !== undefined ? loadConfigFile(values.config) : loadPreset(values.preset!);
  const warn = boundedWarnings((line) => io.err(line), oneLine);
  for (const w of loaded.warnings) warn(w);
  const store = saveDir === undefined ? undefined : new CounterexampleStore(saveDir, warn);
  store?.checkUsable();
  const progress = progressLine(io, !values.json);
  const workers = intFlag('workers', values.workers, defaultWorkers(), 1, 256);
  const choices = { full: values.full === true, symmetry: !values['no-symmetry'], properties, stop: heapGuard(), workers };
  const report = exploreConfig(loaded.config, bounds, choices, (p) => progress.update(explorationProgress(oneLine(loaded.config.name), p, bounds.maxStates)));
  progress.done();
  const source = values.config !== undefined ? ['--config', values.config] : ['--preset', loaded.config.name];
  // Every word quoted for a shell: the config's path is the user's (a saved counterexample keeps it in `found.command`, docs/counterexamples.md).
  const command = (property: string) =>
    shellCommand([
      'npx',
      'pgp-cluster-check',
      'explore',
      ...source,
      '--property',
      property,
      ...(bounds.writes === EXPLORE_DEFAULTS.writes ? [] : ['--writes', String(bounds.writes)]),
      ...(bounds.clients === EXPLORE_DEFAULTS.clients ? [] : ['--clients', String(bounds.clients)]),
      ...(values.full ? ['--full'] : []),
      ...(values['write-once'] ? ['--write-once'] : []),
      ...(values.hours !== undefined ? ['--hours', values.hours] : []),
      ...(values.horizon !== undefined ? ['--horizon', values.horizon] : []),
    ]);
  const saved = new Map<string, string>();
  if (store) {
    const target = makeTarget(loaded.config);
    for (const r of report.results) {
      if (r.verdict !== 'violated' || r.shortest === null) continue;
      const found = { seed: 0, runs: 0, originalLength: r.shortest.length, command: command(r.property), by: 'explore', states: report.states };
      const file = saveFinding(store, target, r.property, r.shortest, { step: r.shortest.length, message: r.message ?? 'violated' }, found);
      saved.set(r.property, file.path);
    }
    store.finish();
  }
  warn.finish();
  const violated = report.results.filter((r) => r.verdict === 'violated' || r.verdict === 'unreached');
  if (values.json) {
    io.out(
      JSON.stringify(
        {
          ...report,
          results: report.results.map((r) => ({ ...r, counterexample: saved.get(r.property) ?? null })),
        },
        null,
        2,
      ),
    );
    return violated.length > 0 ? 1 : 0;
  }
  io.out(exploreText(report, saved));
  return violated.length > 0 ? 1 : 0;
}

/**
 * Stops a search whose memory nears a limit, so that it ends with a report of what it explored (marked
 * NOT exhausted) instead of a crash (`checker/memory.ts`).
 */
export function heapGuard(fraction = 0.85): () => string | undefined {
  return memoryGuard('(narrow the bounds: fewer --hours steps, a --horizon, --max-states; or give Node more with NODE_OPTIONS=--max-old-space-size=MB)', fraction);
}

/** `--horizon H`: hours after the start (1 to 100,000); `none` is handled by the caller. */
function horizonFlag(value: string | undefined): number {
  if (value !== undefined && !/^\s*\d+\s*$/.test(value)) throw usageError(`--horizon: expected a whole number of hours or "none", got "${value}"`);
  return intFlag('horizon', value, EXPLORE_DEFAULTS.horizon, 1, 100_000);
}

/** `--hours 24,336`: the time steps, in hours; `--hours default` for the model's default steps. */
function hoursFlag(value: string | undefined): number[] {
  if (value === undefined) return [];
  if (value === 'default') return [...DEFAULT_HOURS];
  const parts = value.split(',').map((p) => p.trim());
  const hours = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || hours.some((h) => h < 1 || h > 10_000))
    throw usageError(`--hours: expected whole numbers of hours from 1 to 10000, separated by commas (or "default": ${DEFAULT_HOURS.join(',')}), got "${value}"`);
  return [...new Set(hours)].sort((a, b) => a - b);
}

export function exploreText(report: ExploreReport, saved: ReadonlyMap<string, string>): string {
  const b = report.bounds;
  const lines = [
    `pgp-cluster-check explore: config "${oneLine(report.config)}"; bounds: ${b.writes} key${b.writes === 1 ? '' : 's'} per record kind${b.writeOnce ? ' (each written at most once)' : ''}, ${b.clients} client${b.clients === 1 ? '' : 's'}, ${(b.hours ?? []).length === 0 ? 'no time passing' : `time steps of ${(b.hours ?? []).join(', ')} hours${b.horizon === undefined ? ', time unbounded' : ` up to ${b.horizon} hours`}`}, depth <= ${b.maxDepth}, at most ${count(b.maxStates)} states`,
    `  bounds:    ${Object.entries(report.boundsText)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`,
    report.reduction === 'per-record'
      ? `  reduction: per record: each record and each client explored on its own against the shared faults (exact for these properties; --full for the product)${report.engine === 'rows' ? ', on rows (model/row.ts), each property judged only where it reads and with only what it reads kept' : ''}`
      : '  reduction: none: the full product of every record and client',
    `  symmetry:  ${report.symmetry === 1 ? 'none (no rotation of the ring maps every member onto an interchangeable one)' : `${report.symmetry} rotations of the ring that map members onto interchangeable ones`}`,
    `  explored ${count(report.states)} distinct states and ${count(report.transitions)} transitions to depth ${report.depth} in ${report.seconds.toFixed(2)} s (${count(report.statesPerSecond)} states/s${report.bytesPerState === null ? '' : `, ${report.bytesPerState} bytes per state`}); ${report.exhausted ? 'exhausted: every reachable state within the bounds was visited, so each verdict below is verified within them' : report.stopped !== null ? `NOT exhausted: stopped early, ${report.stopped}; every level to depth ${report.depthComplete} complete` : `NOT exhausted: a bound was hit (raise --depth or --max-states); every level to depth ${report.depthComplete} complete`}`,
    '',
    table(
      [
        ['property', 'kind', 'verdict', 'shortest'],
        ...report.results.map((r) => [
          r.property,
          r.kind,
          r.verdict === 'not-applicable'
            ? 'n/a'
            : r.verdict === 'violated'
              ? 'VIOLATED'
              : r.verdict === 'unreached'
                ? 'NOT REACHED'
                : r.verdict === 'not-explored'
                  ? `not explored (${r.reason?.startsWith('only time') ? 'no time' : 'cap'})`
                  : r.verdict === 'holds'
                    ? r.basis?.basis === 'exhaustive'
                      ? 'holds (verified)'
                      : 'no violation in the states visited'
                    : r.verdict,
          r.shortest === null ? '-' : `${r.shortest.length} action${r.shortest.length === 1 ? '' : 's'}`,
        ]),
      ],
      '  ',
    ),
    ...(report.exhausted ? [] : ['  (not exhausted: "holds" and "NOT REACHED" speak only for the states visited)']),
  ];
  for (const r of report.results) {
    if (r.verdict !== 'violated' || r.shortest === null) continue;
    lines.push('', `${r.property} is violated; a shortest trace (${r.shortest.length} action${r.shortest.length === 1 ? '' : 's'}):`);
    lines.push(numberedTrace(r.shortest as Action[]), `    => ${oneLine(r.message ?? '')}`);
    const file = saved.get(r.property);
    if (file) lines.push(`  saved:     ${oneLine(file)}`, `  replay:    ${shellCommand(['npx', 'pgp-cluster-check', 'replay', file])}`);
  }
  const witnesses = report.results.filter((r) => r.verdict === 'reached' && r.shortest !== null);
  if (witnesses.length > 0) {
    lines.push('', 'sometimes properties reached (the shortest way there):');
    for (const r of witnesses) lines.push(`  ${r.property}: ${oneLine(r.shortest!.map(describeAction).join(', then ')) || 'the initial state'}`);
  }
  return lines.join('\n');
}
