import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeEach, afterEach, vi } from 'vitest';
import { findPreset } from '../config/presets.ts';
import { resolveWorkload } from '../config/schema.ts';
import { BACKLOG_KINDS } from '../model/backlog.ts';
import { cli, listing, tempDir, terminal, writeDoc } from '../test/cli.ts';
import { analyseResync, OUTAGE_HOURS, resyncLine, resyncPlot, SEED_CLAIM } from './resync.ts';

// The literal lines below are read unwrapped; cli/width.test.ts checks the wrapping at 80 columns.
beforeEach(() => {
  vi.stubEnv('COLUMNS', '1000');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

interface Backlog {
  hours: number;
  owed: Record<string, number>;
  owedTotal: number;
  purged: Record<string, number>;
  resyncHours: number;
}
interface Row {
  hours: number;
  highAvailability: Backlog;
  homeServer: Backlog;
}

describe('resync --preset recommended --json', async () => {
  const { status, out } = await cli('resync', '--preset', 'recommended', '--json');
  const doc = JSON.parse(out) as { members: { member: string; outages: Row[] }[]; workload: Record<string, number> };
  const recommended = findPreset('recommended')!.config;

  it('covers every member and the outage lengths of 1 hour to 30 days', () => {
    expect(status).toBe(0);
    expect(doc.members.map((m) => m.member)).toEqual(recommended.members.map((m) => m.id));
    for (const m of doc.members) expect(m.outages.map((o) => o.hours)).toEqual(OUTAGE_HOURS);
    expect(doc.workload).toEqual(resolveWorkload(recommended));
  });

  it('backlogs grow with downtime, High Availability above Home Server', () => {
    for (const m of doc.members)
      m.outages.forEach((o, i) => {
        expect(o.highAvailability.owedTotal).toBeGreaterThan(o.homeServer.owedTotal);
        expect(o.highAvailability.resyncHours).toBeGreaterThan(o.homeServer.resyncHours);
        if (i > 0) expect(o.highAvailability.owedTotal).toBeGreaterThan(m.outages[i - 1]!.highAvailability.owedTotal);
      });
  });

  it('purges cap the cached keys fetched from keyservers at their TTL (KB 162609)', () => {
    const ttl = recommended.keyCache.keyserverTtlHours;
    const rows = doc.members[0]!.outages;
    const capped = rows.filter((o) => o.hours >= ttl).map((o) => o.highAvailability.owed.fetchedKey);
    expect(new Set(capped).size).toBe(1);
    expect(rows.at(-1)!.highAvailability.purged.fetchedKey).toBeGreaterThan(0);
    for (const o of rows) expect(Object.keys(o.highAvailability.owed)).toEqual([...BACKLOG_KINDS]);
  });
});

describe('resync as text and as a plot', () => {
  it('prints a table with both modes and the seed article quoted', async () => {
    const { status, out } = await cli('resync', '--preset', 'dmz-ring', '--member', 'm1');
    expect(status).toBe(0);
    expect(out).toMatch(/outage\s+owed HA\s+owed HS/);
    expect(out).toContain(SEED_CLAIM);
    expect(out).toMatch(/after 30 days: .*stuck behind it/);
  });

  it('--svg writes a self-contained plot: both curves, the bounds, the claim beside them', async () => {
    const dir = tempDir();
    const file = join(dir, 'resync.svg');
    const { status } = await cli('resync', '--preset', 'recommended', '--member', 'm2', '--svg', file);
    expect(status).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('several hours or even days');
    expect(svg).toContain('SKM keys 14 d');
    expect(svg).not.toMatch(/<script|href=/);
    expect(listing(dir)).toEqual(['resync.svg']);
  });

  it('the resync page\'s plot, docs/resync-recommended.svg, is in step with the code (regenerate: see docs/resync.md)', () => {
    const analysis = analyseResync(findPreset('recommended')!.config, 'm1');
    expect(readFileSync('docs/resync-recommended.svg', 'utf8')).toBe(resyncPlot(analysis, analysis.members[0]!));
    expect(readFileSync('docs/resync.md', 'utf8')).toContain('could take several hours or even days, particularly if PGP\n> Web Messenger is in High Availability Mode');
  });

  it('one line per member for a text report', () => {
    const config = findPreset('recommended')!.config;
    const day = analyseResync(config, 'm1', [24]).members[0]!.outages[0]!.highAvailability;
    expect(resyncLine(config, 'm1')).toBe(`m1 down 1 day: owes ~${Math.round(day.owedTotal)} changes, resync ≈ ${day.resyncHours.toFixed(1)} h`);
  });
});

describe('resync: bad input exits 2 with a message, nothing written', () => {
  it.each([
    [['resync'], /give --preset NAME or --config FILE/],
    [['resync', '--preset', 'recommended', '--member', 'm9'], /--member: unknown member "m9".*valid: m1, m2, m3/],
    [['resync', '--preset', 'recomended'], /unknown preset "recomended".*did you mean "recommended"/],
    [['resync', '--preset', 'growing', '--member', 'm4'], /--member: unknown member "m4" \(or one that joins later\)/],
  ])('%j', async (argv, message) => {
    const dir = tempDir();
    const { status, err } = await cli(...argv, '--svg', join(dir, 'x.svg'));
    expect(status).toBe(2);
    expect(err).toMatch(message);
    expect(listing(dir)).toEqual([]);
  });

  it('a config with a bad workload names the file and the field', async () => {
    const dir = tempDir();
    const file = writeDoc(dir, 'c.json', { members: [{ id: 'a' }, { id: 'b' }], workload: { hopThroughputPerHour: 0 } });
    const { status, err } = await cli('resync', '--config', file, '--svg', join(dir, 'x.svg'));
    expect(status).toBe(2);
    expect(err).toContain(`${file}: workload.hopThroughputPerHour`);
    expect(existsSync(join(dir, 'x.svg'))).toBe(false);
  });

  it('a config workload scales the backlog', async () => {
    const dir = tempDir();
    const file = writeDoc(dir, 'c.json', { members: [{ id: 'a' }, { id: 'b' }], workload: { usersPerHour: 1000 } });
    const { status, out } = await cli('resync', '--config', file, '--member', 'a', '--json');
    expect(status).toBe(0);
    expect(JSON.parse(out).members[0].outages[0].highAvailability.owed.user).toBe(1000);
  });
});

describe('resync progress on a terminal', () => {
  it('drawn at once, then for each outage profile (two per member), and cleared; never without a terminal or with --json', async () => {
    const { run } = await import('./main.ts');
    const screen = terminal();
    try {
      expect(await run(['resync', '--preset', 'dmz-ring'], screen.io)).toBe(0);
      const members = findPreset('dmz-ring')!.config.members.length;
      expect(screen.lines()).toHaveLength(2 * members);
      expect(screen.lines()[0]).toMatch(new RegExp(`^resync of "dmz-ring": 0/${2 * members} outage profiles \\(member m1, both account modes\\), [\\d,]+ MB in use, \\d+\\.\\d s$`));
      expect(screen.drawn.at(-1)).toBe('\r\x1b[2K');
      screen.drawn.length = 0;
      await run(['resync', '--preset', 'dmz-ring', '--json'], screen.io);
      await run(['resync', '--preset', 'dmz-ring'], { ...screen.io, isTty: false });
      expect(screen.drawn).toEqual([]);
    } finally {
      screen.restore();
    }
  });
});

describe('resync with a hostile config name', () => {
  it('a control character, a line break or a bidi override in the name: the SVG stays well-formed XML, the report forges no line', async () => {
    const { JSDOM } = await import('jsdom');
    const dir = tempDir();
    const name = 'a\u0001b\nforged line\u202e<x>&';
    const file = writeDoc(dir, 'c.json', { ...findPreset('recommended')!.config, name });
    const { status, out } = await cli('resync', '--config', file, '--member', 'm1', '--svg', join(dir, 'plot.svg'));
    expect(status).toBe(0);
    const { window } = new JSDOM('');
    const svg = new window.DOMParser().parseFromString(readFileSync(join(dir, 'plot.svg'), 'utf8'), 'image/svg+xml');
    expect(svg.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(svg.querySelector('title')!.textContent).toBe('a\\u0001b\\u000aforged line\\u202e<x>&: resync time of m1 against its outage');
    expect(out).not.toMatch(/^forged line/m);
    expect(out).toContain('a\\u0001b\\u000aforged line\\u202e<x>&');
  });
});
