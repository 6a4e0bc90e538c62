/** Reading JSON files users give us, with messages that name the file and where in it. */
import { findPreset, PRESETS, type Preset } from '../config/presets.ts';
import { MAX_MEMBERS } from '../config/schema.ts';
import { PROPERTIES } from '../properties/index.ts';
import type { Acceptance, ClusterConfig } from '../config/schema.ts';
import { suggest } from '../io/suggest.ts';
import { formatProblem, validateConfig } from '../config/validate.ts';
import { acceptanceProblems } from './accept.ts';
import { readTextFile } from '../io/read.ts';
import { usageError, usageErrors } from '../io/io.ts';
import { duplicateKeys, locateJsonError } from '../io/json-error.ts';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Parses JSON text; on a syntax error, or nesting deeper than `MAX_JSON_DEPTH`, a message with the line
 * and column. The reader that finds the position is iterative, so no text overflows the stack.
 */
export function parseJson(file: string, text: string): unknown {
  const located = locateJsonError(text);
  if (located !== undefined) {
    const { line, column } = lineColumn(text, located.offset);
    throw usageError(`${file}:${line}:${column}: invalid JSON: ${located.message}`);
  }
  let document: unknown;
  try {
    // Editors on Windows may start a UTF-8 file with a byte order mark, which JSON.parse rejects.
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw usageError(`${file}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Valid JSON, but a repeated field would silently lose all but its last value (two "faults" blocks).
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0)
    throw usageError(
      ...duplicates.map(({ key, offset, firstOffset }) => {
        const at = lineColumn(text, offset);
        return `${file}:${at.line}:${at.column}: field "${key}" appears twice in one object (also at line ${lineColumn(text, firstOffset).line}); JSON would keep only the last: merge them`;
      }),
    );
  return document;
}

/** A JSON file: a regular file within the size limit (`io/read.ts`), parsed with positions on errors. */
export function readJsonFile(file: string): unknown {
  return parseJson(file, readTextFile(file));
}

export interface LoadedConfig {
  readonly config: ClusterConfig;
  /** The risks the config accepts on purpose (none for a preset). */
  readonly accept: readonly Acceptance[];
  readonly warnings: readonly string[];
  readonly preset: Preset | undefined;
}

/**
 * The most `accept` entries a config can need: one for each property of the catalogue, for the whole
 * cluster and for each member. A longer list is refused with one message, before it is validated entry by
 * entry.
 */
export function maxAcceptances(members: number): number {
  return PROPERTIES.length * (members + 1);
}

function acceptTooLong(file: string, document: unknown): void {
  if (document === null || typeof document !== 'object' || !('accept' in document) || !Array.isArray(document.accept)) return;
  const members = 'members' in document && Array.isArray(document.members) ? Math.min(document.members.length, MAX_MEMBERS) : MAX_MEMBERS;
  const max = maxAcceptances(members);
  if (document.accept.length > max)
    throw usageError(
      `${file}: accept: ${document.accept.length.toLocaleString('en-US')} entries; a config of ${members} members needs at most ${max} (one per property of the catalogue, for the whole cluster and for each member)`,
    );
}

/** An entry that accepts what an earlier one already does (the same property, the same members). */
function duplicateAcceptances(accept: readonly Acceptance[]): string[] {
  const first = new Map<string, number>();
  return accept.flatMap((a, i) => {
    const key = JSON.stringify([a.property, a.members === undefined ? null : [...a.members].sort()]);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, i);
      return [];
    }
    return [`accept[${i}]: the same as accept[${earlier}] (${a.property}${a.members === undefined ? '' : `, members ${a.members.join(', ')}`}); remove one`];
  });
}

export function loadConfigFile(file: string): LoadedConfig {
  const document = readJsonFile(file);
  acceptTooLong(file, document);
  const result = validateConfig(document);
  if (!result.ok) throw usageErrors(result.errors.map(formatProblem), `${file}: `);
  const unknown = [...acceptanceProblems(result.accept), ...duplicateAcceptances(result.accept)];
  if (unknown.length > 0) throw usageErrors(unknown, `${file}: `);
  return { config: result.config, accept: result.accept, warnings: result.warnings.map((p) => `${file}: warning: ${formatProblem(p)}`), preset: undefined };
}

export function loadPreset(name: string): LoadedConfig {
  const preset = findPreset(name);
  if (!preset) {
    const names = PRESETS.map((p) => p.name);
    const close = suggest(name, names);
    throw usageError(`--preset: unknown preset "${name}"; valid: ${names.join(', ')}${close ? `; did you mean "${close}"?` : ''}`);
  }
  return { config: preset.config, accept: [], warnings: [], preset };
}
