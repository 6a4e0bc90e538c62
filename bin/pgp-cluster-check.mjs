#!/usr/bin/env node
// Runs the TypeScript command line directly (tsx), so `npm ci` is the only set-up step.
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`| head`) closes the pipe: stop quietly, as other command-line tools do.
// Any other failure to write (stdout to a full disk) ends the run with exit 2 and one line on stderr.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      try {
        process.stderr.write(`error: cannot write the output: ${error.code ?? error.message}\n`);
      } catch {}
    }
    process.exit(2);
  });
const { run } = await import('../cli/main.ts');
process.exitCode = await run(process.argv.slice(2));
