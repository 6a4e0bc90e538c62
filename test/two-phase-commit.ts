/**
 * A second plug-in for the checker, in the test suite: two-phase commit, after Stateright's
 * `examples/2pc.rs` (itself after Lamport's TLA+ `TwoPhase`). A transaction manager (TM) and N resource
 * managers (RMs); an RM is working, prepared, committed or aborted; the TM is init, committed or aborted;
 * messages (`Prepared` from an RM, `Commit`, `Abort`) are a set: once sent, a message stays deliverable.
 *
 * Properties: `consistent` (always: no RM committed while another aborted), `commit-reachable` and
 * `abort-reachable` (sometimes). The config `buggy: true` is a TM that commits after the first `Prepared`
 * instead of waiting for all of them, which breaks `consistent`.
 *
 * It exists to show that the commands' code (`checker/run.ts`, `checker/trace-file.ts`) knows nothing of
 * PGP: `checker/plugin.test.ts` checks, explores, saves and replays it through the same functions.
 */
import { produce } from 'immer';
import { match } from 'ts-pattern';
import type { Instance, Parsed, Plugin } from '../checker/plugin.ts';
import type { Model, Outcome } from '../checker/types.ts';

export interface TwoPhaseConfig {
  readonly name: string;
  /** How many resource managers. */
  readonly resourceManagers: number;
  /** The TM commits on the first `Prepared` instead of on all of them. */
  readonly buggy: boolean;
}

export type RmState = 'working' | 'prepared' | 'committed' | 'aborted';
export type TmState = 'init' | 'committed' | 'aborted';

export interface TwoPhaseState {
  readonly rm: readonly RmState[];
  readonly tm: TmState;
  /** The RMs the TM has received `Prepared` from. */
  readonly tmPrepared: readonly boolean[];
  /** The messages sent: `Prepared` per RM, `Commit`, `Abort`. */
  readonly prepared: readonly boolean[];
  readonly commit: boolean;
  readonly abort: boolean;
}

export const TWO_PHASE_ACTIONS = ['tmRcvPrepared', 'tmCommit', 'tmAbort', 'rmPrepare', 'rmChooseToAbort', 'rmRcvCommit', 'rmRcvAbort'] as const;

export type TwoPhaseAction =
  | { readonly type: 'tmRcvPrepared'; readonly rm: number }
  | { readonly type: 'tmCommit' }
  | { readonly type: 'tmAbort' }
  | { readonly type: 'rmPrepare'; readonly rm: number }
  | { readonly type: 'rmChooseToAbort'; readonly rm: number }
  | { readonly type: 'rmRcvCommit'; readonly rm: number }
  | { readonly type: 'rmRcvAbort'; readonly rm: number };

function initial(config: TwoPhaseConfig): TwoPhaseState {
  const n = config.resourceManagers;
  return { rm: Array(n).fill('working'), tm: 'init', tmPrepared: Array(n).fill(false), prepared: Array(n).fill(false), commit: false, abort: false };
}

function candidates(config: TwoPhaseConfig): TwoPhaseAction[] {
  const rms = Array.from({ length: config.resourceManagers }, (_, rm) => rm);
  return [
    ...rms.map((rm) => ({ type: 'tmRcvPrepared', rm }) as const),
    { type: 'tmCommit' },
    { type: 'tmAbort' },
    ...rms.flatMap((rm) => [{ type: 'rmPrepare', rm } as const, { type: 'rmChooseToAbort', rm } as const, { type: 'rmRcvCommit', rm } as const, { type: 'rmRcvAbort', rm } as const]),
  ];
}

/** Why an action is not enabled, or undefined when it is. */
function whyDisabled(config: TwoPhaseConfig, s: TwoPhaseState, action: TwoPhaseAction): string | undefined {
  return match(action)
    .with({ type: 'tmRcvPrepared' }, ({ rm }) =>
      s.tm !== 'init' ? 'the TM has decided' : !s.prepared[rm] ? `RM ${rm} has sent no Prepared` : s.tmPrepared[rm] ? `the TM has RM ${rm}'s Prepared already` : undefined,
    )
    .with({ type: 'tmCommit' }, () =>
      s.tm !== 'init'
        ? 'the TM has decided'
        : (config.buggy ? s.tmPrepared.some(Boolean) : s.tmPrepared.every(Boolean))
          ? undefined
          : config.buggy
            ? 'no RM is prepared'
            : 'not every RM is prepared',
    )
    .with({ type: 'tmAbort' }, () => (s.tm !== 'init' ? 'the TM has decided' : undefined))
    .with({ type: 'rmPrepare' }, ({ rm }) => (s.rm[rm] !== 'working' ? `RM ${rm} is ${s.rm[rm]}` : undefined))
    .with({ type: 'rmChooseToAbort' }, ({ rm }) => (s.rm[rm] !== 'working' ? `RM ${rm} is ${s.rm[rm]}` : undefined))
    .with({ type: 'rmRcvCommit' }, ({ rm }) => (!s.commit ? 'no Commit was sent' : s.rm[rm] === 'committed' ? `RM ${rm} is committed` : undefined))
    .with({ type: 'rmRcvAbort' }, ({ rm }) => (!s.abort ? 'no Abort was sent' : s.rm[rm] === 'aborted' ? `RM ${rm} is aborted` : undefined))
    .exhaustive();
}

function step(s: TwoPhaseState, action: TwoPhaseAction): TwoPhaseState {
  return produce(s, (d) => {
    match(action)
      .with({ type: 'tmRcvPrepared' }, ({ rm }) => {
        d.tmPrepared[rm] = true;
      })
      .with({ type: 'tmCommit' }, () => {
        d.tm = 'committed';
        d.commit = true;
      })
      .with({ type: 'tmAbort' }, () => {
        d.tm = 'aborted';
        d.abort = true;
      })
      .with({ type: 'rmPrepare' }, ({ rm }) => {
        d.rm[rm] = 'prepared';
        d.prepared[rm] = true;
      })
      .with({ type: 'rmChooseToAbort' }, ({ rm }) => {
        d.rm[rm] = 'aborted';
      })
      .with({ type: 'rmRcvCommit' }, ({ rm }) => {
        d.rm[rm] = 'committed';
      })
      .with({ type: 'rmRcvAbort' }, ({ rm }) => {
        d.rm[rm] = 'aborted';
      })
      .exhaustive();
  });
}

export function describeTwoPhase(action: TwoPhaseAction): string {
  return match(action)
    .with({ type: 'tmRcvPrepared' }, ({ rm }) => `the TM receives RM ${rm}'s Prepared`)
    .with({ type: 'tmCommit' }, () => 'the TM commits (sends Commit)')
    .with({ type: 'tmAbort' }, () => 'the TM aborts (sends Abort)')
    .with({ type: 'rmPrepare' }, ({ rm }) => `RM ${rm} prepares (sends Prepared)`)
    .with({ type: 'rmChooseToAbort' }, ({ rm }) => `RM ${rm} chooses to abort`)
    .with({ type: 'rmRcvCommit' }, ({ rm }) => `RM ${rm} receives Commit`)
    .with({ type: 'rmRcvAbort' }, ({ rm }) => `RM ${rm} receives Abort`)
    .exhaustive();
}

export function twoPhaseModel(config: TwoPhaseConfig): Model<TwoPhaseState, TwoPhaseAction> {
  const all = candidates(config);
  return {
    initial: initial(config),
    enabled: (s) => all.filter((a) => whyDisabled(config, s, a) === undefined),
    step,
    whyDisabled: (s, a) => whyDisabled(config, s, a),
    describe: describeTwoPhase,
    classify: (a) => a.type,
  };
}

const holds: Outcome = { holds: true };

function consistent(s: TwoPhaseState): Outcome {
  const committed = s.rm.indexOf('committed');
  const aborted = s.rm.indexOf('aborted');
  return committed !== -1 && aborted !== -1 ? { holds: false, message: `RM ${committed} committed while RM ${aborted} aborted` } : holds;
}

export function twoPhaseInstance(config: TwoPhaseConfig): Instance<TwoPhaseState, TwoPhaseAction> {
  const all = (wanted: RmState) => (s: TwoPhaseState): Outcome => (s.rm.every((r) => r === wanted) ? holds : { holds: false, message: `not every RM is ${wanted}` });
  return {
    model: twoPhaseModel(config),
    key: (s) => JSON.stringify(s),
    bounds: { 'resource managers': config.resourceManagers, 'trace length': 'any' },
    properties: [
      { name: 'consistent', kind: 'always', notApplicable: undefined, property: { name: 'consistent', kind: 'always', check: consistent } },
      { name: 'commit-reachable', kind: 'sometimes', notApplicable: undefined, property: { name: 'commit-reachable', kind: 'sometimes', check: all('committed') } },
      { name: 'abort-reachable', kind: 'sometimes', notApplicable: undefined, property: { name: 'abort-reachable', kind: 'sometimes', check: all('aborted') } },
    ],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseConfig(document: unknown, at: string): Parsed<TwoPhaseConfig> {
  const where = (field: string) => (at === '' ? field : `${at}.${field}`);
  if (!isRecord(document)) return { ok: false, problems: [`${at || 'config'}: expected an object`] };
  const problems: string[] = [];
  const n = document.resourceManagers;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 5) problems.push(`${where('resourceManagers')}: expected a whole number from 1 to 5`);
  if (document.buggy !== undefined && typeof document.buggy !== 'boolean') problems.push(`${where('buggy')}: expected true or false`);
  if (document.name !== undefined && typeof document.name !== 'string') problems.push(`${where('name')}: expected a string`);
  for (const key of Object.keys(document))
    if (!['name', 'resourceManagers', 'buggy'].includes(key)) problems.push(`${where(key)}: unknown field; valid here: name, resourceManagers, buggy`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { name: (document.name as string | undefined) ?? '2pc', resourceManagers: n as number, buggy: document.buggy === true } };
}

function parseAction(json: unknown, at: string, instance: Instance<TwoPhaseState, TwoPhaseAction>): Parsed<TwoPhaseAction> {
  if (!isRecord(json) || typeof json.type !== 'string') return { ok: false, problems: [`${at}: expected an object with a "type"`] };
  const type = json.type;
  if (!(TWO_PHASE_ACTIONS as readonly string[]).includes(type))
    return { ok: false, problems: [`${at}.type: unknown action type ${JSON.stringify(type)}; valid: ${TWO_PHASE_ACTIONS.join(', ')}`] };
  if (type === 'tmCommit' || type === 'tmAbort') {
    const extra = Object.keys(json).filter((k) => k !== 'type');
    return extra.length > 0 ? { ok: false, problems: extra.map((k) => `${at}.${k}: unknown field of a ${type} action`) } : { ok: true, value: { type } };
  }
  const rms = instance.model.initial.rm.length;
  const rm = json.rm;
  if (typeof rm !== 'number' || !Number.isInteger(rm) || rm < 0 || rm >= rms) return { ok: false, problems: [`${at}.rm: expected an RM number from 0 to ${rms - 1}`] };
  const extra = Object.keys(json).filter((k) => k !== 'type' && k !== 'rm');
  if (extra.length > 0) return { ok: false, problems: extra.map((k) => `${at}.${k}: unknown field of a ${type} action`) };
  return { ok: true, value: { type: type as Exclude<TwoPhaseAction['type'], 'tmCommit' | 'tmAbort'>, rm } };
}

export const twoPhasePlugin: Plugin<TwoPhaseConfig, TwoPhaseState, TwoPhaseAction> = {
  name: 'two-phase-commit',
  parseConfig,
  presets: [
    { name: '2pc', config: { name: '2pc', resourceManagers: 3, buggy: false }, expectedViolations: [] },
    { name: '2pc-buggy', config: { name: '2pc-buggy', resourceManagers: 3, buggy: true }, expectedViolations: ['consistent'] },
  ],
  configName: (config) => config.name,
  instantiate: twoPhaseInstance,
  propertyNames: ['consistent', 'commit-reachable', 'abort-reachable'],
  parseAction,
  encodeAction: (action) => action,
  describeAction: describeTwoPhase,
};
