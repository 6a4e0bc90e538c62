/**
 * The README's invocation, `npx pgp-cluster-check …` from the repository root after `npm ci`, runs this
 * checkout's own bin and never asks a registry for the name (issue 24, "Fresh machine"). npm's `exec`
 * finds the bin in the root package.json and links the checkout into its npx cache; the registry is not
 * asked. Two runs start at once, each with an empty npm cache and a registry that refuses every
 * connection (a closed port on this machine): both must print the version.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../reports/version.ts';
import { tempDir } from '../test/cli.ts';

const ROOT = join(import.meta.dirname, '..');

function npx(cache: string): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['pgp-cluster-check', '--version'], {
      cwd: ROOT,
      env: {
        ...process.env,
        npm_config_cache: cache,
        // Nothing listens there: any request for the name would fail the run.
        npm_config_registry: 'http://127.0.0.1:9/',
        npm_config_fetch_retries: '0',
        npm_config_yes: 'false',
        npm_config_update_notifier: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (status) => resolve({ status, out, err }));
  });
}

describe('npx pgp-cluster-check', () => {
  it('two at once, each with an empty npm cache and no registry: both run the checkout\'s bin', async () => {
    const cache = tempDir();
    const runs = await Promise.all([npx(cache), npx(cache)]);
    for (const run of runs) {
      expect(run.status, run.err).toBe(0);
      expect(run.out).toBe(`pgp-cluster-check ${TOOL_VERSION}\n`);
    }
  }, 30_000);
});
