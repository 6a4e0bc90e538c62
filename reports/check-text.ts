/**
 * `check`'s text report: a header with what the verdicts rest on; with every preset, the matrix of
 * verdicts and each unexpected or documented violation; with one config, the risk report
 * (`reports/text.ts`); then any search stopped early, the actions generated, and one closing line.
 */
import type { ClusterConfig } from '../config/schema.ts';
import { oneLine } from '../io/untrusted.ts';
import { CHECK_STATE_BUDGET, type CheckOptions, meetsExpectation, type PropertyResult, runsFor } from '../pgp/check.ts';
import { generatedSummary, holdsCell, presetMatrix, violationReport } from './format.ts';
import { stoppedExplorations } from './summary.ts';
import { riskReport } from './text.ts';
import { wrapText } from './width.ts';

export interface CheckTextOptions {
  /** The configs checked, in order (every preset, or the one config). */
  readonly configs: readonly ClusterConfig[];
  readonly everyPreset: boolean;
  readonly options: CheckOptions;
  readonly seconds: number;
  /** The `--preset`/`--config` part of a result's reproduce line. */
  source(result: PropertyResult): string;
  /** One line per acceptance in the config that matched no violation. */
  readonly stale: readonly string[];
  readonly width: number;
}

export function checkText(results: readonly PropertyResult[], { configs, everyPreset, options, seconds, source, stale, width }: CheckTextOptions): string {
  const out: string[] = [];
  const header = `every reachable state explored where it fits ${(options.maxStates ?? CHECK_STATE_BUDGET).toLocaleString('en-US')} states (what time decides with time passing, the rest without); otherwise random search from seed ${options.seed}: up to ${options.runs} traces of up to ${options.maxLength} actions per property`;
  if (everyPreset) {
    out.push(`${wrapText(`pgp-cluster-check: every preset, ${header}`, width)}\n`);
    out.push(presetMatrix(configs.map((c) => c.name), results, width));
    // The legend names only the words the matrix uses: "sampled" where some verdict is.
    const sampled = results.some((r) => r.verdict === 'holds' && holdsCell(r) === 'sampled')
      ? ' sampled: no violation in the random traces (or the states) searched;'
      : '';
    out.push(
      `\n${wrapText(`verified: holds in every reachable state within the bounds (exhaustive);${sampled} violated; n/a (not applicable); reached / unreached for the \`sometimes\` properties that guard against vacuous passes; UPPER CASE! marks a verdict that differs from what the preset documents.`, width, '  ')}\n`,
    );
    // Every preset's exploration that did not finish (with one config, the risk report's summary says it).
    for (const stopped of stoppedExplorations(results)) out.push(`\n${wrapText(stopped.message, width, '', '  ')}\n`);
  } else {
    const config = configs[0]!;
    out.push(`${wrapText(`pgp-cluster-check: config "${oneLine(config.name)}" (${config.members.length} members), ${header}`, width)}\n`);
    // The risk report: the summary screen, then per property the verdict, why, the shortest trace and the vendor's advice.
    if (results.length > 0) out.push(riskReport(results, { source: source(results[0]!), config, width, stale }));
  }
  if (everyPreset)
    for (const r of results.filter((x) => x.verdict === 'violated' && x.kind !== 'sometimes')) out.push(`\n${violationReport(r, source(r), width)}`);
  // A random search stopped by the memory guard (an exploration's stop is in the summary above).
  for (const r of results) {
    if (r.basis?.basis !== 'random' || r.basis.stopped === undefined) continue;
    out.push(
      `\n${wrapText(
        `STOPPED EARLY: ${oneLine(r.config)}/${r.property}: the search stopped after ${r.basis.runs} of ${runsFor(r.kind, options).runs} traces: ${r.basis.stopped}; the verdict speaks only for those traces`,
        width,
      )}`,
    );
  }
  out.push(`\n${wrapText(generatedSummary(results), width, 'actions generated: ', '  ')}\n`);
  out.push(closingLine(results, configs.length, everyPreset, seconds));
  return out.join('');
}

function closingLine(results: readonly PropertyResult[], configs: number, everyPreset: boolean, seconds: number): string {
  if (everyPreset) {
    const mismatches = results.filter((r) => !meetsExpectation(r));
    return mismatches.length === 0
      ? `All ${configs} presets gave their documented verdicts (${results.length} checks in ${seconds.toFixed(1)} s).`
      : `${mismatches.length} verdict(s) differ from what the presets document: ${mismatches.map((r) => `${r.config}/${r.property}`).join(', ')} (${seconds.toFixed(1)} s).`;
  }
  const violated = results.filter((r) => r.verdict === 'violated' && r.kind !== 'sometimes');
  const accepted = violated.filter((r) => r.accepted).length;
  const time = `(${seconds.toFixed(1)} s)`;
  return violated.length === 0
    ? `No violations ${time}.`
    : `${violated.length} propert${violated.length === 1 ? 'y' : 'ies'} violated${accepted === 0 ? '' : accepted === violated.length ? ', all accepted' : `, ${accepted} accepted`} ${time}.`;
}
