/**
 * The architecture, checked: the rooms (top-level folders of code) depend one way, from the command line
 * down to the generic checker and the plain input/output it stands on, and no module imports itself back
 * at run time. Each room says what it holds in its README.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The rooms, each allowed to import only the rooms before it. `test` and `bench` (tests, fixtures and
 * benchmarks) may import anything; nothing imports them but tests.
 */
const ROOMS = ['io', 'checker', 'config', 'model', 'properties', 'pgp', 'traces', 'reports', 'cli'] as const;
const ANYTHING = ['test', 'bench'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

/** A module's relative imports (and re-exports): the files, and whether each is for types only. */
function imports(file: string): { target: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)(\s+type)?\s[^;]*?from '(\.[^']+)'/gms)].map((m) => ({
    target: normalize(join(dirname(file), m[2]!)),
    typeOnly: m[1] !== undefined,
  }));
}

const roomOf = (file: string) => file.split('/')[0]!;
const folders = readdirSync('.').filter((d) => statSync(d).isDirectory() && !d.startsWith('.') && d !== 'node_modules');
const codeRooms = folders.filter((d) => sources(d).length > 0);
const files = codeRooms.flatMap(sources);

describe('the rooms', () => {
  it('are all named in the architecture, each with a README.md that says what it holds', () => {
    for (const room of codeRooms) {
      expect([...ROOMS, ...ANYTHING], `a new room ${room}/: give it its place in ROOMS (test/rooms.test.ts)`).toContain(room);
      expect(existsSync(join(room, 'README.md')), `${room}/README.md`).toBe(true);
    }
  });

  it('are all type-checked (tsconfig.json includes each, tests too)', () => {
    const include: string[] = JSON.parse(readFileSync('tsconfig.json', 'utf8')).include;
    for (const room of codeRooms) expect(include, `add ${room} to "include" in tsconfig.json`).toContain(room);
  });

  it('import only the rooms before them', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = roomOf(file);
      if (ANYTHING.includes(from)) continue;
      for (const { target } of imports(file)) {
        const to = roomOf(target);
        if (to === from) continue;
        if (ANYTHING.includes(to) || ROOMS.indexOf(to as (typeof ROOMS)[number]) > ROOMS.indexOf(from as (typeof ROOMS)[number]))
          wrong.push(`${file} imports ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('have no import cycle at run time', () => {
    const graph = new Map(files.map((f) => [f, imports(f).filter((i) => !i.typeOnly).map((i) => i.target)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
