import type { RecordId } from '../model/records.ts';
import { isPastRetention } from '../model/topology.ts';
import { anyMemberRuns } from './helpers.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/** Non-vacuity for the key cache's retention: time has passed far enough to make a purge matter. */
export const expiredKeyHeld: ClusterProperty = {
  name: 'expired-key-held',
  group: 'guard',
  kind: 'sometimes',
  needsTime: true,
  source: 'KB 162609 (mail-flow keys purged after 180 days, keyserver keys after their time to live)',
  statement: 'Reachable: a member holds a cached or fetched key past its retention, waiting for its next purge.',
  reads: { kinds: ['cachedKey', 'fetchedKey'] },
  notApplicable: (model) => (anyMemberRuns(model, 'mail') ? undefined : 'no member runs mail, so no key is ever cached'),
  check(model, state) {
    for (let m = 0; m < model.size; m++)
      for (const id in state.members[m]!.cachedAt) if (isPastRetention(model, state, m, id as RecordId)) return HOLDS;
    return violated('no member holds a key past its retention');
  },
};
