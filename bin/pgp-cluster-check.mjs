#!/usr/bin/env node
// Runs the TypeScript command line directly (tsx), so `npm ci` is the only set-up step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../cli/main.ts');
process.exitCode = await run(process.argv.slice(2));
