import { describe, expect, it } from 'vitest';
import { cluster, crash, days, enroll, holders, partition, recover, run, threeAndAJoiner, threeMembers, write } from '../test/helpers.ts';
import { replicateToQuiescence, settleAll, settleSurvivors } from './settle.ts';

describe('settling', () => {
  const model = cluster({ members: threeMembers });

  it('ends every fault and replicates until a round delivers nothing, counting the rounds', () => {
    const s = run(model, [crash('m3'), partition('m1', 'm2'), write('m1', 'user', 'alice')]);
    const settled = settleAll(model, s);
    expect(settled.quiescent).toBe(true);
    expect(settled.state.members.every((m) => m.status === 'up')).toBe(true);
    expect(settled.state.cutLinks).toEqual({});
    expect(holders(settled.state, 'user:alice')).toEqual(['m1', 'm2', 'm3']);
    expect(settled.rounds).toBeGreaterThanOrEqual(1);
    expect(settled.actions.slice(0, 2)).toEqual([
      { type: 'recover', member: 'm3' },
      { type: 'heal', a: 'm1', b: 'm2' },
    ]);
  });

  it('survivors: links heal, down members stay down', () => {
    const s = run(model, [crash('m3'), write('m1', 'user', 'alice')]);
    const settled = settleSurvivors(model, s);
    expect(settled.state.members[2]!.status).toBe('down');
    expect(holders(settled.state, 'user:alice')).toEqual(['m1', 'm2']);
  });

  it('replaying the listed settling actions one by one reaches the same state', () => {
    const six = cluster({ members: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id })), faults: { maxDown: 2 } });
    const s = run(six, [crash('b'), write('a', 'user', 'alice'), partition('c', 'd'), write('f', 'privateKey', 'bob'), crash('e')]);
    const settled = settleAll(six, s);
    expect(run(six, settled.actions, s)).toEqual(settled.state);
  });

  it('a quiet cluster takes zero rounds', () => {
    const s = run(model, []);
    expect(replicateToQuiescence(model, s).rounds).toBe(0);
  });

  it('is memoized per state: asking twice gives the same object', () => {
    const s = run(model, [write('m2', 'domain', 'example.com')]);
    expect(settleAll(model, s)).toBe(settleAll(model, s));
  });

  it('a member waiting to join stays outside: settling does not join it', () => {
    const growing = cluster({ members: threeAndAJoiner });
    const settled = settleAll(growing, run(growing, [crash('m1'), write('m2', 'user', 'alice')]));
    expect(settled.state.members[3]).toMatchObject({ status: 'waiting', records: {} });
    expect(holders(settled.state, 'user:alice')).toEqual(['m1', 'm2', 'm3']);
  });

  it('no time passes while settling: nothing is purged and no SKM key changes', () => {
    const s = run(model, [write('m1', 'fetchedKey', 'olivia'), enroll('laptop1', 'm1'), crash('m1'), days(1)]);
    const settled = settleAll(model, s);
    expect(settled.state.clock).toBe(s.clock);
    expect(settled.state.clients).toEqual(s.clients);
    // m1 comes back with the key past its retention: it keeps it until its next purge, and does not send it.
    expect(holders(settled.state, 'fetchedKey:olivia')).toEqual(['m1']);
    expect(settled.actions[0]).toEqual(recover('m1'));
  });

  it('a longer ring takes more rounds to resync a backlog', () => {
    const six = cluster({ members: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, zone: 'dmz' as const })) });
    const s = run(six, [write('f', 'user', 'alice')]);
    expect(settleAll(six, s).rounds).toBeGreaterThan(settleAll(model, run(model, [write('m3', 'user', 'alice')])).rounds);
  });
});
