/**
 * `tolerance (--config F | --preset P) [--property NAME]... [--json] [--max-states N]`: per property, how
 * much failure the cluster survives (`pgp/tolerance.ts`): the most members down at once under which it
 * holds, and whether one cut link (and, with sites, one site split) is survived; for each first failing
 * level the smallest failing set. One table, every cell resting on an exhaustive exploration within the
 * stated bounds. Exit 0 when it ran (whatever the table says), 2 on bad input.
 */
import { oneLine } from '../io/untrusted.ts';
import { list } from '../pgp/advice.ts';
import { type FaultCell, type PropertyTolerance, type Tolerance, tolerance } from '../pgp/tolerance.ts';
import { fittedTable } from '../reports/format.ts';
import { TOOL_VERSION } from '../reports/version.ts';
import { terminalWidth, wrapText } from '../reports/width.ts';
import { describeAction } from '../model/step.ts';
import { declareCommand } from './command.ts';
import { CHECK_FLAGS, CONFIG_FLAGS, checkOptionsOf, loadOneConfig, propertyNames } from './one-config.ts';
import { count, fitRow, progressLine } from './progress.ts';

function downCell(p: PropertyTolerance, t: Tolerance): string {
  if (p.notApplicable !== null) return 'n/a';
  if (p.survivesDown === null) return 'not explored';
  const proof = p.proven ? '' : ' (not proven)';
  return p.survivesDown < 0 ? 'none (fails all up)' : `${p.survivesDown} of ${t.mostDown}${proof}`;
}

function failingCell(p: PropertyTolerance): string {
  const f = p.firstFailure;
  if (f === null) return p.survivesDown === null ? '' : '-';
  return `${f.level}: ${f.down.length === 0 ? 'none needed' : f.down.join(', ')}`;
}

function faultCell(cell: FaultCell | undefined): string {
  if (cell === undefined) return '';
  if (cell.verdict === 'not-explored') return '';
  if (cell.verdict === 'survived') return cell.proven ? 'survived' : 'survived (not proven)';
  return cell.failure.cut.length > 0 ? `fails: ${cell.failure.cut.join(', ')}` : 'fails';
}

export function toleranceText(t: Tolerance, label: string, width: number): string {
  const bounds = Object.entries(t.bounds)
    .filter(([k]) => k !== 'members')
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  const out = [
    wrapText(
      `pgp-cluster-check tolerance: ${label} (${t.members} members): each property explored exhaustively with k members down at once and no link cut, for each k up to ${t.mostDown} (all but one); then ${t.columns.map((c) => `${c.name} (${c.means})`).join(', ')}. "survives down": the most members down at once under which it holds, of ${t.mostDown}; "fails first with": the fewest members down that break it, and which. Bounds: ${bounds}.`,
      width,
      '',
      '  ',
    ),
    '',
  ];
  const explored = t.properties.filter((p) => p.notApplicable === null && p.notExplored === null);
  const rows = [
    ['property', 'survives down', 'fails first with', ...t.columns.map((c) => c.name)],
    ...explored.map((p) => [p.property, downCell(p, t), failingCell(p), ...t.columns.map((c) => faultCell(p.faults[c.name]))]),
  ];
  out.push(fittedTable(rows, width));
  const failures: string[] = [];
  for (const p of explored) {
    if (p.firstFailure !== null)
      failures.push(
        wrapText(
          `${p.property} fails with ${p.firstFailure.level} down (${list([...p.firstFailure.down])}): ${p.firstFailure.actions.map(describeAction).join(', then ') || 'the initial state'}; => ${oneLine(p.firstFailure.message)}`,
          width,
          '  ',
          '    ',
        ),
      );
    for (const c of t.columns) {
      const cell = p.faults[c.name];
      if (cell?.verdict === 'failed')
        failures.push(
          wrapText(
            `${p.property} fails with ${c.name}${cell.failure.cut.length > 0 ? ` (${cell.failure.cut.join(', ')})` : ''}: ${cell.failure.actions.map(describeAction).join(', then ')}; => ${oneLine(cell.failure.message)}`,
            width,
            '  ',
            '    ',
          ),
        );
    }
  }
  if (failures.length > 0) out.push('', 'The shortest failures:', ...failures);
  const skipped = t.properties.filter((p) => p.notApplicable !== null || p.notExplored !== null);
  const notApplicable = skipped.filter((p) => p.notApplicable !== null).map((p) => p.property);
  const timeOnly = skipped.filter((p) => p.notExplored !== null).map((p) => p.property);
  out.push('');
  if (notApplicable.length > 0) out.push(wrapText(`Not applicable: ${notApplicable.join(', ')}.`, width, '', '  '));
  if (timeOnly.length > 0) out.push(wrapText(`Not explored (only time passing can break them, and these explorations let no time pass): ${timeOnly.join(', ')}.`, width, '', '  '));
  const states = t.explorations.reduce((sum, e) => sum + e.states, 0);
  out.push(
    wrapText(
      `${t.explorations.length} explorations, ${count(states)} states: ${t.explorations.map((e) => `${e.fault === 'members down' ? `${e.level} down` : e.fault} ${count(e.states)}${e.finished ? '' : ' (NOT finished)'}`).join(', ')} (${t.seconds.toFixed(1)} s).`,
      width,
    ),
  );
  return out.join('\n');
}

export const toleranceCommand = declareCommand({
  name: 'tolerance',
  usage: '(--config FILE | --preset NAME) [--property NAME]... [--json] [--max-states N]',
  summary:
    'Per property, how much failure the cluster survives: the most members down at once under which it holds (from none to all but one), whether one cut link is survived, and with sites whether one site split is; for each first failing level, the smallest failing set (members, link or site). One table; every cell rests on an exhaustive exploration within the stated bounds. Exit 0 when it ran, 2 on bad input.',
  flags: {
    ...CONFIG_FLAGS,
    property: { type: 'string', multiple: true, value: 'NAME', help: 'only this property (repeatable; default: every property but the guards)' },
    json: { type: 'boolean', help: 'one JSON document on stdout' },
    'max-states': CHECK_FLAGS['max-states'],
  },
  async run({ values }, io) {
    const properties = propertyNames(values.property);
    const one = loadOneConfig('tolerance', values, io);
    const { options } = checkOptionsOf({ 'max-states': values['max-states'] });
    const progress = progressLine(io, !values.json);
    const width = terminalWidth();
    const t = await tolerance(one.loaded.config, {
      properties,
      maxStates: options.maxStates!,
      onProgress: (what, p) => progress.update(fitRow(`tolerance: exploring ${what}: ${count(p.states)} states, ${p.seconds.toFixed(1)} s`, width)),
    });
    progress.done();
    if (values.json) io.out(JSON.stringify({ version: TOOL_VERSION, ...t }, null, 2));
    else io.out(toleranceText(t, one.label, width));
    return 0;
  },
});
