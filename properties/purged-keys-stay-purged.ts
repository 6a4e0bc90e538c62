import { isCacheKind, kindOf, type RecordId } from '../model/records.ts';
import { formatHours } from '../model/time.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';
import { holdsRecordOf } from './helpers.ts';

export const purgedKeysStayPurged: ClusterProperty = {
  name: 'purged-keys-stay-purged',
  group: 'lifecycle',
  kind: 'always',
  needsTime: true,
  source: 'KB 162609 (mail-flow keys purged after 180 days, keyserver keys after keyCache.keyserverTtlHours), KB 153198 (cached keys replicate)',
  statement:
    'A cached key past its retention is held by no live member after that member next purges, and replication never brings it back: no live member holds a cached key whose retention ended at or before its last purge.',
  reads: { kinds: ['cachedKey', 'fetchedKey'] },
  subject: holdsRecordOf('a member holds a cached or fetched key', 'cachedKey', 'fetchedKey'),
  advice: {
    recommendation: {
      text: 'Keys cached from the mail flow are purged 180 days after caching and keys fetched from keyservers after the configured time to live; bring members back promptly, since a member purges its cache only while it is up.',
      source: 'KB 162609',
      by: 'vendor',
    },
    violated: () => undefined,
    holds({ searched }) {
      return `Replication never sends a key past its retention, and each member purges its cache as time passes while it is up; in ${searched} no expired key came back.`;
    },
  },
  notApplicable: (model) => (model.members.some((m) => m.services.includes('mail')) ? undefined : 'no member runs mail, so no member caches keys'),
  check(model, state) {
    for (const m of state.members) {
      if (m.status !== 'up') continue;
      for (const id in m.cachedAt) {
        const rid = id as RecordId;
        const kind = kindOf(rid);
        if (!isCacheKind(kind) || m.records[rid] === undefined) continue;
        const expired = m.cachedAt[rid]! + model.retention[kind];
        if (expired <= m.purgedAt)
          return violated(
            `${m.id} holds ${rid}, cached ${formatHours(m.cachedAt[rid]!)} after the start and kept for ${formatHours(model.retention[kind])} (KB 162609), though its purge ${formatHours(m.purgedAt)} after the start came after that retention ended`,
          );
      }
    }
    return HOLDS;
  },
};
