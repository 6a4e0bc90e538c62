/**
 * `npm run bench`, first part: the targets of the exploration engine (issue 22), each beside its figure,
 * for this version and for the previous one, measured in the same run on this machine.
 *
 * The previous version (`--baseline REV`, default `BASELINE`: main before the engine work) is unpacked
 * from git into a temporary folder (`git archive`, this checkout's node_modules linked in), and both run
 * the same commands as whole processes, in turn (this, previous, this on one thread; again), so that
 * both see the same load; medians are quoted, and ratios of medians. Each run is timed by
 * `/usr/bin/time` (wall, CPU, peak memory) and reports its own exploration time (`explore --json`).
 *
 * Options: --quick (one round, the slow rows left out), --rounds N, --baseline REV, --tests (time the
 * test suite too, both versions: minutes), --json.
 */
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Main before the exploration engine's work on issue 22: the version its figures are compared with. */
export const BASELINE = '8eeaecbd124e89a0cccaef69f2b6d2748054b9e8';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--baseline' || arg === '--rounds') i++;
  else if (!['--quick', '--tests', '--json'].includes(arg)) {
    console.error(`error: unknown option "${arg}"; valid: --quick, --rounds N, --baseline REV, --tests, --json`);
    process.exit(2);
  }
}
const quick = flag('--quick');
const json = flag('--json');
const rounds = Number(value('--rounds') ?? (quick ? 1 : 3));
const cores = availableParallelism();
const log = (text: string) => {
  if (!json) console.log(text);
};

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length % 2 === 1 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};

/** The previous version, unpacked once per commit into the temporary folder. */
function checkout(rev: string): { dir: string; sha: string } {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `pgp-cluster-check-bench-${sha.slice(0, 12)}`);
  if (!existsSync(join(dir, 'package.json'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execSync(`git archive ${sha} | tar -x -C ${JSON.stringify(dir)}`);
  }
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  return { dir, sha };
}

interface ExploreJson {
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly exhausted: boolean;
  readonly bytesPerState: number | null;
  readonly results: readonly { readonly property: string; readonly verdict: string; readonly shortest: readonly unknown[] | null }[];
}

interface Run {
  readonly wall: number;
  readonly cpu: number;
  readonly peakMb: number;
  readonly explore: ExploreJson;
}

const TIMED = existsSync('/usr/bin/time');

/** One whole `explore --json` process in `dir`. */
function explore(dir: string, flags: readonly string[]): Run {
  const command = [process.execPath, 'bin/pgp-cluster-check.mjs', 'explore', ...flags, '--no-save', '--json'];
  const started = performance.now();
  const run = TIMED
    ? spawnSync('/usr/bin/time', ['-f', 'BENCH %e %U %S %M', ...command], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(command[0]!, command.slice(1), { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0 && run.status !== 1) throw new Error(`explore ${flags.join(' ')} in ${dir} failed (${run.status}): ${run.stderr}`);
  const timed = /^BENCH (\S+) (\S+) (\S+) (\S+)$/m.exec(run.stderr ?? '');
  return {
    wall: timed ? Number(timed[1]) : wall,
    cpu: timed ? Number(timed[2]) + Number(timed[3]) : Number.NaN,
    peakMb: timed ? Number(timed[4]) / 1024 : Number.NaN,
    explore: JSON.parse(run.stdout) as ExploreJson,
  };
}

/** What must not change: states, transitions, verdicts, shortest lengths; and whether the traces are the same too. */
function outcome(e: ExploreJson): string {
  return JSON.stringify([e.states, e.transitions, e.exhausted, e.results.map((r) => [r.property, r.verdict, r.shortest?.length ?? null])]);
}
const traces = (e: ExploreJson) => JSON.stringify(e.results.map((r) => r.shortest));

interface Figures {
  readonly runs: number;
  readonly seconds: number;
  readonly wall: number;
  readonly cpu: number;
  readonly peakMb: number;
  readonly states: number;
  readonly statesPerSecond: number;
  readonly bytesPerState: number | null;
}

function figures(runs: readonly Run[]): Figures {
  const seconds = median(runs.map((r) => r.explore.seconds));
  const states = runs[0]!.explore.states;
  return {
    runs: runs.length,
    seconds,
    wall: median(runs.map((r) => r.wall)),
    cpu: median(runs.map((r) => r.cpu)),
    peakMb: median(runs.map((r) => r.peakMb)),
    states,
    statesPerSecond: states / seconds,
    bytesPerState: runs[0]!.explore.bytesPerState,
  };
}

const baseline = checkout(value('--baseline') ?? BASELINE);
const here = process.cwd();
const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
const twoSites = resolve('examples/two-sites.json');
log(
  `issue 22 (the exploration engine): this version (${head}${dirty ? ', with uncommitted changes' : ''}) beside the previous one (${baseline.sha.slice(0, 12)}), whole processes in turn, ${rounds} round${rounds === 1 ? '' : 's'}, medians; ${cores} cores`,
);

// Two-sites: this version on every core, the previous one, this version on one thread; in turn.
const thisAll: Run[] = [];
const previous: Run[] = [];
const thisOne: Run[] = [];
for (let round = 0; round < rounds; round++) {
  thisAll.push(explore(here, ['--config', twoSites, '--workers', String(cores)]));
  previous.push(explore(baseline.dir, ['--config', twoSites]));
  thisOne.push(explore(here, ['--config', twoSites, '--workers', '1']));
  log(
    `  round ${round + 1}: this version ${thisAll.at(-1)!.explore.seconds.toFixed(1)} s on ${cores} threads, ${thisOne.at(-1)!.explore.seconds.toFixed(1)} s on one; previous ${previous.at(-1)!.explore.seconds.toFixed(1)} s`,
  );
}
const all = figures(thisAll);
const one = figures(thisOne);
const before = figures(previous);
const same = [...thisAll, ...thisOne, ...previous].every((r) => outcome(r.explore) === outcome(previous[0]!.explore));
const sameTraces = [...thisAll, ...thisOne, ...previous].every((r) => traces(r.explore) === traces(previous[0]!.explore));

// Six members, two down and two links cut (what a new administrator tries; the previous version has no
// sites, so the site split and time of the config are not timed side by side here): how fast the
// first states come, this version against the previous.
let wider: { states: number; now: Figures; before: Figures } | undefined;
if (!quick) {
  const dir = mkdtempSync(join(tmpdir(), 'pgp-cluster-check-bench-'));
  const config = JSON.parse(readFileSync(twoSites, 'utf8')) as { name: string; faults: Record<string, unknown> };
  config.name = 'two-sites-2-down-2-cut';
  config.faults = { ...config.faults, maxDown: 2, maxCutLinks: 2 };
  delete (config as { $schema?: string }).$schema;
  const file = join(dir, 'two-sites-2-down-2-cut.json');
  writeFileSync(file, JSON.stringify(config));
  const states = 2_000_000;
  const now = figures([explore(here, ['--config', file, '--max-states', String(states), '--workers', String(cores)])]);
  const then = figures([explore(baseline.dir, ['--config', file, '--max-states', String(states)])]);
  wider = { states, now, before: then };
  rmSync(dir, { recursive: true, force: true });
}

// The test suite, both versions, once each (minutes): only with --tests.
let tests: { now: number; before: number } | undefined;
if (flag('--tests')) {
  const suite = (dir: string) => {
    const started = performance.now();
    spawnSync(process.execPath, [resolve('node_modules/vitest/vitest.mjs'), 'run'], { cwd: dir, stdio: 'ignore', env: { ...process.env, PGP_CLUSTER_CHECK_NO_BROWSER: '1' } });
    return (performance.now() - started) / 1000;
  };
  tests = { now: suite(here), before: suite(baseline.dir) };
}

const s = (x: number) => `${x.toFixed(1)} s`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
interface Line {
  readonly target: string;
  readonly now: string;
  readonly before: string;
  readonly ratio: string;
  readonly met: boolean | null;
}
const lines: Line[] = [
  {
    target: `explore two-sites under 10 s (exploration time; ${cores} threads)`,
    now: s(all.seconds),
    before: s(before.seconds),
    ratio: ratio(all.seconds, before.seconds),
    met: all.seconds < 10,
  },
  {
    target: '  the whole process: wall / CPU / peak memory',
    now: `${s(all.wall)} / ${s(all.cpu)} / ${n(all.peakMb)} MB`,
    before: `${s(before.wall)} / ${s(before.cpu)} / ${n(before.peakMb)} MB`,
    ratio: `${ratio(all.wall, before.wall)} wall`,
    met: null,
  },
  {
    target: '  on one thread: wall / CPU / peak memory',
    now: `${s(one.wall)} / ${s(one.cpu)} / ${n(one.peakMb)} MB`,
    before: '',
    ratio: `${ratio(one.wall, before.wall)} wall, ${ratio(one.cpu, before.cpu)} CPU`,
    met: null,
  },
  {
    target: `  the same ${n(before.states)} states, transitions, verdicts, shortest lengths (1 and ${cores} threads)`,
    now: same ? (sameTraces ? 'same (and the same traces)' : 'same (other traces)') : 'DIFFERENT',
    before: '',
    ratio: '',
    met: same,
  },
  {
    target: 'two-site config with sites, 2 down, 2 cut, a site split and time: under 60 s, 2 GB',
    now: 'not timed here (the previous version has no sites); examples/two-sites-split.json, with one cut link, passes 8,000,000 states',
    before: '',
    ratio: '',
    met: null,
  },
  ...(wider === undefined
    ? []
    : [
        {
          target: `  nearest today: two-sites with 2 down and 2 cut, the first ${n(wider.states)} states`,
          now: `${s(wider.now.seconds)} (${n(wider.now.statesPerSecond)}/s)`,
          before: `${s(wider.before.seconds)} (${n(wider.before.statesPerSecond)}/s)`,
          ratio: ratio(wider.now.seconds, wider.before.seconds),
          met: null,
        },
      ]),
  {
    target: '1,000,000 states/s per core, on two-sites (one thread)',
    now: `${n(one.statesPerSecond)}/s`,
    before: `${n(before.statesPerSecond)}/s`,
    ratio: ratio(one.statesPerSecond, before.statesPerSecond),
    met: one.statesPerSecond >= 1_000_000,
  },
  {
    target: `  on ${cores} threads, per core`,
    now: `${n(all.statesPerSecond / cores)}/s (${n(all.statesPerSecond)}/s in all)`,
    before: '',
    ratio: `${ratio(one.seconds, all.seconds)} faster than one thread`,
    met: null,
  },
  {
    target: 'at most 16 bytes per visited state (two-sites)',
    now: `${one.bytesPerState}`,
    before: `${before.bytesPerState}`,
    ratio: before.bytesPerState && one.bytesPerState ? ratio(one.bytesPerState, before.bytesPerState) : '',
    met: one.bytesPerState !== null && one.bytesPerState <= 16,
  },
  {
    target: 'npm test under a minute',
    now: tests === undefined ? 'not timed (--tests)' : s(tests.now),
    before: tests === undefined ? '' : s(tests.before),
    ratio: tests === undefined ? '' : ratio(tests.now, tests.before),
    met: tests === undefined ? null : tests.now < 60,
  },
];

if (json)
  console.log(JSON.stringify({ head, baseline: baseline.sha, rounds, cores, twoSites: { threads: all, oneThread: one, previous: before, same, sameTraces }, wider, tests, lines }, null, 2));
else {
  const width = (key: keyof Line) => Math.max(...lines.map((l) => String(l[key]).length), key.length);
  const header: Line = { target: 'target', now: 'this version', before: 'previous', ratio: 'ratio', met: null };
  for (const l of [header, ...lines]) {
    const mark = l === header ? '    ' : l.met === null ? '    ' : l.met ? 'met ' : 'MISS';
    log(`  ${mark} ${l.target.padEnd(width('target'))}  ${l.now.padEnd(width('now'))}  ${l.before.padEnd(width('before'))}  ${l.ratio}`);
  }
}
