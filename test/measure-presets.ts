/**
 * Measures how reliably each preset's expected violations are found, and how short they shrink:
 * `npx tsx test/measure-presets.ts [SEEDS] [FIRST_SEED] [--violations] [PRESET...]`.
 * For every preset and seed, runs the random search at the default budget (500 runs, ten times that for
 * the `sometimes` guards, traces of 12 actions) on every property and reports, per preset and property: verdicts that differ from the
 * preset's expectations (a `sometimes` property not reached counts as one), the most traces a violation
 * (or a witness) took to find, and the shrunk lengths seen.
 * Not part of the test suite (it takes minutes); its numbers are quoted in the README.
 */
import { searchRandom } from '../checker/random.ts';
import { runsFor } from '../pgp/check.ts';
import { DEFAULT_LENGTH, DEFAULT_RUNS } from '../cli/check-command.ts';
import { makeTarget } from '../pgp/target.ts';
import { expectedViolations, PRESETS } from '../config/presets.ts';

const seeds = Number(process.argv[2] ?? 100);
const first = Number(process.argv[3] ?? 1);
const only = process.argv.slice(4).filter((a) => a !== '--violations');
/** With `--violations`, only the properties a preset is expected to violate (much faster). */
const violationsOnly = process.argv.includes('--violations');

for (const preset of PRESETS.filter((p) => only.length === 0 || only.includes(p.name))) {
  const target = makeTarget(preset.config);
  const expected = expectedViolations(preset);
  for (const { property, notApplicable, onEngine } of target.properties) {
    if (notApplicable !== undefined) continue;
    if (violationsOnly && !expected.includes(property.name)) continue;
    const started = performance.now();
    let wrong = 0;
    let mostRuns = 0;
    const lengths = new Map<number, number>();
    for (let seed = first; seed < first + seeds; seed++) {
      // The search as `check` runs it: on the component engine, every property of a config sharing it.
      const runs = runsFor(property.kind, { runs: DEFAULT_RUNS, seed, maxLength: DEFAULT_LENGTH, properties: [] }).runs;
      const r = searchRandom(target.engineModel, onEngine, { runs, seed, maxLength: DEFAULT_LENGTH });
      // A `sometimes` property should be reached; the others violated exactly when the preset says so.
      const found = r.verdict === 'violated' || r.verdict === 'reached';
      if (property.kind === 'sometimes' ? !found : found !== expected.includes(property.name)) wrong++;
      if (found) {
        mostRuns = Math.max(mostRuns, r.runs);
        const n = r.counterexample!.actions.length;
        lengths.set(n, (lengths.get(n) ?? 0) + 1);
      }
    }
    const ms = (performance.now() - started) / seeds;
    const shrunk = [...lengths.entries()].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n} actions x${c}`).join(', ');
    const verdict = property.kind === 'sometimes' ? 'expected reached' : expected.includes(property.name) ? 'expected violated' : 'expected holds';
    console.log(
      `${preset.name.padEnd(18)} ${property.name.padEnd(31)} ${verdict.padEnd(17)} wrong ${wrong}/${seeds}` +
        `${lengths.size > 0 ? `; found within ${mostRuns} traces; shrunk to ${shrunk}` : ''}; ${ms.toFixed(0)} ms/seed`,
    );
  }
}
