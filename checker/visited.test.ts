import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashRow, RowTable, TraceLinks } from './visited.ts';

describe('RowTable', () => {
  it('is an exact set of rows: the same answers as a set of their texts, through growth, the all-zero row included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        // Few distinct words, so that rows repeat and collide; zeros often.
        fc.array(fc.array(fc.constantFrom(0, 1, -1, 7, 0x7fffffff, -0x80000000), { minLength: 4, maxLength: 4 }), { maxLength: 400 }),
        (width, rows) => {
          const table = new RowTable(width, 4);
          const reference = new Set<string>();
          for (const words of rows) {
            const row = Int32Array.from(words.slice(0, width));
            const key = row.join(',');
            const hash = hashRow(row, 0, width);
            expect(table.has(row, 0, hash)).toBe(reference.has(key));
            expect(table.add(row, 0, hash)).toBe(!reference.has(key));
            reference.add(key);
            expect(table.has(row, 0, hash)).toBe(true);
          }
          expect(table.size).toBe(reference.size);
          const listed: string[] = [];
          table.forEach((data, at) => {
            listed.push(Array.from(data.subarray(at, at + width)).join(','));
          });
          expect(listed.sort()).toEqual([...reference].sort());
        },
      ),
    );
  });

  it('stays between 53% and 80% full: at most 15 bytes per two-word row once grown', () => {
    const table = new RowTable(2, 16);
    const row = new Int32Array(2);
    let most = 0;
    for (let i = 1; i <= 200_000; i++) {
      row[0] = i;
      row[1] = i * 7;
      table.add(row, 0, hashRow(row, 0, 2));
      if (i > 1000) most = Math.max(most, table.bytes / i);
    }
    expect(most).toBeLessThanOrEqual(15.1);
    expect(most).toBeGreaterThan(14);
  });
});

describe('TraceLinks', () => {
  it('gives back every state’s parent and candidate, candidates of any size', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 70_000 }), { maxLength: 6 }), { minLength: 1, maxLength: 300 }), (expansions) => {
        const links = new TraceLinks();
        const parents = [-1];
        const candidates = [-1];
        // Expand states in order, each adding its new successors, as long as there are states to expand.
        expansions.forEach((children, parent) => {
          if (parent >= parents.length) return;
          for (const c of children) {
            links.addChild(c);
            parents.push(parent);
            candidates.push(c);
          }
          links.closeParent();
        });
        expect(links.states).toBe(parents.length);
        for (let i = 1; i < parents.length; i++) {
          expect(links.parentOf(i)).toBe(parents[i]);
          expect(links.viaOf(i)).toBe(candidates[i]);
        }
        const last = parents.length - 1;
        const path: number[] = [];
        for (let i = last; i > 0; i = parents[i]!) path.push(candidates[i]!);
        expect(links.path(last)).toEqual(path.reverse());
      }),
    );
  });

  it('finds parents past many blocks of its index (long streams)', () => {
    const links = new TraceLinks();
    const parents = [-1];
    for (let parent = 0; parents.length < 300_000; parent++) {
      const children = parent % 7 === 3 ? 0 : (parent % 5) + 1;
      for (let c = 0; c < children; c++) {
        links.addChild(c);
        parents.push(parent);
      }
      links.closeParent();
    }
    for (let i = 1; i < parents.length; i += 997) expect(links.parentOf(i)).toBe(parents[i]);
    expect(links.parentOf(parents.length - 1)).toBe(parents[parents.length - 1]);
    // One byte per candidate and at most two bits per state for the parents, with a fifth of slack.
    expect(links.bytes / parents.length).toBeLessThan(1.6);
  });
});
