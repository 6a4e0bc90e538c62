/** The example property of docs/extending.md, kept here so that the tests check it compiles and means what the guide says. */
import { heldRecords } from '../properties/helpers.ts';
import { type ClusterProperty, holds, judgedAfterSettling, violated } from '../properties/types.ts';

export const domainsOnTwoMembers: ClusterProperty = judgedAfterSettling({
  name: 'domains-on-two-members',
  group: 'lifecycle', // 'core': the seven original properties; 'guard': a `sometimes` property
  source: 'modelling choice',
  statement: 'After replication quiesces, every managed domain is held by at least two members.',
  // What it reads: exploration keeps only this, and random search writes these kinds (a test checks it).
  reads: { kinds: ['domain'] },
  // What it is about: a search in which no member ever held a domain says "vacuous", not "holds".
  subject: {
    description: 'a member holds a managed domain',
    occurs: (_model, state) => heldRecords(state, 'domain').length > 0,
  },
  notApplicable: (model) => (model.size < 2 ? 'fewer than two members' : undefined),
  settles: 'all',
  judge(_model, settled) {
    for (const id of heldRecords(settled.state, 'domain')) {
      const count = settled.state.members.filter((m) => m.status !== 'removed' && m.records[id] !== undefined).length;
      if (count < 2) return violated(`${id} is held by ${count} member(s)`, settled.rounds);
    }
    return holds(settled.rounds);
  },
  advice: {
    recommendation: { text: 'Do not break members out of the cluster; take one out of mail and port traffic instead.', source: 'KB 153476', by: 'vendor' }, // 'inference' for advice the vendor does not give in so many words
    violated: () => undefined, // undefined: the checker's message says it best
    holds: ({ searched }) => `In ${searched} every managed domain stayed on two members.`,
  },
});
