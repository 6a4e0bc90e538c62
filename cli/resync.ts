/**
 * `pgp-cluster-check resync (--preset P | --config F) [--member M] [--json] [--svg FILE]`: the backlog a
 * returning member owes and its resync time against the length of its outage (1 hour to 30 days), High
 * Availability against Home Server side by side. The numbers come from `model/backlog.ts` (derived from
 * the model's rules) scaled by the config's `workload` (defaults: modelling choices, see docs/resync.md).
 */
import { type ClusterConfig, resolveWorkload, type Workload } from '../config/schema.ts';
import { suggest } from '../io/suggest.ts';
import { BACKLOG_KINDS, type BacklogKind, backlogAt, type OutageBacklog, outageProfile } from '../model/backlog.ts';
import { formatHours, HOURS_PER_DAY, SKM_VALIDITY_HOURS } from '../model/time.ts';
import { resyncSvg } from '../reports/resync-svg.ts';
import { fittedTable } from '../reports/format.ts';
import { terminalWidth, wrapText } from '../reports/width.ts';
import { parseFlags } from './args.ts';
import { memoryInUse, progressLine } from './progress.ts';
import { boundedWarnings, type Io, usageError } from '../io/io.ts';
import { oneLine } from '../io/untrusted.ts';
import { outputTarget, writeOutput } from '../io/write.ts';
import { type LoadedConfig, loadConfigFile, loadPreset } from '../pgp/load.ts';

/** The outage lengths of the table: 1 hour to 30 days. */
export const OUTAGE_HOURS: readonly number[] = [1, 6, 12, 24, 48, 72, 7 * 24, 14 * 24, 21 * 24, 30 * 24];

/** The seed article's claim (000_a582406ee28411e3.txt, KB 153198), quoted beside the curve it produces. */
export const SEED_CLAIM =
  'Once a cluster member becomes available again, a resynchronizing of data should occur and depending on how long the cluster member was down, could take several hours or even days, particularly if PGP Web Messenger is in High Availability Mode.';

export interface MemberResync {
  readonly member: string;
  /** The outage length from which a client enrolled at this member has lost its SKM key, if within 30 days. */
  readonly skmLapseHours: number | null;
  readonly outages: readonly { readonly hours: number; readonly highAvailability: OutageBacklog; readonly homeServer: OutageBacklog }[];
}

export interface ResyncAnalysis {
  readonly config: string;
  readonly workload: Workload;
  readonly maxOutageHours: number;
  readonly members: readonly MemberResync[];
}

/** The members an outage can be asked about: those in the cluster from the start. */
function outageMembers(config: ClusterConfig): string[] {
  return config.members.filter((m) => !m.joinsLater).map((m) => m.id);
}

/**
 * The backlog and resync time of each member (or one) for each outage length, in both account modes.
 * `progress` hears of each outage profile before it is derived (two per member: a large config takes a
 * while).
 */
export function analyseResync(
  config: ClusterConfig,
  member?: string,
  hours: readonly number[] = OUTAGE_HOURS,
  progress: (done: number, total: number, member: string) => void = () => {},
): ResyncAnalysis {
  const workload = resolveWorkload(config);
  const horizon = Math.max(...hours);
  const ids = member === undefined ? outageMembers(config) : [member];
  const members = ids.map((id, i): MemberResync => {
    progress(2 * i, 2 * ids.length, id);
    const ha = outageProfile(config, id, 'highAvailability', horizon);
    progress(2 * i + 1, 2 * ids.length, id);
    const hs = outageProfile(config, id, 'homeServer', horizon);
    return {
      member: id,
      skmLapseHours: ha.skmLapseHours,
      outages: hours.map((h) => ({ hours: h, highAvailability: backlogAt(ha, workload, h), homeServer: backlogAt(hs, workload, h) })),
    };
  });
  return { config: config.name, workload, maxOutageHours: config.faults.maxOutageDays * HOURS_PER_DAY, members };
}

/**
 * One line per member for a text report: "down 1 day: owes ~N changes, resync ≈ H hours", in the
 * config's own account mode. For the report of `check` (reports/text.ts) to call.
 */
export function resyncLine(config: ClusterConfig, member: string, hours = HOURS_PER_DAY): string {
  const profile = outageProfile(config, member, config.webMessenger.accountMode, hours);
  const b = backlogAt(profile, resolveWorkload(config), hours);
  return `${member} down ${formatHours(hours)}: owes ~${count(b.owedTotal)} changes, resync ≈ ${duration(b.resyncHours)}`;
}

/** A count as people say it: `0`, `184`, `4.4k`, `1.3M`. */
export function count(n: number): string {
  if (n === 0) return '0';
  if (n < 1) return '<1';
  if (n < 10_000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** A duration in hours as people say it: `3 min`, `1.2 h`, `2.3 days`. */
export function duration(hours: number): string {
  if (hours === 0) return '0';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / HOURS_PER_DAY).toFixed(1)} days`;
}

const COLUMN_OF: { readonly [K in BacklogKind]: string } = {
  user: 'users',
  privateKey: 'priv.keys',
  domain: 'domains',
  policy: 'policies',
  cachedKey: 'mail keys',
  fetchedKey: 'fetched',
  wmAccount: 'WM accts',
  wmMessage: 'WM msgs',
};

function notes(analysis: ResyncAnalysis, b: OutageBacklog): string {
  const out: string[] = [];
  if (b.beyondMaxOutage) out.push(`beyond maxOutageDays (${formatHours(analysis.maxOutageHours)})`);
  if (b.skmLapsed) out.push('SKM keys of clients pinned here lapsed (KB 157933)');
  if (b.stuckBehind > 0) out.push(`${count(b.stuckBehind)} stuck behind it`);
  return out.join('; ');
}

/**
 * The table of one member's outages, as wide as the terminal: the totals first, then the kinds owed
 * (High Availability), each block repeating the outage; the notes below it, one line each.
 */
function table(analysis: ResyncAnalysis, m: MemberResync, width: number): string {
  const head = ['outage', 'owed HA', 'owed HS', 'purged', 'resync HA', 'resync HS', ...BACKLOG_KINDS.map((k) => COLUMN_OF[k])];
  const rows = m.outages.map(({ hours, highAvailability: ha, homeServer: hs }) => [
    formatHours(hours),
    count(ha.owedTotal),
    count(hs.owedTotal),
    count(BACKLOG_KINDS.reduce((sum, k) => sum + ha.purged[k], 0)),
    duration(ha.resyncHours),
    duration(hs.resyncHours),
    ...BACKLOG_KINDS.map((k) => count(ha.owed[k])),
  ]);
  const noted = m.outages.flatMap((o) => {
    const text = notes(analysis, o.highAvailability);
    return text === '' ? [] : [wrapText(text, width, `  after ${formatHours(o.hours)}: `, '    ')];
  });
  const tabled = fittedTable([head, ...rows], width, { right: (i) => i > 0 });
  return noted.length === 0 ? tabled : `${tabled}\nnotes:\n${noted.join('\n')}`;
}

function textReport(analysis: ResyncAnalysis, width = terminalWidth()): string {
  const w = analysis.workload;
  const parts = [
    wrapText(`Resync after an outage: ${oneLine(analysis.config)} (changes owed to the returning member and time until it holds them; the kind columns are High Availability)`, width),
    wrapText(
      `Workload (changes per hour): users ${w.usersPerHour}, private keys ${w.privateKeysPerHour}, domains ${w.domainsPerHour}, policies ${w.policiesPerHour}, mail-flow keys ${w.cachedKeysPerHour}, fetched keys ${w.fetchedKeysPerHour}, Web Messenger accounts ${w.wmAccountsPerHour} and messages ${w.wmMessagesPerHour}; a hop carries ${w.hopThroughputPerHour} changes per hour.`,
      width,
    ),
  ];
  for (const m of analysis.members) {
    const from = m.outages.at(-1)!.highAvailability.owedFrom;
    parts.push('', wrapText(`${m.member} down (what it is owed comes from ${Object.keys(from).join(', ') || 'no member'}):`, width), table(analysis, m, width));
  }
  parts.push(
    '',
    wrapText(`The seed article (KB 153198): "${SEED_CLAIM}"`, width),
    wrapText(
      'Modelling choices: the rates are defaults unless the config gives a workload block (see docs/resync.md); counts are changes, an upper bound on distinct records; hops run in parallel and rounds one after another.',
      width,
    ),
  );
  return `${parts.join('\n')}\n`;
}

/** The plot of one member's resync time, both account modes, with its bounds and the seed's claim. */
export function resyncPlot(analysis: ResyncAnalysis, m: MemberResync): string {
  return resyncSvg({
    title: `${analysis.config}: resync time of ${m.member} against its outage`,
    series: [
      { label: 'High Availability', colour: '#c0392b', points: m.outages.map((o) => ({ hours: o.hours, resyncHours: o.highAvailability.resyncHours })) },
      { label: 'Home Server', colour: '#2471a3', points: m.outages.map((o) => ({ hours: o.hours, resyncHours: o.homeServer.resyncHours })) },
    ],
    markers: [
      { hours: analysis.maxOutageHours, label: 'maxOutageDays' },
      { hours: SKM_VALIDITY_HOURS, label: 'SKM keys 14 d' },
    ],
    quote: { text: SEED_CLAIM, source: 'the seed article (KB 153198)' },
  });
}

export function resyncCommand(args: readonly string[], io: Io): number {
  const { values } = parseFlags('resync', args, {
    preset: { type: 'string' },
    config: { type: 'string' },
    member: { type: 'string' },
    json: { type: 'boolean' },
    svg: { type: 'string' },
  });
  if ((values.preset === undefined) === (values.config === undefined)) throw usageError('resync: give --preset NAME or --config FILE (one of them)');
  const loaded: LoadedConfig = values.preset !== undefined ? loadPreset(values.preset) : loadConfigFile(values.config!);
  const warn = boundedWarnings((line) => io.err(line), oneLine);
  for (const w of loaded.warnings) warn(w);
  warn.finish();
  const ids = outageMembers(loaded.config);
  if (values.member !== undefined && !ids.includes(values.member)) {
    const close = suggest(values.member, ids);
    throw usageError(`--member: unknown member "${values.member}" (or one that joins later); valid: ${ids.join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
  }
  const svg = values.svg === undefined ? undefined : outputTarget('--svg', values.svg, [values.config]);
  const progress = progressLine(io, !values.json);
  const started = performance.now();
  const analysis = analyseResync(loaded.config, values.member, OUTAGE_HOURS, (done, total, member) =>
    progress.update(
      `resync of "${oneLine(loaded.config.name)}": ${done}/${total} outage profiles (member ${member}, both account modes), ${memoryInUse()}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    ),
  );
  progress.done();
  if (svg !== undefined) writeOutput(svg, resyncPlot(analysis, analysis.members[0]!));
  if (values.json) io.out(JSON.stringify(analysis, null, 2));
  else io.out(textReport(analysis));
  return 0;
}
