/**
 * Writing a report file: checked before any work is done (a bad path is a usage error, exit 2, nothing
 * written), then written atomically: a temporary file in the same folder, renamed over the target, so a
 * reader never sees half a report.
 */
import { accessSync, constants, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { usageError } from './io.ts';

/** Throws a usage error naming the flag when `file` cannot be written. */
export function checkWritable(flag: string, file: string): void {
  if (file === '') throw usageError(`${flag}: expected a file name, got ""`);
  if (existsSync(file) && statSync(file).isDirectory()) throw usageError(`${flag}: ${file} is a folder; give a file name such as ${join(file, 'report.html')}`);
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`${flag}: cannot write ${file}: the folder ${dir} does not exist`);
  try {
    accessSync(dir, constants.W_OK);
    if (existsSync(file)) accessSync(file, constants.W_OK);
  } catch {
    throw usageError(`${flag}: cannot write ${file}: permission denied`);
  }
}

/** Writes `text` to `file` through a temporary file in the same folder and a rename. */
export function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    throw usageError(`cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    rmSync(temp, { force: true });
  }
}
