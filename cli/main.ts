/**
 * The command line: dispatch to the commands (`check` in `check-command.ts`, `explore`, `replay`,
 * `resync`, `compare`; `list` and `index` here), help, and the error boundary. Exit status 0 when nothing
 * is violated, 1 when something is (or a preset's verdicts differ from its expectations), 2 on bad input
 * or usage, 3 on a failure of the tool's own.
 */
import { existsSync, statSync } from 'node:fs';
import { PRESETS } from '../config/presets.ts';
import { PROPERTIES } from '../properties/index.ts';
import { parseFlags } from './args.ts';
import { terminalWidth, wrapText } from '../reports/width.ts';
import { checkCommand, propertyNames } from './check-command.ts';
import { exploreCommand } from './explore-command.ts';
import { expectedFailure, type Io, processIo, UsageError, usageError } from '../io/io.ts';
import { suggest } from '../io/suggest.ts';
import type { BasisKind, Verdict } from '../checker/verdict.ts';
import { counterexampleFiles, writeIndex } from '../traces/index-file.ts';
import { replayCommand } from './replay.ts';
import { resyncCommand } from './resync.ts';
import { jsonEntries, skippedWarning } from '../io/read.ts';
import { oneLine, terminalSafe } from '../io/untrusted.ts';
import { commandHelp, COMMAND_HELP } from './help.ts';
import { TOOL_VERSION } from '../reports/version.ts';
import { compareCommand } from './compare.ts';
import { DECLARED_COMMANDS } from './commands.ts';
import { DEFAULT_SAVE_DIR, saveDirOf } from '../traces/save-dir.ts';


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
  const declared = DECLARED_COMMANDS.find((c) => c.name === command);
  if (declared !== undefined) return await declared.run(rest, io);
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
