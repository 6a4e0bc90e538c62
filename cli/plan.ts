/**
 * `plan FILE (--config F | --preset P) [--find] [--property NAME]... [--json] [--max-states N] [--cut-links]`:
 * a maintenance plan checked against every property, with up to `faults.maxDown` further unplanned
 * failures at any point (`pgp/plan.ts`): the first unsafe step and a shortest trace, or a proof that no
 * step is unsafe within the stated bounds. `--find` searches the orders of the plan's per-member groups
 * for a safe one, or proves that none exists. Exit 0: safe (or a safe order found); 1: unsafe (or no
 * safe order); 2: bad input.
 */
import { usageErrors } from '../io/io.ts';
import { oneLine } from '../io/untrusted.ts';
import { list } from '../pgp/advice.ts';
import { readJsonFile } from '../pgp/load.ts';
import {
  checkPlan,
  describePlanAction,
  describeStep,
  findPlanOrder,
  findProblem,
  MAX_PLAN_STEPS,
  type PlanAction,
  type PlanGroup,
  type PlanStep,
  parsePlan,
  type Unsafe,
} from '../pgp/plan.ts';
import { TOOL_VERSION } from '../reports/version.ts';
import { terminalWidth, wrapText } from '../reports/width.ts';
import type { Bounds } from '../checker/verdict.ts';
import { declareCommand } from './command.ts';
import { CHECK_FLAGS, CONFIG_FLAGS, checkOptionsOf, loadOneConfig, propertyNames } from './one-config.ts';
import { count, fitRow, progressLine } from './progress.ts';

/** The most prefixes `--find` explores before it gives up (each an exploration of a whole prefix). */
export const FIND_MAX_EXPLORATIONS = 200;

function actionJson(a: PlanAction) {
  return a.kind === 'step' ? { kind: 'step', index: a.index + 1, step: a.step, text: describePlanAction(a) } : { kind: 'unplanned', action: a.action, text: describePlanAction(a) };
}

function unsafeJson(u: Unsafe, steps: readonly PlanStep[]) {
  return {
    position: u.position,
    step: u.position === 0 ? null : { index: u.position, ...steps[u.position - 1]!, text: describeStep(steps[u.position - 1]!) },
    properties: u.properties,
    property: u.property,
    trace: u.trace.map(actionJson),
    message: u.message,
  };
}

function where(u: Unsafe, steps: readonly PlanStep[]): string {
  return u.position === 0 ? 'before the first step (the config itself, with its unplanned failures: see check)' : `at step ${u.position} (${describeStep(steps[u.position - 1]!)})`;
}

function unsafeLines(u: Unsafe, steps: readonly PlanStep[], width: number, indent = ''): string[] {
  const others = u.properties.filter((p) => p !== u.property);
  const out = [
    wrapText(
      `UNSAFE ${where(u, steps)}: ${u.property} fails there${others.length > 0 ? ` (and ${list(others)})` : ''}; a shortest trace, ${u.trace.length} action${u.trace.length === 1 ? '' : 's'}:`,
      width,
      indent,
      `${indent}  `,
    ),
  ];
  const digits = String(u.trace.length).length;
  for (const [i, a] of u.trace.entries()) out.push(wrapText(describePlanAction(a), width, `${indent}  ${String(i + 1).padStart(digits)}. `));
  out.push(wrapText(`=> ${oneLine(u.message)}`, width, `${indent}  `, `${indent}     `));
  return out;
}

/** The vendor's word on a major upgrade taken member by member, when an unsafe trace takes one (KB 225396). */
const MAJOR_NOTE =
  'Members a major release apart do not replicate (KB 225396): a rolling major upgrade splits the cluster until every member runs the new release, whatever the order. The vendor\'s mitigations: planned downtime, or disabling Directory Synchronization on the first member while it is upgraded and enabling it again once every endpoint points at an upgraded member (KB 225396).';

function takesMajor(u: Unsafe): boolean {
  return u.trace.some((a) => a.kind === 'step' && a.step.type === 'upgrade' && a.step.major !== false);
}

function boundsWords(bounds: Bounds): string {
  return Object.entries(bounds)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
}

function groupName(g: PlanGroup): string {
  return g.member ?? 'waits for replication';
}

export const planCommand = declareCommand({
  name: 'plan',
  usage: 'FILE (--config FILE | --preset NAME) [--find] [--property NAME]... [--json] [--max-states N] [--cut-links]',
  summary:
    'Checks a maintenance plan (ordered steps: take a member out of traffic or down, upgrade it, bring it back, wait for replication) against every property, with up to faults.maxDown further unplanned failures at any point: the first unsafe step and a shortest trace, or a proof that none is within the stated bounds. --find searches the orders of the per-member steps for a safe one, or proves that none exists. Exit 0: safe (a safe order found); 1: unsafe (no safe order); 2: bad input.',
  positionals: 1,
  flags: {
    ...CONFIG_FLAGS,
    find: { type: 'boolean', help: "search the orders of the plan's per-member groups of steps for a safe one" },
    property: { type: 'string', multiple: true, value: 'NAME', help: 'check only this property (repeatable; default: every property but the guards)' },
    json: { type: 'boolean', help: 'one JSON document on stdout' },
    'max-states': CHECK_FLAGS['max-states'],
    'cut-links': { type: 'boolean', help: "unplanned cut links too, as the config allows them (default: unplanned failures are members down)" },
  },
  async run({ values, positionals }, io) {
    const file = positionals[0];
    if (file === undefined) throw usageErrors(['plan: give a plan file: plan FILE (--config FILE | --preset NAME); see pgp-cluster-check plan --help']);
    const properties = propertyNames(values.property);
    const document = readJsonFile(file);
    const one = loadOneConfig('plan', values, io);
    const config = one.loaded.config;
    const parsed = parsePlan(document, file, config);
    if ('problems' in parsed) throw usageErrors(parsed.problems);
    const plan = parsed.plan;
    if (values.find) {
      const problem = findProblem(plan.steps);
      if (problem !== undefined) throw usageErrors([`${file}: ${problem}`]);
    }
    const { options } = checkOptionsOf({ 'max-states': values['max-states'] });
    const width = terminalWidth();
    const progress = progressLine(io, !values.json);
    const onProgress = (states: number, seconds: number) => progress.update(fitRow(`plan: exploring ${count(states)} states, ${seconds.toFixed(1)} s`, width));
    const head = { version: TOOL_VERSION, plan: plan.name, config: config.name };
    const common = { maxStates: options.maxStates!, properties, cutLinks: values['cut-links'] === true, onProgress };
    const header = (what: string) =>
      wrapText(
        `pgp-cluster-check plan${values.find ? ' --find' : ''}: "${oneLine(plan.name)}" (${file}, ${plan.steps.length} steps) on ${one.label} (${config.members.length} members): ${what}, with up to ${config.faults.maxDown} unplanned member${config.faults.maxDown === 1 ? '' : 's'} down at any point besides the plan's own.`,
        width,
        '',
        '  ',
      );
    if (!values.find) {
      const result = checkPlan(config, plan.steps, common);
      progress.done();
      const status = result.safe ? 0 : 1;
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              ...head,
              steps: plan.steps,
              safe: result.safe,
              proven: result.exhausted,
              unsafe: result.unsafe === null ? null : unsafeJson(result.unsafe, plan.steps),
              states: result.states,
              explorations: result.explorations,
              bounds: result.bounds,
              checked: result.checked,
              notExplored: result.notExplored,
              seconds: result.seconds,
            },
            null,
            2,
          ),
        );
        return status;
      }
      const out = [header('every property checked at every step'), ''];
      const digits = String(plan.steps.length).length;
      for (const [i, step] of plan.steps.entries()) out.push(wrapText(describeStep(step), width, `  ${String(i + 1).padStart(digits)}. `));
      out.push('');
      if (result.unsafe !== null) {
        out.push(...unsafeLines(result.unsafe, plan.steps, width));
        if (takesMajor(result.unsafe)) out.push('', wrapText(MAJOR_NOTE, width));
      }
      else if (result.exhausted) out.push(wrapText(`SAFE: no checked property fails at any step (every reachable state explored: ${count(result.states)} states).`, width, '', '  '));
      else out.push(wrapText(`NOT PROVEN: no property failed in the ${count(result.states)} states explored, but an exploration stopped at its state budget (--max-states ${options.maxStates}).`, width, '', '  '));
      out.push('', ...footer(result.checked, result.notExplored, result.bounds, width), wrapText(`(${result.explorations} exploration${result.explorations === 1 ? '' : 's'}, ${count(result.states)} states, ${result.seconds.toFixed(1)} s.)`, width));
      io.out(out.join('\n'));
      return status;
    }
    const found = await findPlanOrder(config, plan.steps, { ...common, maxExplorations: FIND_MAX_EXPLORATIONS });
    progress.done();
    const status = found.order !== undefined ? 0 : 1;
    const prefixSteps = (prefix: readonly PlanGroup[]) => prefix.flatMap((g) => g.steps);
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            ...head,
            groups: found.groups.map((g) => ({ member: g.member ?? null, steps: g.steps })),
            order: found.order === undefined ? null : found.order.map((g) => g.member ?? null),
            steps: found.steps ?? null,
            noneExists: found.noneExists,
            undecided: found.undecided ?? null,
            firstClasses: found.firstClasses,
            unsafe: found.unsafe.map((u) => ({ order: u.prefix.map((g) => g.member ?? null), ...unsafeJson(u.unsafe, prefixSteps(u.prefix)) })),
            explorations: found.explorations,
            states: found.states,
            bounds: found.bounds,
            checked: found.checked,
            notExplored: found.notExplored,
            seconds: found.seconds,
          },
          null,
          2,
        ),
      );
      return status;
    }
    const members = found.groups.filter((g) => g.member !== undefined);
    const out = [
      header(`the orders of its ${members.length} per-member groups searched for one in which no checked property fails at any step`),
      '',
      wrapText(`Groups: ${found.groups.map((g) => `${groupName(g)} (${g.steps.length} step${g.steps.length === 1 ? '' : 's'})`).join(', ')}.`, width, '', '  '),
      '',
    ];
    if (found.order !== undefined) {
      out.push(wrapText(`A SAFE ORDER: ${found.order.map(groupName).join(', ')} (every reachable state of it explored):`, width, '', '  '));
      const steps = found.steps!;
      const digits = String(steps.length).length;
      for (const [i, step] of steps.entries()) out.push(wrapText(describeStep(step), width, `  ${String(i + 1).padStart(digits)}. `));
    } else if (found.noneExists) {
      const alike = members.length - found.firstClasses;
      out.push(
        wrapText(
          `NO ORDER IS SAFE (proven): every order was ruled out by an exploration of its first groups${alike > 0 ? `; ${members.length} groups, ${found.firstClasses === 1 ? 'all' : 'some'} alike under the config's symmetries (the ring's rotations), so ${found.firstClasses} ${found.firstClasses === 1 ? 'was' : 'were'} tried first` : ''}.`,
          width,
          '',
          '  ',
        ),
      );
    } else out.push(wrapText(`NO SAFE ORDER FOUND, and none is proven not to exist: ${found.undecided ?? 'the search stopped'}.`, width, '', '  '));
    const shown = found.unsafe.slice(0, 3);
    if (shown.length > 0 && found.order === undefined) {
      out.push('');
      for (const u of shown) {
        out.push(wrapText(`Starting ${u.prefix.map(groupName).join(', then ')}:`, width, '', '  '));
        out.push(...unsafeLines(u.unsafe, prefixSteps(u.prefix), width, '  '));
      }
      if (found.unsafe.length > shown.length) out.push(wrapText(`(and ${found.unsafe.length - shown.length} more unsafe starts: --json lists them)`, width));
      if (shown.some((u) => takesMajor(u.unsafe))) out.push('', wrapText(MAJOR_NOTE, width));
    }
    out.push('', ...footer(found.checked, found.notExplored, found.bounds, width), wrapText(`(${found.explorations} exploration${found.explorations === 1 ? '' : 's'} of prefixes, ${count(found.states)} states, ${found.seconds.toFixed(1)} s.)`, width));
    io.out(out.join('\n'));
    return status;
  },
});

/** What the verdict rests on: the properties checked and not, and the bounds. */
function footer(checked: readonly string[], notExplored: readonly { property: string; reason: string }[], bounds: Bounds, width: number): string[] {
  return [
    wrapText(`Checked at every step: ${checked.join(', ')}.`, width, '', '  '),
    ...(notExplored.length > 0 ? [wrapText(`Not checked: ${notExplored.map((n) => `${n.property} (${n.reason})`).join('; ')}.`, width, '', '  ')] : []),
    wrapText(`Bounds: ${boundsWords(bounds)}. A step on a member an unplanned failure took down waits until it is back; "take down" waits for replication to go quiet first.`, width, '', '  '),
  ];
}

export { MAX_PLAN_STEPS };
