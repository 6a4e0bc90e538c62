/**
 * Saving counterexamples (docs/counterexamples.md, saving) and the folder's index.
 *
 * - Names are stable and readable: `<config>--<property>--<hash>.json`, the hash a short SHA-256 of config +
 *   property + actions (`counterexampleName`).
 * - Writes are atomic: the text goes to a temporary file in the same folder, is flushed, then hard-linked
 *   to its name, which fails if the name is taken, so a file is never half-written and never replaced
 *   (where hard links are not available: an existence check, then a rename). The temporary file is
 *   always removed.
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
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
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
import { jsonEntries, makeFolder, notRegular, readTextFile, skippedWarning } from '../io/read.ts';
import { UsageError, usageError } from '../io/io.ts';
import { markdownCell, oneLine, shellCommand, shellQuote } from '../io/untrusted.ts';

/** `written`: a new file; `unchanged`: this very violation was already saved; `known`: another trace of it is. */
export type SaveStatus = 'written' | 'unchanged' | 'known';

export interface SaveResult {
  readonly status: SaveStatus;
  /** The file that records the violation: the new one, or the one already there. */
  readonly path: string;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** `.NAME.PID.RANDOM.tmp`: a temporary file of this tool, and the process that writes it. */
const TEMPORARY = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/** The temporary files this process has created and not yet removed. */
const pending = new Set<string>();
let cleanupInstalled = false;

/**
 * From the first save on, SIGTERM, SIGINT and SIGHUP remove this process's temporary files before it
 * exits (with 128 + the signal's number, as the default action would). A handler also defers the signal
 * until the running synchronous write is done, so it cannot cut a save in half. SIGKILL cannot be
 * caught: what it leaves is swept by the next run (`sweepTemporaryFiles`).
 */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const [signal, status] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      for (const file of pending) rmSync(file, { force: true });
      process.exit(status);
    });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Removes the temporary files a killed run left in a folder (those of processes that no longer run);
 * a live writer's are left alone. Returns what it removed.
 */
export function sweepTemporaryFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = TEMPORARY.exec(name)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

function writeTemporary(path: string, text: string): string {
  installCleanup();
  const temporary = temporaryPath(path);
  pending.add(temporary);
  const fd = openSync(temporary, 'wx');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

function removeTemporary(temporary: string): void {
  rmSync(temporary, { force: true });
  pending.delete(temporary);
}

/**
 * Writes `text` to `path` atomically, only if `path` does not exist yet. Returns false (and writes
 * nothing) when it exists.
 */
export function writeNewFileAtomically(path: string, text: string): boolean {
  const temporary = writeTemporary(path, text);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    // No hard links on this file system: check, then rename (atomic, though not race-free against another writer).
    if (existsSync(path)) return false;
    renameSync(temporary, path);
    return true;
  } finally {
    removeTemporary(temporary);
  }
}

/** Writes `text` to `path` atomically, replacing what is there (for the generated index). */
export function replaceFileAtomically(path: string, text: string): void {
  const temporary = writeTemporary(path, text);
  try {
    renameSync(temporary, path);
  } finally {
    removeTemporary(temporary);
  }
}

function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a path component is not a directory';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on the device';
  return error instanceof Error ? error.message : String(error);
}

/** The counterexample files of a folder (regular `*.json` files), sorted by name; `jsonEntries` also lists what it skips. */
export function counterexampleFiles(dir: string): string[] {
  return jsonEntries(dir).files;
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

  /** Fails early (exit 2), before any search, when the folder cannot be used: it is not a folder, or cannot be listed. */
  checkUsable(): void {
    if (existsSync(this.dir) && !statSync(this.dir).isDirectory()) throw usageError(`--save-dir: ${this.dir} is not a directory`);
    let entries: ReturnType<typeof jsonEntries>;
    try {
      entries = jsonEntries(this.dir);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw usageError(`cannot save a counterexample in ${this.dir}: ${error.problems[0]}`);
    }
    for (const entry of entries.skipped) this.warn(skippedWarning(entry));
    sweepTemporaryFiles(this.dir);
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
        if (!writeNewFileAtomically(path, text)) {
          // Taken: by this very counterexample (a concurrent run saved it first: one file, not two), or by another.
          if (recordsTheSame(path, identity)) return { status: 'unchanged', path };
          continue;
        }
        this.written.push(path);
        this.loaded = [...existing, { kind: 'counterexample', file: path, document, target, property: target.properties.find((p) => p.property.name === document.property)!.property }];
        return { status: 'written', path };
      }
    } catch (error) {
      throw usageError(`cannot save a counterexample in ${this.dir}: ${describeFsError(error)}`);
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
// The index: counterexamples/README.md, generated from the files.

export const INDEX_NAME = 'README.md';
const INDEX_MARKER = '<!-- Generated by pgp-cluster-check';

/** A link target for a file of the folder: every character that could end or change the link percent-encoded. */
function linkTarget(name: string): string {
  return encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The index of a folder's counterexample files: one line each, with property, config, length and a link. */
export function indexText(dir: string): string {
  const rows: string[] = [];
  for (const file of counterexampleFiles(dir)) {
    const name = basename(file);
    const link = `[${markdownCell(name)}](${linkTarget(name)})`;
    try {
      const loaded = loadTraceFile(file);
      if (loaded.kind === 'counterexample') {
        const d = loaded.document;
        rows.push(`| ${markdownCell(d.property)} | ${markdownCell(d.config.name)} | ${d.actions.length} | ${d.expect} | ${link} |`);
      } else rows.push(`| (a scenario, not a counterexample) | ${markdownCell(loaded.name)} | ${loaded.actions.length} | - | ${link} |`);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      rows.push(`| (invalid file: see \`replay\`) | - | - | - | ${link} |`);
    }
  }
  return [
    `${INDEX_MARKER} from the JSON files in this folder. Do not edit it: run \`npx pgp-cluster-check index\` instead. -->`,
    '# Counterexamples',
    '',
    'Each file is a violation that `pgp-cluster-check check` found, shrunk and saved. `npm test` replays every one',
    'and fails when a file no longer shows what it records (`"expect": "violated"`: a known risk that must keep',
    'reproducing; `"expect": "holds"`: a risk that was fixed and must stay fixed). `npx pgp-cluster-check replay FILE`',
    'tells one step by step; `--format mermaid` draws it as a sequence diagram.',
    '',
    '| property | config | actions | expect | file |',
    '| --- | --- | --- | --- | --- |',
    ...(rows.length === 0 ? ['| (none yet) | | | | |'] : rows),
    '',
  ].join('\n');
}

/**
 * Writes the folder's index (README.md) when it is missing or out of date. A README.md that this tool did
 * not generate is left alone. Returns the path when it wrote, undefined otherwise.
 */
export function writeIndex(dir: string, warn: (text: string) => void = () => {}): string | undefined {
  sweepTemporaryFiles(dir);
  const path = join(dir, INDEX_NAME);
  const text = indexText(dir);
  if (existsSync(path)) {
    const why = notRegular(statSync(path));
    if (why !== undefined) {
      warn(`warning: ${path} ${why}; the index is not written there`);
      return undefined;
    }
    const current = readTextFile(path);
    if (current === text) return undefined;
    if (!current.startsWith(INDEX_MARKER)) {
      warn(`warning: ${path} was not generated by pgp-cluster-check; the index is not written there`);
      return undefined;
    }
  }
  try {
    makeFolder(dir);
    replaceFileAtomically(path, text);
    // A run saving into the same folder at the same time may have renamed its index over ours after
    // adding a file ours does not list, or before: whoever finds the index stale writes it again.
    for (let again = 0; again < 5; again++) {
      const now = indexText(dir);
      if (now === readTextFile(path)) break;
      replaceFileAtomically(path, now);
    }
  } catch (error) {
    throw usageError(`cannot write the index ${path}: ${describeFsError(error)}`);
  }
  return path;
}

// ---------------------------------------------------------------------------------------------------
// Saving what `check` found.

/** Saves a violated result's counterexample and returns the result with its path; other results pass through. */
export function saveViolation(store: CounterexampleStore, target: Target, result: PropertyResult, options: CheckOptions, source: string): PropertyResult {
  if (result.verdict !== 'violated' || result.step === null || result.message === null) return result;
  const found: FoundBy = {
    seed: result.seed,
    runs: result.runs,
    originalLength: result.originalLength ?? result.actions.length,
    ...(result.path ? { path: result.path } : {}),
    maxRuns: options.runs,
    maxLength: options.maxLength,
    command: reproduceCommand(source, result),
  };
  const violation = { step: result.step, message: result.message, ...(result.rounds === null ? {} : { rounds: result.rounds }) };
  const saved = saveFinding(store, target, result.property, result.actions, violation, found);
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
  if (result.basis !== 'random') return `npx pgp-cluster-check check ${source} --property ${shellQuote(result.property)}`;
  // A random search is reproduced as one: --max-states 0 skips the exploration that comes first.
  const path = result.path ? ` --path ${shellQuote(result.path)}` : '';
  return `npx pgp-cluster-check check ${source} --max-states 0 --property ${shellQuote(result.property)} --seed ${result.seed}${path}`;
}
