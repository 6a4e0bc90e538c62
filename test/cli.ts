/** Running the command line in-process, and temporary folders, for the command-line tests. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../cli/io.ts';
import { run } from '../cli/main.ts';

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

