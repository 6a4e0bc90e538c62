/**
 * `--help` / `-h` for every command: its usage line and each flag it accepts with what it does. A test
 * checks that each command's help lists exactly the flags its parser accepts (read off the parser's own
 * "valid flags" message), so help and parser cannot drift apart.
 */
import { DECLARED_COMMANDS } from './commands.ts';

export interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
  /** Each flag as the user writes it (`--runs N`), and what it does. */
  readonly flags: readonly (readonly [string, string])[];
}

const SAVE_FLAGS = [
  ['--save-dir DIR', 'save counterexamples in DIR (default: ./counterexamples of the working folder, or $PGP_CLUSTER_CHECK_SAVE_DIR)'],
  ['--no-save', 'save nothing'],
] as const;

const LISTED: Readonly<Record<string, CommandHelp>> = {
  check: {
    usage:
      'pgp-cluster-check check [--preset NAME | --config FILE] [--property NAME]... [--max-states N] [--runs N] [--seed N] [--length N] [--path P] [--workers N] [--json] [--html FILE] [--save-dir DIR | --no-save]',
    summary:
      'The properties of one config, or of every preset (the default): explored exhaustively where the reachable states fit --max-states (what only time decides with time passing, each component with the time steps its rules read), otherwise random search. Each violation is saved as a counterexample file. Exit 0: nothing violated (or only risks the config accepts); 1: a violation; 2: bad input.',
    flags: [
      ['--preset NAME', 'check a built-in preset (`pgp-cluster-check list` names them)'],
      ['--config FILE', 'check your own cluster config (JSON; see schema/cluster-config.schema.json)'],
      ['--property NAME', 'check only this property (repeatable)'],
      ['--max-states N', 'the state budget of the exhaustive exploration tried first (default 8,000,000; 0: random search only)'],
      ['--runs N', 'random traces per property (default 500; the guards get ten times as many)'],
      ['--seed N', 'the random seed (default: a fresh one, printed); the same seed gives the same run'],
      ['--length N', 'actions per trace (default 12)'],
      ['--path P', "fast-check's path straight to a failing case (with one --property)"],
      ['--workers N', "worker threads for the random search and for exploring a large space (default: the machine's cores)"],
      ['--json', 'one JSON document on stdout (schema/check-result.schema.json), with a top-level summary'],
      ['--html FILE', 'also write a self-contained HTML report: the summary, then a step-by-step explorer per violation'],
      ...SAVE_FLAGS,
      ['--help, -h', 'this help'],
    ],
  },
  explore: {
    usage:
      'pgp-cluster-check explore (--preset NAME | --config FILE) [--property NAME]... [--depth N] [--max-states N] [--writes N] [--clients N] [--write-once] [--hours LIST [--horizon H|none]] [--full] [--no-symmetry] [--workers N] [--json] [--save-dir DIR | --no-save]',
    summary: 'Exhaustive breadth-first exploration within bounds: every reachable state, the shortest trace to each violation.',
    flags: [
      ['--preset NAME', 'explore a built-in preset'],
      ['--config FILE', 'explore your own cluster config'],
      ['--property NAME', 'explore only this property (repeatable)'],
      ['--depth N', 'the deepest level to explore'],
      ['--max-states N', 'stop after this many states (the cap)'],
      ['--writes N', 'writes per record (0 to 4)'],
      ['--clients N', 'desktop clients (0 to 4)'],
      ['--write-once', 'each record is written at most once'],
      ['--hours LIST', 'the time steps that advance the clock, in hours'],
      ['--horizon H|none', 'how far the clock may run'],
      ['--full', 'explore the full product rather than one record at a time'],
      ['--no-symmetry', 'do not merge states that differ only by a renaming of members'],
      ['--workers N', "threads for a large space (default: the machine's cores; the same result on any number)"],
      ['--json', 'one JSON document on stdout'],
      ...SAVE_FLAGS,
      ['--help, -h', 'this help'],
    ],
  },
  replay: {
    usage: 'pgp-cluster-check replay FILE|DIR [--json | --format text|json|mermaid|html]',
    summary: 'Re-runs a counterexample or scenario file step by step (a folder: every file in it). Exit 0: the file shows what it records; 1: it does not; 2: unreadable or invalid.',
    flags: [
      ['--json', 'the steps as JSON'],
      ['--format F', 'text (default), json, mermaid or html (a self-contained page to step through)'],
      ['--help, -h', 'this help'],
    ],
  },
  compare: {
    usage: 'pgp-cluster-check compare BEFORE.json AFTER.json [--max-states N] [--runs N] [--seed N] [--workers N] [--json]',
    summary:
      'Checks two configs (a change review) and prints, per property, the verdict before and after with what each rests on, what got better, what got worse and the new shortest trace. Exit 1 when something got worse.',
    flags: [
      ['--max-states N', 'the state budget of the exhaustive exploration tried first, the same for both configs (default 8,000,000; 0: random search only)'],
      ['--runs N', 'random traces per property (default 500)'],
      ['--seed N', 'the random seed, the same for both configs (default: a fresh one, printed)'],
      ['--workers N', "worker threads (default: the machine's cores)"],
      ['--json', 'one JSON document on stdout'],
      ['--help, -h', 'this help'],
    ],
  },
  index: {
    usage: 'pgp-cluster-check index [DIR]',
    summary: 'Regenerates DIR/README.md (default counterexamples/), the index of the counterexample files.',
    flags: [['--help, -h', 'this help']],
  },
  resync: {
    usage: 'pgp-cluster-check resync (--preset NAME | --config FILE) [--member M] [--json] [--svg FILE]',
    summary: 'The backlog a returning member owes and its resync time, for outages of 1 hour to 30 days, High Availability against Home Server.',
    flags: [
      ['--preset NAME', 'a built-in config'],
      ['--config FILE', 'a cluster config file (its workload block sets the rates)'],
      ['--member M', 'only this member (default: every member in the cluster from the start)'],
      ['--json', 'one JSON document on stdout'],
      ['--svg FILE', 'also write the plot of resync time against outage length (self-contained SVG)'],
      ['--help, -h', 'this help'],
    ],
  },
  list: {
    usage: 'pgp-cluster-check list [--json]',
    summary: 'The properties (name, kind, source, statement) and the presets.',
    flags: [
      ['--json', 'as JSON'],
      ['--help, -h', 'this help'],
    ],
  },
};

/** Every command's help: those listed above, then those declared once with their parser (`cli/commands.ts`). */
export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  ...LISTED,
  ...Object.fromEntries(DECLARED_COMMANDS.map((c) => [c.name, c.help])),
};

/** The flags a command's help lists, as the parser names them (`--runs`), without `--help`. */
export function helpFlags(command: string): string[] {
  return (COMMAND_HELP[command]?.flags ?? []).map(([flag]) => flag.split(/[ ,]/)[0]!).filter((f) => f !== '--help');
}

/** One command's help text. */
export function commandHelp(command: string, wrap: (text: string, first: string, indent: string) => string): string {
  const help = COMMAND_HELP[command]!;
  const column = Math.max(...help.flags.map(([flag]) => flag.length));
  return [
    wrap(help.usage, 'Usage: ', '         '),
    '',
    wrap(help.summary, '', ''),
    '',
    'Flags:',
    ...help.flags.map(([flag, text]) => wrap(text, `  ${flag.padEnd(column)}  `, ' '.repeat(column + 4))),
  ].join('\n');
}
