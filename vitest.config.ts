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
    // `check` saves counterexamples; in tests it saves them in a temporary folder, never in the repository's
    // counterexamples/ (tests that are about saving pass --save-dir themselves).
    env: { PGP_CLUSTER_CHECK_SAVE_DIR: mkdtempSync(join(tmpdir(), 'pgp-cluster-check-test-saves-')) },
  },
});
