import { PROPERTIES } from '../properties/index.ts';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../config/presets.ts';
import { cli, unwrapCommands } from '../test/cli.ts';
import { terminalWidth } from '../reports/width.ts';

describe('check', () => {
  it('--json gives the fields the README documents, and exit 0 on a config that holds', async () => {
    const { status, out } = await cli('check', '--preset', 'recommended', '--json', '--seed', '5', '--runs', '50');
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.results).toHaveLength(PROPERTIES.length);
    for (const r of doc.results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['config', 'property', 'verdict', 'runs', 'seed', 'counterexample', 'actions']));
      expect(r.config).toBe('recommended');
      expect(r.seed).toBe(5);
    }
  });

  it('exits 1 when a single preset shows a violation, with the shrunk trace', async () => {
    const { status, out } = await cli('check', '--preset', 'home-server', '--json', '--seed', '5');
    expect(status).toBe(1);
    const violated = JSON.parse(out).results.filter((r: { verdict: string }) => r.verdict === 'violated');
    expect(violated.map((r: { property: string }) => r.property)).toEqual(['web-messenger-availability']);
    expect(violated[0].actions).toEqual([{ type: 'write', member: expect.any(String), record: { kind: 'wmAccount', key: expect.any(String) } }]);
  });

  it('--property limits the check', async () => {
    const { out } = await cli('check', '--preset', 'dmz-ring', '--property', 'no-lost-writes', '--json', '--runs', '20', '--seed', '1');
    expect(JSON.parse(out).results.map((r: { property: string }) => r.property)).toEqual(['no-lost-writes']);
  });

  it('with every preset, exits 0 when every preset gives its documented verdicts, and prints the matrix', async () => {
    const { status, out } = await cli('check', '--seed', '11', '--runs', '300');
    expect(status).toBe(0);
    // Blocks of presets as wide as the terminal (COLUMNS, else 80): every preset is a column of one.
    const headers = out.split('\n').filter((l) => /^ {2}property +\S/.test(l));
    expect(headers.flatMap((l) => l.trim().split(/\s+/).slice(1))).toEqual(PRESETS.map((p) => p.name));
    expect(out.split('\n').filter((l) => l.length > terminalWidth() && /\s\S+\s/.test(l.trim()))).toEqual([]);
    expect(out).toMatch(new RegExp(`All ${PRESETS.length} presets gave their documented verdicts`));
  });

  it('the text report shows the trace and how to reproduce it: the same exploration, or the same random search', async () => {
    const { out } = await cli('check', '--preset', 'pinned-clients', '--property', 'desktop-policy-availability', '--seed', '3');
    expect(out).toMatch(/1\. enroll laptop\d at m\d/);
    // An exploration is deterministic: no seed.
    expect(unwrapCommands(out)).toMatch(/reproduce: npx pgp-cluster-check check --preset pinned-clients --property desktop-policy-availability\n/);
    const random = await cli('check', '--preset', 'pinned-clients', '--property', 'desktop-policy-availability', '--seed', '3', '--max-states', '0');
    expect(unwrapCommands(random.out)).toMatch(
      /reproduce: npx pgp-cluster-check check --preset pinned-clients --max-states 0 --property desktop-policy-availability --seed 3 --path [\d:]+\n/,
    );
  });

  it('--seed with --path re-runs the failing case straight away', async () => {
    const random = ['check', '--preset', 'dmz-ring', '--property', 'survivor-convergence', '--seed', '8', '--max-states', '0', '--json'];
    const first = JSON.parse((await cli(...random)).out).results[0];
    const again = JSON.parse((await cli(...random, '--path', first.path)).out).results[0];
    expect(again.verdict).toBe('violated');
    expect(again.runs).toBe(1);
    expect(again.actions).toEqual(first.actions);
  });
});

describe('a violation is described by its own trace', () => {
  // The component engine keeps one state per canonical key, which keeps time relative: the state it
  // judged may have reached the same point at other hours. The message must still tell this trace.
  it('check: the hours in the message are those of the shrunk trace (long-outage, seed 6: 21 days)', async () => {
    const { out } = await cli('check', '--preset', 'long-outage', '--property', 'skm-keys-stay-valid', '--seed', '6', '--workers', '1', '--no-save', '--json');
    const r = JSON.parse(out).results[0];
    const days = r.actions.filter((a: { type: string }) => a.type === 'advanceTime').reduce((sum: number, a: { hours: number }) => sum + a.hours, 0) / 24;
    expect(r.message).toMatch(new RegExp(`^${days} days after the start`));
  });

  it('explore: the message of a shortest trace is the one that trace gives', async () => {
    const { out } = await cli('explore', '--preset', 'long-outage', '--hours', '504', '--horizon', '504', '--property', 'skm-keys-stay-valid', '--depth', '3', '--no-save', '--json');
    const r = JSON.parse(out).results[0];
    expect(r.verdict).toBe('violated');
    expect(r.message).toMatch(/^21 days after the start, .* lapsed 7 days ago: it was issued 21 days ago/);
  });
});

describe('bad input: exit 2, a message naming what was wrong, nothing written', () => {
  const cases: [string[], RegExp][] = [
    [['check', '--bogus'], /Unknown option '--bogus'.*valid flags: --preset/],
    [['check', '--preset', 'recomended'], /unknown preset "recomended"; valid: .*did you mean "recommended"/],
    [['check', '--property', 'no-lost-write'], /unknown property "no-lost-write".*did you mean "no-lost-writes"/],
    [['check', '--runs', 'many'], /--runs: expected a whole number, got "many"/],
    [['check', '--runs', '0'], /--runs: 0 is out of range/],
    [['check', '--preset', 'dmz-ring', '--config', 'x.json'], /--preset or --config, not both/],
    [['check', '--config', '/nonexistent/cluster.json'], /\/nonexistent\/cluster.json: cannot read: no such file/],
    [['chek'], /unknown command "chek".*did you mean "check"/],
  ];
  it.each(cases)('%j', async (argv, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-'));
    const before = readdirSync(dir);
    const { status, err, out } = await cli(...argv);
    expect(status).toBe(2);
    expect(err).toMatch(message);
    expect(out).toBe('');
    expect(readdirSync(dir)).toEqual(before);
  });

  it('a config file with several problems reports each, with its field path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ members: [{ id: 'm1', services: ['mial'] }, { id: 'm1' }], faults: { maxDown: 5 } }));
    const { status, err } = await cli('check', '--config', file);
    expect(status).toBe(2);
    expect(err).toContain(`${file}: members[0].services[0]: unknown service "mial"; valid: mail, webMessenger, keyserver, desktop, verifiedDirectory; did you mean "mail"?`);
    expect(err).toContain(`${file}: members[1].id: duplicate member id "m1" (also members[0])`);
    expect(err).toContain(`${file}: faults.maxDown: 5 is out of range; valid: 0 to 1 (members - 1)`);
    expect(readdirSync(dir)).toEqual(['bad.json']);
  });

  it('invalid JSON is reported with its line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcc-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "members": [\n    { "id": "m1" },\n  ]\n}\n');
    const { status, err } = await cli('check', '--config', file);
    expect(status).toBe(2);
    expect(err).toMatch(new RegExp(`${file}:4:3: invalid JSON`));
  });
});

describe('list', () => {
  it('--json lists every property with name, kind, source and statement, and the presets', async () => {
    const { status, out } = await cli('list', '--json');
    expect(status).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.properties).toHaveLength(PROPERTIES.length);
    for (const p of doc.properties) expect(Object.keys(p)).toEqual(['name', 'kind', 'source', 'statement']);
    expect(doc.presets.map((p: { name: string }) => p.name)).toEqual([
      'recommended',
      'dmz-ring',
      'home-server',
      'single-key-holder',
      'pinned-clients',
      'broken-member',
      'growing',
      'rolling-upgrade',
      'rolling-minor-update',
      'long-outage',
      'mode-switch',
      'no-holdout',
    ]);
  });
});
