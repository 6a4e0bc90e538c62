/**
 * What the commands about one config share (`repair`, `tolerance`, `plan`): `--config FILE` or `--preset
 * NAME` (one of them), the config document as written (a repaired config is written from it), and the
 * options of the checks they run, the same as `check`'s (a state budget, and for what exploration does not decide
 * a random search from a seed).
 */
import { randomInt } from 'node:crypto';
import { CHECK_STATE_BUDGET, type CheckOptions } from '../pgp/check.ts';
import { type LoadedConfig, loadConfigFile, loadPreset, readJsonFile } from '../pgp/load.ts';
import { defaultWorkers } from '../pgp/parallel.ts';
import { type Io, usageError } from '../io/io.ts';
import { shellQuote } from '../io/untrusted.ts';
import { intFlag } from './args.ts';
import { DEFAULT_LENGTH, DEFAULT_RUNS, propertyNames } from './check-command.ts';
import type { FlagDeclaration } from './command.ts';

export const CONFIG_FLAGS = {
  config: { type: 'string', value: 'FILE', help: 'your own cluster config (JSON; see schema/cluster-config.schema.json)' },
  preset: { type: 'string', value: 'NAME', help: 'a built-in preset (`pgp-cluster-check list` names them)' },
} as const satisfies Record<string, FlagDeclaration>;

/** The flags of the checks a command runs: as `check`'s. */
export const CHECK_FLAGS = {
  'max-states': {
    type: 'string',
    value: 'N',
    help: `the state budget of each exhaustive exploration (default ${CHECK_STATE_BUDGET.toLocaleString('en-US')}); what does not fit is searched at random`,
  },
  runs: { type: 'string', value: 'N', help: `random traces per property, for what exploration does not decide (default ${DEFAULT_RUNS})` },
  seed: { type: 'string', value: 'N', help: 'the random seed (default: a fresh one, printed); the same seed gives the same run' },
  workers: { type: 'string', value: 'N', help: "worker threads for the random searches (default: the machine's cores)" },
} as const satisfies Record<string, FlagDeclaration>;

export interface OneConfig {
  readonly loaded: LoadedConfig;
  /** The config document as written (for a preset, its config). */
  readonly document: unknown;
  /** How to name it on a command line: `--config FILE` or `--preset NAME`. */
  readonly source: string;
  /** How to name it in a sentence: `"acme" (acme.json)`, `the preset "dmz-ring"`. */
  readonly label: string;
}

export function loadOneConfig(command: string, values: { readonly config?: string | undefined; readonly preset?: string | undefined }, io: Io): OneConfig {
  if ((values.config === undefined) === (values.preset === undefined)) throw usageError(`${command}: give --config FILE or --preset NAME (one of them); see pgp-cluster-check ${command} --help`);
  const loaded = values.config !== undefined ? loadConfigFile(values.config) : loadPreset(values.preset!);
  for (const w of loaded.warnings) io.err(w);
  if (values.config !== undefined)
    return { loaded, document: readJsonFile(values.config), source: `--config ${shellQuote(values.config)}`, label: `"${loaded.config.name}" (${values.config})` };
  return { loaded, document: loaded.config, source: `--preset ${shellQuote(values.preset!)}`, label: `the preset "${values.preset}"` };
}

export interface CheckFlagValues {
  readonly 'max-states'?: string | undefined;
  readonly runs?: string | undefined;
  readonly seed?: string | undefined;
  readonly workers?: string | undefined;
}

/** The options of `check` from the shared flags; `properties` empty: every property. */
export function checkOptionsOf(values: CheckFlagValues): { options: CheckOptions; workers: number } {
  return {
    options: {
      runs: intFlag('runs', values.runs, DEFAULT_RUNS, 1, 10_000_000),
      seed: intFlag('seed', values.seed, randomInt(2 ** 31 - 1), -(2 ** 31), 2 ** 31 - 1),
      maxLength: DEFAULT_LENGTH,
      properties: [],
      maxStates: intFlag('max-states', values['max-states'], CHECK_STATE_BUDGET, 1, 200_000_000),
    },
    workers: intFlag('workers', values.workers, defaultWorkers(), 1, 256),
  };
}

export { propertyNames };
