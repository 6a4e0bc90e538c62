/**
 * The equivalence harness on every preset and example (`test/equivalence-cases.ts`): the rules' object
 * backend and row backend agree on every state of every component to a fixed depth. The config corpus
 * runs in `model/equivalence-corpus.test.ts` (a file of its own, so that the two run side by side).
 */
import { describeEquivalence, EQUIVALENCE_DEPTH, equivalenceCases } from '../test/equivalence-cases.ts';

describeEquivalence(
  equivalenceCases().filter((c) => !c.name.startsWith('corpus-')),
  EQUIVALENCE_DEPTH,
);
