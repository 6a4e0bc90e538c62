/**
 * The regression corpus: every counterexample file in counterexamples/ must still show what it records
 * (docs/counterexamples.md, saving). When a change to the model stops one from reproducing, the failure names the file, the step
 * that now differs, and what to do.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedViolations, PRESETS } from '../config/presets.ts';
import { doctored, kb161304File, tempDir, writeDoc } from '../test/cli.ts';
import { loadTraceFile } from './counterexample.ts';
import { counterexampleFiles, indexText } from './index-file.ts';
import { corpusFailure, replayEntry } from '../cli/replay.ts';

const CORPUS = 'counterexamples';
const files = counterexampleFiles(CORPUS);

describe('the regression corpus (counterexamples/)', () => {
  it.each(files.map((f) => [basename(f), f]))('%s still shows what it records', (_name, file) => {
    const failure = corpusFailure(replayEntry(file));
    if (failure !== undefined) throw new Error(failure);
  });

  it('holds a counterexample, found by the tool, for every violation a preset documents', () => {
    const recorded = files.flatMap((file) => {
      const loaded = loadTraceFile(file);
      return loaded.kind === 'counterexample' && loaded.document.expect === 'violated' ? [`${loaded.document.config.name}/${loaded.document.property}`] : [];
    });
    const missing = PRESETS.flatMap((p) => expectedViolations(p).map((property) => `${p.name}/${property}`)).filter((key) => !recorded.includes(key));
    if (missing.length > 0)
      throw new Error(
        `no counterexample file for ${missing.join(', ')}: run \`npx pgp-cluster-check check --preset NAME --property PROPERTY\`, which saves one in counterexamples/, and commit it`,
      );
    for (const file of files) {
      const loaded = loadTraceFile(file);
      // Saved by `check` or by `explore` (a user's runs save here too).
      if (loaded.kind === 'counterexample') expect(loaded.document.found.command, file).toMatch(/^npx pgp-cluster-check (check|explore) /);
    }
  });

  it('README.md, the index, is in step with the files', () => {
    const current = readFileSync(join(CORPUS, 'README.md'), 'utf8');
    if (current !== indexText(CORPUS)) throw new Error('counterexamples/README.md is out of step with the files: run `npx pgp-cluster-check index` and commit it');
    for (const file of files) expect(current).toContain(`](${basename(file)})`);
  });
});

describe('a corpus file that no longer shows what it records fails the corpus check with a clear message', () => {
  it('names the file, what it recorded and shows now, the first step that differs, and what to do', () => {
    // KB 161304's own case, saved as the checker saves it; then its write moved from m3 to m2.
    const file = doctored(kb161304File(), (d) => {
      const actions = structuredClone(d.actions) as { member: string }[];
      actions[1]!.member = 'm2';
      return { ...d, actions };
    });
    const failure = corpusFailure(replayEntry(file));
    expect(failure).toBeDefined();
    const lines = failure!.split('\n');
    expect(lines[0]).toBe(`${file} does not show what it records: survivor-convergence on dmz-ring: NOT REPRODUCED: the trace no longer violates the property`);
    expect(failure).toMatch(/recorded: survivor-convergence violated after step 2: with m1 down/);
    expect(failure).toMatch(/now: {6}survivor-convergence holds on this trace/);
    expect(failure).toMatch(/first step that differs from the recording: step 2 \(write \S+ on m2\): m2: now also holds/);
    expect(failure).toMatch(/what to do: .*set "expect": "holds".*re-run `npx pgp-cluster-check check --preset dmz-ring --property survivor-convergence`/);
  });

  it('when every step is as recorded but the property changed, it says so', () => {
    // The same trace on a config where the DMZ members are internal: every recorded state is reached, but the verdict differs.
    const file = doctored(kb161304File(), (d) => {
      const config = structuredClone(d.config) as { members: { zone: string }[] };
      for (const m of config.members) m.zone = 'internal';
      return { ...d, config };
    });
    const failure = corpusFailure(replayEntry(file));
    expect(failure).toMatch(/every step reaches the state it recorded; what changed is the settling after the last step or the property's check/);
    // The config is no preset's any more: the command is built from the file's fields, not taken from its found.command.
    expect(failure).toMatch(/re-run `npx pgp-cluster-check check --config CONFIG\.json --property survivor-convergence` \(with this file's "config" saved as CONFIG\.json\)/);
  });

  it('an invalid file (say, a step the model no longer allows) fails with its problem and what to do', () => {
    const file = doctored(kb161304File(), (d) => ({ ...d, actions: [...(d.actions as unknown[]), { type: 'crash', member: 'm2' }] }));
    const failure = corpusFailure(replayEntry(file));
    expect(failure).toMatch(/does not show what it records: invalid file/);
    expect(failure).toMatch(/actions\[2\] \(step 3, "crash m2"\): not enabled at this step/);
    expect(failure).toMatch(/what to do: .*re-run `check`/);
  });

  it('a scenario file does not belong in the corpus', () => {
    const file = writeDoc(tempDir(), 's.json', { preset: 'dmz-ring', actions: [] });
    expect(corpusFailure(replayEntry(file))).toMatch(/a scenario file; the counterexamples folder holds counterexample files only/);
  });
});
