/**
 * The equivalence harness on the config corpus drawn from the schema (`test/config-corpus.ts`): the rules'
 * object backend and row backend agree on every state of every component to a fixed depth.
 */
import { describeEquivalence, EQUIVALENCE_DEPTH, equivalenceCases } from '../test/equivalence-cases.ts';

describeEquivalence(
  equivalenceCases().filter((c) => c.name.startsWith('corpus-')),
  EQUIVALENCE_DEPTH,
);
