/**
 * Where `check` and `explore` save counterexamples (issue 12): `--save-dir DIR`, else the folder the
 * environment variable names, else `./counterexamples/` of the working folder. One exception: a user's
 * config (`--config`) run from this repository, whose `./counterexamples/` is the tool's own regression
 * corpus, saves to `counterexamples/local/` (git-ignored) instead, so the corpus and its index are never
 * changed unasked; presets still save into the corpus, which is what it is for.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usageError } from '../io/io.ts';

/** Where `check` saves counterexamples unless `--save-dir` or `--no-save` says otherwise. */
export const DEFAULT_SAVE_DIR = 'counterexamples';
/** Overrides the default save folder (the test suite points it at a temporary folder). */
export const SAVE_DIR_VARIABLE = 'PGP_CLUSTER_CHECK_SAVE_DIR';
/** Where a user's config saves when the working folder's counterexamples/ is the tool's own corpus. */
export const LOCAL_SAVE_DIR = 'counterexamples/local';
/** The tool's own regression corpus: counterexamples/ beside its package.json. */
export const TOOL_CORPUS = fileURLToPath(new URL('../counterexamples', import.meta.url));

export interface SaveFlags {
  readonly config?: string | undefined;
  readonly 'save-dir'?: string | undefined;
  readonly 'no-save'?: boolean | undefined;
}

/** The folder to save in; undefined with `--no-save`. */
export function saveDirOf(values: SaveFlags, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (values['save-dir'] !== undefined && values['no-save']) throw usageError('give --save-dir or --no-save, not both');
  if (values['save-dir'] === '') throw usageError('--save-dir: expected a folder name, got ""');
  if (values['no-save']) return undefined;
  const chosen = values['save-dir'] ?? (env[SAVE_DIR_VARIABLE] || undefined);
  if (chosen !== undefined) return chosen;
  if (values.config !== undefined && resolve(cwd, DEFAULT_SAVE_DIR) === TOOL_CORPUS) return LOCAL_SAVE_DIR;
  return DEFAULT_SAVE_DIR;
}
