/**
 * A command declared once: its usage, summary, flags (each with its value's name and what it does) and
 * what it runs. Its `--help`, its line in the overview, its parser's flags (and the parser's "valid flags"
 * message) and its place in dispatch all derive from the one declaration (`cli/commands.ts` lists them).
 */
import type { Io } from '../io/io.ts';
import { parseFlags } from './args.ts';
import type { CommandHelp } from './help.ts';

export interface FlagDeclaration {
  readonly type: 'string' | 'boolean';
  /** May be given more than once (`--property A --property B`). */
  readonly multiple?: boolean;
  /** The value's name in help (`FILE`, `N`); none for a boolean flag. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandDeclaration<F extends Readonly<Record<string, FlagDeclaration>>> {
  readonly name: string;
  /** Everything after `pgp-cluster-check NAME` in the usage line. */
  readonly usage: string;
  readonly summary: string;
  readonly flags: F;
  /** How many positional arguments it takes (default none). */
  readonly positionals?: number;
  run(parsed: ParsedCommand<F>, io: Io): Promise<number> | number;
}

type FlagValue<D extends FlagDeclaration> = D['type'] extends 'boolean' ? boolean | undefined : D['multiple'] extends true ? string[] | undefined : string | undefined;

export interface ParsedCommand<F extends Readonly<Record<string, FlagDeclaration>>> {
  readonly values: { readonly [K in keyof F]: FlagValue<F[K]> };
  readonly positionals: readonly string[];
}

/** A declared command, as dispatch and help take it. */
export interface DeclaredCommand {
  readonly name: string;
  readonly help: CommandHelp;
  run(args: readonly string[], io: Io): Promise<number>;
}

/** Declares a command: its help and its parser both read `flags`. */
export function declareCommand<F extends Readonly<Record<string, FlagDeclaration>>>(declaration: CommandDeclaration<F>): DeclaredCommand {
  const options = Object.fromEntries(
    Object.entries(declaration.flags).map(([name, flag]) => [name, { type: flag.type, ...(flag.multiple ? { multiple: true } : {}) }]),
  ) as Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  const help: CommandHelp = {
    usage: `pgp-cluster-check ${declaration.name} ${declaration.usage}`,
    summary: declaration.summary,
    flags: [
      ...Object.entries(declaration.flags).map(([name, flag]) => [`--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.help] as const),
      ['--help, -h', 'this help'],
    ],
  };
  return {
    name: declaration.name,
    help,
    run: async (args, io) => {
      const { values, positionals } = parseFlags(declaration.name, args, options, declaration.positionals ?? 0);
      return await declaration.run({ values: values as ParsedCommand<F>['values'], positionals }, io);
    },
  };
}
