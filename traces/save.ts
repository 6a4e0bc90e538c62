/**
 * Saving counterexamples (docs/counterexamples.md, saving): the store of a folder. The file format is
 * `counterexample.ts`'s, the index `index-file.ts`'s, and every write goes through `io/write.ts`.
 *
 * - Names are stable and readable: `<config>--<property>--<hash>.json`, the hash a short SHA-256 of config +
 *   property + actions (`counterexampleName`).
 * - Writes are atomic and never replace a file (`writeNewFile`): a file is never half-written.
 * - A different file is never overwritten: if the name is taken by a file that records something else
 *   (a hash collision, or a file edited by hand), the new one is saved as `<name>-2.json`, `-3`, ...
 * - Saving the same violation twice is a no-op: a file with the same config, property and actions that
 *   expects the violation is reported as `unchanged`.
 * - A violation the folder already documents is not saved again: when a file for the same config and
 *   property (a different trace) expects the violation and still reproduces it, the new trace is reported
 *   as `known`, pointing at that file. So `npm start`, which searches with a fresh seed each time, does
 *   not add a near-copy of every known risk at every run; a new file appears only for a config and
 *   property that no file shows yet, or when the files that show it no longer reproduce.
 */
import { accessSync, constants, existsSync, lstatSync, readlinkSync, type Stats, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Action } from '../model/actions.ts';
import type { CheckOptions, PropertyResult } from '../pgp/check.ts';
import type { Target } from '../pgp/target.ts';
import {
  buildCounterexample,
  type CounterexampleDocument,
  type FoundBy,
  canonicalJson,
  counterexampleName,
  counterexampleText,
  identityOf,
  type LoadedCounterexample,
  loadTraceFile,
  type RecordedViolation,
} from './counterexample.ts';
import { replayCounterexample } from './replay.ts';
import { writeIndex } from './index-file.ts';
import { jsonEntries, makeFolder, skippedWarning } from '../io/read.ts';
import { describeSystemError, systemErrorCode, UsageError, usageError } from '../io/io.ts';
import { oneLine, shellCommand, shellQuote } from '../io/untrusted.ts';
import { sweepTemporaryFiles, tryWriting, writeNewFile } from '../io/write.ts';

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (systemErrorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** `written`: a new file; `unchanged`: this very violation was already saved; `known`: another trace of it is. */
export type SaveStatus = 'written' | 'unchanged' | 'known';

export interface SaveResult {
  readonly status: SaveStatus;
  /** The file that records the violation: the new one, or the one already there. */
  readonly path: string;
}

/** A folder of counterexamples that `check` saves into. */
export class CounterexampleStore {
  private loaded: LoadedCounterexample[] | undefined;
  /** Files written by this store, in order. */
  readonly written: string[] = [];

  constructor(
    readonly dir: string,
    private readonly warn: (text: string) => void = () => {},
  ) {}

  /**
   * Fails early (exit 2), before any search, when the folder cannot be used: it is not a folder, a link
   * to nothing, cannot be listed or written, or cannot be created. Removes the temporary files a killed
   * run left there.
   */
  checkUsable(): void {
    const refuse = (why: string) => usageError(`cannot save a counterexample in ${this.dir}: ${why}`);
    try {
      const link = lstatOrUndefined(this.dir);
      if (link?.isSymbolicLink() && !existsSync(this.dir)) throw refuse(`it is a symbolic link to ${readlinkSync(this.dir)}, which does not exist`);
      if (link === undefined) {
        // Created at the first save: its nearest existing folder must be writable.
        let here = dirname(this.dir);
        while (!existsSync(here) && dirname(here) !== here) here = dirname(here);
        if (!statSync(here).isDirectory()) throw refuse(`${here} is not a folder`);
        accessSync(here, constants.W_OK);
        return;
      }
      if (!statSync(this.dir).isDirectory()) throw usageError(`--save-dir: ${this.dir} is not a directory`);
      let entries: ReturnType<typeof jsonEntries>;
      try {
        entries = jsonEntries(this.dir);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        throw refuse(error.problems[0] ?? 'cannot list the folder');
      }
      for (const entry of entries.skipped) this.warn(skippedWarning(entry));
      sweepTemporaryFiles(this.dir);
      tryWriting(this.dir);
    } catch (error) {
      const code = systemErrorCode(error);
      if (code === undefined) throw error;
      throw refuse(describeSystemError(code));
    }
  }

  /**
   * After a run that saved (or would have: every saving run), the index is brought up to date, so an
   * index a killed run did not write is restored by the next one.
   */
  finish(): void {
    if (existsSync(this.dir)) writeIndex(this.dir, this.warn);
  }

  private existing(): LoadedCounterexample[] {
    if (this.loaded) return this.loaded;
    this.loaded = [];
    for (const file of jsonEntries(this.dir).files) {
      try {
        const loaded = loadTraceFile(file);
        if (loaded.kind === 'counterexample') this.loaded.push(loaded);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        this.warn(`warning: ${oneLine(error.problems[0] ?? '')} (this file is ignored when saving; \`${shellCommand(['npx', 'pgp-cluster-check', 'replay', file])}\` lists every problem)`);
      }
    }
    return this.loaded;
  }

  /** Saves a counterexample unless the folder already records it (see the file comment). */
  save(document: CounterexampleDocument, target: Target): SaveResult {
    const identity = identityOf(document.config, document.property, document.actions);
    const existing = this.existing();
    const same = existing.find(
      (e) => e.document.expect === 'violated' && identityOf(e.document.config, e.document.property, e.document.actions) === identity,
    );
    if (same) return { status: 'unchanged', path: same.file };
    const config = canonicalJson(document.config);
    const known = existing.find(
      (e) =>
        e.document.expect === 'violated' &&
        e.document.property === document.property &&
        canonicalJson(e.document.config) === config &&
        replayCounterexample(e).ok,
    );
    if (known) return { status: 'known', path: known.file };
    const name = counterexampleName(document.config, document.property, document.actions);
    const text = counterexampleText(document);
    try {
      makeFolder(this.dir);
      for (let n = 1; n < 1000; n++) {
        const path = join(this.dir, n === 1 ? name : name.replace(/\.json$/, `-${n}.json`));
        if (!writeNewFile(path, text)) {
          // Taken: by this very counterexample (a concurrent run saved it first: one file, not two), or by another.
          if (recordsTheSame(path, identity)) return { status: 'unchanged', path };
          continue;
        }
        this.written.push(path);
        this.loaded = [...existing, { kind: 'counterexample', file: path, document, target, property: target.properties.find((p) => p.property.name === document.property)!.property }];
        return { status: 'written', path };
      }
    } catch (error) {
      if (error instanceof UsageError) throw usageError(`cannot save a counterexample in ${this.dir}: ${error.problems[0]}`);
      const code = systemErrorCode(error);
      if (code === undefined) throw error;
      throw usageError(`cannot save a counterexample in ${this.dir}: ${describeSystemError(code)}`);
    }
    throw usageError(`cannot save a counterexample in ${this.dir}: every name from ${name} to -999 is taken`);
  }
}

/** Whether the file at `path` is a valid counterexample of this identity that expects the violation. */
function recordsTheSame(path: string, identity: string): boolean {
  try {
    const loaded = loadTraceFile(path);
    return loaded.kind === 'counterexample' && loaded.document.expect === 'violated' && identityOf(loaded.document.config, loaded.document.property, loaded.document.actions) === identity;
  } catch (error) {
    if (error instanceof UsageError) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Saving what `check` found.

/** Saves a violated result's counterexample and returns the result with its path; other results pass through. */
export function saveViolation(store: CounterexampleStore, target: Target, result: PropertyResult, options: CheckOptions, source: string): PropertyResult {
  const finding = result.finding;
  if (result.verdict !== 'violated' || finding === null) return result;
  const found: FoundBy = {
    seed: result.seed,
    runs: result.basis?.basis === 'random' ? result.basis.runs : 0,
    originalLength: finding.originalLength,
    ...(finding.path ? { path: finding.path } : {}),
    maxRuns: options.runs,
    maxLength: options.maxLength,
    command: reproduceCommand(source, result),
  };
  const violation = { step: finding.step, message: finding.message, ...(result.settlingRounds === null ? {} : { rounds: result.settlingRounds }) };
  const saved = saveFinding(store, target, result.property, finding.actions, violation, found);
  return { ...result, counterexample: saved.path, saved: saved.status };
}

/** Saves one violating trace, however it was found (random search or exploration). */
export function saveFinding(
  store: CounterexampleStore,
  target: Target,
  property: string,
  actions: readonly Action[],
  violation: RecordedViolation,
  found: FoundBy,
): SaveResult {
  return store.save(buildCounterexample(target, property, actions, violation, found), target);
}

/** The reproduce line for a violation: the same search, from the same seed, straight to the failing case. */
export function reproduceCommand(source: string, result: PropertyResult): string {
  // An exploration is deterministic: the same command finds the same shortest trace, with no seed.
  if (result.basis?.basis !== 'random') return `npx pgp-cluster-check check ${source} --property ${shellQuote(result.property)}`;
  // A random search is reproduced as one: --max-states 0 skips the exploration that comes first.
  const path = result.finding?.path ? ` --path ${shellQuote(result.finding.path)}` : '';
  return `npx pgp-cluster-check check ${source} --max-states 0 --property ${shellQuote(result.property)} --seed ${result.seed}${path}`;
}
