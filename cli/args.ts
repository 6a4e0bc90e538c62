/** Flag parsing with messages that name the flag and what would be valid. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { usageError } from '../io/io.ts';

export function parseFlags<const O extends ParseArgsOptionsConfig>(command: string, args: readonly string[], spec: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args: [...args], options: spec, allowPositionals: true, strict: true, tokens: true });
    if (parsed.positionals.length > positionals)
      throw usageError(`${command}: unexpected argument "${parsed.positionals[positionals]}"; see --help`);
    // parseArgs keeps the last of a repeated flag: `--config A --config B` would check only B, silently.
    const seen = new Set<string>();
    for (const token of parsed.tokens) {
      if (token.kind !== 'option' || spec[token.name]?.multiple) continue;
      if (seen.has(token.name)) throw usageError(`${command}: --${token.name} is given more than once; give it once`);
      seen.add(token.name);
    }
    const { tokens: _tokens, ...rest } = parsed;
    return rest;
  } catch (error) {
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS')) {
      const flags = Object.keys(spec).map((f) => `--${f}`).join(', ');
      throw usageError(`${command}: ${error.message.replace(/\. To specify a positional.*$/s, '')}; valid flags: ${flags}; see pgp-cluster-check ${command} --help`);
    }
    throw error;
  }
}

/** An integer flag within bounds, or a usage error naming the flag. */
export function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw usageError(`--${name}: expected a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw usageError(`--${name}: ${n} is out of range; valid: ${min} to ${max}`);
  return n;
}

/** The longest `--path` accepted: a failing case's path is its run index, then one index per shrinking step. */
export const MAX_PATH_LENGTH = 10_000;

/**
 * `--path P`: fast-check's path to one failing case, `RUN:SHRINK:SHRINK...` in whole numbers. The run
 * index must be within the search's `runs` (fast-check would otherwise generate that many traces first).
 */
export function pathFlag(value: string | undefined, runs: number): string | undefined {
  if (value === undefined) return undefined;
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  if (value.length > MAX_PATH_LENGTH) throw usageError(`--path: ${value.length} characters is too long; valid: at most ${MAX_PATH_LENGTH}`);
  if (!/^(0|[1-9]\d{0,8})(:(0|[1-9]\d{0,8}))*$/.test(value))
    throw usageError(`--path: expected whole numbers separated by ":" (as a reproduce line prints it, for example "12:0:3"), got "${shown}"`);
  const first = Number(value.slice(0, value.indexOf(':') === -1 ? undefined : value.indexOf(':')));
  if (first >= runs) throw usageError(`--path: run ${first} is past the search's ${runs} runs; give --runs with the budget of the search that printed this path`);
  return value;
}
