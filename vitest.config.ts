import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    // Every core: vitest's default leaves one free, which on a two-core machine runs the files one at a time.
    maxWorkers: availableParallelism(),
    // One module graph per worker, not per file: importing the model, mermaid and jsdom again for every file
    // took a third of the run. Tests that set process-wide state (environment variables) undo it after.
    isolate: false,
    // `check` saves counterexamples; in tests it saves them in a temporary folder, never in the repository's
    // counterexamples/ (tests that are about saving pass --save-dir themselves).
    env: { PGP_CLUSTER_CHECK_SAVE_DIR: mkdtempSync(join(tmpdir(), 'pgp-cluster-check-test-saves-')) },
  },
});
