/** Running the command line in-process, and temporary folders, for the command-line tests. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { vi } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCounterexample, counterexampleText } from '../traces/counterexample.ts';
import type { Io } from '../io/io.ts';
import { run } from '../cli/main.ts';
import { makeTarget } from '../pgp/target.ts';
import { findPreset } from '../config/presets.ts';
import type { Action } from '../model/actions.ts';

export async function cli(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), isTty: false };
  const status = await run(argv, io);
  return { status, out, err };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pcc-test-'));
}

/** Every file under a folder, temporary ones included, sorted. */
export function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** The shipped counterexample of a preset's expected violation (the corpus holds one per config and property). */
export function corpusFile(config: string, property: string): string {
  const name = readdirSync('counterexamples').find((f) => f.startsWith(`${config}--${property}--`) && f.endsWith('.json'));
  if (name === undefined) throw new Error(`no counterexample for ${config}/${property} in counterexamples/`);
  return join('counterexamples', name);
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Writes a JSON document (or raw text) to `dir/name` and returns the path. */
export function writeDoc(dir: string, name: string, doc: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}

/** A copy of a corpus file in a temporary folder, changed by `edit`. */
export function doctored(source: string, edit: (doc: Record<string, unknown>) => Record<string, unknown>, dir = tempDir()): string {
  return writeDoc(dir, 'doctored.json', edit(readJson(source)));
}


/**
 * A counterexample of KB 161304's case on the dmz-ring preset, saved the way `check` saves one: with m1
 * down, a change on DMZ member m3 reaches m4 and stops there, never reaching m2. Tests that need a known
 * trace use this rather than whichever trace the shipped corpus happens to hold.
 */
export function kb161304File(dir = tempDir()): string {
  const target = makeTarget(findPreset('dmz-ring')!.config);
  const actions: Action[] = [
    { type: 'crash', member: 'm1' },
    { type: 'write', member: 'm3', record: { kind: 'user', key: 'alice' } },
  ];
  const property = target.properties.find((p) => p.property.name === 'survivor-convergence')!;
  const outcome = property.onModel.check(actions.reduce((s, a) => target.model.step(s, a), target.model.initial));
  if (outcome.holds) throw new Error("KB 161304's case should violate survivor-convergence");
  const command = 'npx pgp-cluster-check check --preset dmz-ring --property survivor-convergence --seed 1';
  const document = buildCounterexample(target, 'survivor-convergence', actions, { step: 2, message: outcome.message }, { seed: 1, runs: 1, originalLength: 2, command });
  return writeDoc(dir, 'dmz-ring--survivor-convergence--kb161304.json', JSON.parse(counterexampleText(document)));
}

/** A report with its wrapped commands (`\` continuations) joined back into one line each. */
export function unwrapCommands(text: string): string {
  return text.replace(/ \\\n\s+/g, ' ');
}

/**
 * The lines of a command's output wider than `width` columns, except a line that is one unbreakable
 * token (a path, a `--path` argument) after at most a label: what "wrapped to the terminal" allows.
 */
export function overWidth(text: string, width = 80): string[] {
  return text.split('\n').filter((l) => l.length > width && /\s\S+\s/.test(l.trim()));
}

/**
 * A terminal for the progress line (`cli/progress.ts` draws on standard error directly): what is drawn is
 * collected; `lines` gives the texts drawn, `restore` ends the capture.
 */
export function terminal(): { io: Io; drawn: string[]; lines(): string[]; restore(): void } {
  const drawn: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    drawn.push(String(chunk));
    return true;
  });
  return {
    io: { out: () => {}, err: () => {}, isTty: true },
    drawn,
    lines: () => drawn.map((d) => d.replace('\r\x1b[2K', '')).filter((d) => d !== ''),
    restore: () => spy.mockRestore(),
  };
}
