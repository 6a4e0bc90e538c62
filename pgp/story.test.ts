import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { diffStates } from '../checker/diff.ts';
import { findPreset } from '../config/presets.ts';
import type { ClusterState } from '../model/state.ts';
import { crash, days, enroll, partition, recover, remove, replicate, upgrade, write } from '../test/helpers.ts';
import { tellTrace } from './story.ts';
import { eventsOf } from './story-events.ts';
import { describeEvents } from './story-words.ts';
import { makeTarget } from './target.ts';

const recommended = makeTarget(findPreset('recommended')!.config);
const linesOf = (target: typeof recommended, actions: Parameters<typeof tellTrace>[1]) => {
  const story = tellTrace(target, actions);
  if (story.kind !== 'ran') throw new Error(`step ${story.step}: ${story.why}`);
  return story.steps.map((s) => s.lines);
};

describe('what a step changed, read off the state difference', () => {
  it('outages, records reaching members, newer versions, cut and restored links, enrollments', () => {
    const lines = linesOf(recommended, [
      write('m1', 'user', 'alice'),
      replicate('m1'),
      write('m2', 'user', 'alice'),
      replicate('m2'),
      partition('m1', 'm3'),
      crash('m2'),
      recover('m2'),
      enroll('laptop1', 'm2'),
    ]);
    expect(lines).toEqual([
      ['m1 now holds user:alice (write #1, on m1)'],
      ['m2 received user:alice (write #1, on m1) from m1'],
      ['m2 now holds user:alice (write #2, on m2, replacing write #1, on m1)'],
      ['m3 received user:alice (write #2, on m2) from m2'],
      ['the link m1|m3 is cut: m1 and m3 cannot reach each other'],
      ['m2 went down'],
      ['m2 came back up'],
      ['m2 now holds user:laptop1 (write #3, on m2)', 'client laptop1 enrolled at m2'],
    ]);
  });

  it('a Home Server account and a removal', () => {
    const broken = makeTarget(findPreset('broken-member')!.config);
    expect(linesOf(broken, [write('m2', 'domain', 'example.com'), remove('m2')])[1]).toEqual([
      'm2 was removed from the cluster, taking domain:example.com, policy:default with it',
    ]);
    const home = makeTarget(findPreset('home-server')!.config);
    expect(linesOf(home, [write('m3', 'wmAccount', 'ivan')])[0]).toContain('Web Messenger account ivan is a Home Server account of m3: it stays there');
  });

  it('a replication hop that delivers nothing says why', () => {
    const dmz = makeTarget(findPreset('dmz-ring')!.config);
    expect(linesOf(dmz, [crash('m1'), write('m4', 'user', 'bob'), replicate('m4')])[2]).toEqual([
      'nothing changed: its successor m1 is down (a DMZ member keeps its fixed successor, KB 161304)',
    ]);
    expect(linesOf(recommended, [write('m1', 'user', 'bob'), replicate('m1'), replicate('m1')])[2]).toEqual([
      'nothing changed: its successor m2 already holds everything it may take',
    ]);
  });

  it("the model's bookkeeping is told in an administrator's words, or not at all", () => {
    const upgrades = makeTarget(findPreset('rolling-upgrade')!.config);
    const lines = linesOf(upgrades, [write('m1', 'wmAccount', 'ivan'), crash('m2'), days(1), recover('m2'), upgrade('m3'), enroll('laptop1', 'm1'), days(13)]);
    expect(lines[1]).toEqual(['m2 went down']);
    expect(lines[2]).toEqual(['it is now 1 day after the start']);
    expect(lines[3]).toEqual([
      'm2 came back up',
      'm2 came back without wmAccount:ivan (write #1, on m1), which its live peers held: it lacks that account until replication brings it (KB 156803)',
    ]);
    expect(lines[4]).toEqual(['m3 now runs the next release: it does not replicate with members on another release (KB 225396)']);
    expect(lines[6]).toEqual(['client laptop1 reached a server and its SKM key was renewed (KB 157933)', 'it is now 14 days after the start']);
    for (const line of lines.flat()) expect(line).not.toMatch(/ → /);
  });

  it('a state field the renderer does not know yet (say, one a later action adds) is still described', () => {
    const before = recommended.model.initial;
    const after = produce(before as ClusterState & { weather?: string }, (d) => {
      d.weather = 'rain';
      (d.members[0] as { mood?: number }).mood = 2;
    });
    const events = eventsOf(recommended.cluster, before, after, diffStates(before, after));
    expect(describeEvents(recommended.config, events, undefined)).toEqual(['m1.mood: (absent) → 2', 'weather: (absent) → "rain"']);
  });
});
