/**
 * `npm run bench`, last part: the answers an administrator asks next (issue 23), on the large configs
 * the test suite leaves out, beside their targets. Wall-clock and CPU seconds of this process (the
 * machine is shared).
 *
 * - `tolerance --config examples/two-sites.json`: the table in under a minute;
 * - `plan --find` on a rolling major upgrade of `examples/two-sites.json`: a safe order, or a proof that
 *   none exists;
 * - `check --config test/configs/five-members.json`: the private-key advice asks only for the mail
 *   service on branch1, and its check line says the property holds; the Web Messenger advice says what it
 *   makes worse and offers a combination that makes nothing worse.
 *
 * Options: --quick (the five-member check skipped), --json.
 */
import { readFileSync } from 'node:fs';
import { resolveConfig } from '../config/validate.ts';
import { checkAdvice } from '../pgp/advice-check.ts';
import { CHECK_STATE_BUDGET, checkTargets, makeTarget } from '../pgp/check.ts';
import { configCheck } from '../pgp/checked-change.ts';
import { defaultWorkers, runTasks } from '../pgp/parallel.ts';
import { findPlanOrder, parsePlan } from '../pgp/plan.ts';
import { tolerance } from '../pgp/tolerance.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');

interface Row {
  readonly name: string;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly result: string;
  readonly target: string;
  readonly met: boolean;
}

async function timed(run: () => Promise<{ result: string; met: boolean }>): Promise<{ seconds: number; cpuSeconds: number; result: string; met: boolean }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const out = await run();
  const used = process.cpuUsage(cpu);
  return { ...out, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const config = (file: string) => resolveConfig(JSON.parse(readFileSync(file, 'utf8')));
const rows: Row[] = [];
const twoSites = config('examples/two-sites.json');

rows.push({
  name: 'tolerance --config examples/two-sites.json',
  target: 'the table in < 60 s, every cell exhaustive',
  ...(await timed(async () => {
    const t = await tolerance(twoSites, { properties: [], maxStates: CHECK_STATE_BUDGET });
    const explored = t.properties.filter((p) => p.survivesDown !== null);
    const states = t.explorations.map((e) => `${e.fault === 'members down' ? `${e.level} down` : e.fault} ${e.states.toLocaleString('en-US')}`).join(', ');
    return {
      result: `${explored.map((p) => `${p.property} ${p.survivesDown}/${t.mostDown}`).join(', ')}; explorations: ${states}`,
      met: t.seconds < 60 && explored.every((p) => p.proven) && t.explorations.every((e) => e.finished),
    };
  })),
});

const plan = parsePlan(JSON.parse(readFileSync('examples/plans/two-sites-rolling-major.plan.json', 'utf8')), 'examples/plans/two-sites-rolling-major.plan.json', twoSites);
if ('problems' in plan) throw new Error(plan.problems.join('\n'));
rows.push({
  name: 'plan --find examples/plans/two-sites-rolling-major.plan.json --config examples/two-sites.json',
  target: 'a safe order, or a proof that none exists',
  ...(await timed(async () => {
    const found = await findPlanOrder(twoSites, plan.plan.steps, { maxStates: CHECK_STATE_BUDGET, properties: [], cutLinks: false, maxExplorations: 200 });
    const first = found.unsafe[0];
    return {
      result: found.order
        ? `safe order ${found.order.map((g) => g.member).join(', ')}`
        : `${found.noneExists ? 'none exists (proven)' : `not decided: ${found.undecided}`}; ${found.explorations} exploration(s), ${found.states.toLocaleString('en-US')} states${first ? `; ${first.prefix.map((g) => g.member).join(', ')} first: ${first.unsafe.property} at step ${first.unsafe.position}` : ''}`,
      met: found.order !== undefined || found.noneExists,
    };
  })),
});

if (!quick) {
  const five = config('test/configs/five-members.json');
  rows.push({
    name: 'check --config test/configs/five-members.json, its advice checked',
    target: 'private keys: only mail on branch1, checked holds; Web Messenger: what it makes worse, and a combination that makes nothing worse',
    ...(await timed(async () => {
      const options = { runs: 500, seed: 1, maxLength: 12, properties: [], maxStates: CHECK_STATE_BUDGET };
      const workers = defaultWorkers();
      const [results] = await checkTargets([{ target: makeTarget(five) }], options, workers, (tasks) => runTasks(tasks, workers, () => {}));
      const advised = await checkAdvice(five, results!, configCheck(options, workers));
      const keys = advised.get('private-key-availability')?.change;
      const wm = advised.get('web-messenger-availability');
      const keysOk = keys?.changes.length === 1 && keys.changes[0]!.field === 'members[2].services' && keys.fixed.length === 1 && keys.worse.length === 0;
      const wmOk = (wm?.change?.worse.length ?? 0) > 0 && wm?.combination !== null && wm?.combination?.worse.length === 0;
      return {
        result: `private keys: ${keys?.changes.map((c) => c.text).join('; ')} (fixed: ${keys?.fixed.join(', ')}; worse: ${keys?.worse.length}); Web Messenger: worse ${wm?.change?.worse.map((w) => w.property).join(', ')}, with also ${wm?.combination?.changes.map((c) => c.field).join(', ')} nothing worse: ${wm?.combination?.worse.length === 0}`,
        met: keysOk && wmOk,
      };
    })),
  });
}

if (json) console.log(JSON.stringify({ rows }, null, 2));
else {
  console.log('the answers an administrator asks next (issue 23), beside their targets:');
  for (const r of rows)
    console.log(`${r.met ? 'met ' : 'NOT '} ${r.name}: ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s); ${r.result}; target: ${r.target}`);
}
