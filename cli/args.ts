/** Flag parsing with messages that name the flag and what would be valid. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { usageError } from './io.ts';

export function parseFlags<const O extends ParseArgsOptionsConfig>(command: string, args: readonly string[], spec: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args: [...args], options: spec, allowPositionals: true, strict: true });
    if (parsed.positionals.length > positionals)
      throw usageError(`${command}: unexpected argument "${parsed.positionals[positionals]}"; see --help`);
    return parsed;
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
