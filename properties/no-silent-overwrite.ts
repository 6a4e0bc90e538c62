import type { RecordId } from '../model/records.ts';
import { stampWriter } from '../model/stamps.ts';
import { argued } from './explain.ts';
import { describeVersion } from './helpers.ts';
import { type ClusterProperty, HOLDS, violated } from './types.ts';

/**
 * A write acknowledged on one side of a cut link or a site split is not superseded by a concurrent write
 * made where it could not be seen. The cluster is multi-master (any member may make persistent changes,
 * KB 153198) and the vendor documents no conflict rule; the model's reading is last writer wins by the
 * order of writes (`model/stamps.ts`), under which such a write silently loses (`ClusterState.overwritten`,
 * marked by the write rule in `model/step.ts`).
 */
export const noSilentOverwrite: ClusterProperty = {
  name: 'no-silent-overwrite',
  group: 'core',
  kind: 'always',
  source: 'modelling choice (last writer wins; the vendor documents no conflict rule); KB 153198 (multi-master); KB 225396 (Directory Synchronization writes during a split)',
  statement:
    'No acknowledged write is superseded by a write of the same record made on a member that lacked it and could not reach a live member holding it (a cut link or a site split in between): under last writer wins that write is silently lost.',
  reads: { overwritten: true, acknowledged: true },
  subject: {
    description: 'a record is written again while an older version of it is still held',
    occurs: (_model, state) =>
      Object.keys(state.overwritten).length > 0 ||
      state.members.some((m) => Object.entries(m.records).some(([id, stamp]) => stamp < (state.acknowledged[id as RecordId] ?? 0))),
  },
  advice: {
    recommendation: {
      text: 'During a split (a WAN cut between sites, or members that cannot reach each other), make administrative changes on one side only, and pause Directory Synchronization on the other (as KB 225396 advises during an upgrade), so that no record is changed on both sides: the vendor documents no rule for which change wins, and this tool assumes the later one does, silently.',
      source: 'KB 225396; KB 153198',
      by: 'inference',
    },
    violated({ model, state }) {
      for (const id in state.overwritten) {
        const rid = id as RecordId;
        const now = state.acknowledged[rid];
        const by = now === undefined || stampWriter(now) === undefined ? 'a later write' : describeVersion(model, now);
        return `${rid} was changed on both sides of a split: ${by} superseded a change it could not see (the members between were cut off), and under last writer wins that change is gone without a word. The vendor documents no conflict rule for its multi-master cluster (KB 153198); this tool reads it as last writer wins.`;
      }
      return undefined;
    },
    holds(context) {
      const { config } = context;
      const splits = config.faults.maxSiteSplits > 0;
      const partitions = config.faults.partitions;
      if (!splits && !partitions)
        return argued(context, 'No link may be cut and no site split off here (faults.partitions: false, no site split)', 'every write can see the last one');
      return `In ${context.searched} no record was changed on both sides of a cut link${splits ? ' or a site split' : ''}.`;
    },
  },
  // A split between sites is what this property judges (issue 21): a cluster that names no sites has none.
  // Two members cut apart by single links and outages can lose an edit the same way; the property is
  // judged only where the members name their sites, so a cluster without sites keeps the verdicts its
  // documentation gives (docs/properties.md), and gives each member its site to be judged.
  notApplicable: (model) =>
    model.sites.length >= 2 ? undefined : 'the members name fewer than two sites (members[].site), so no split between sites can separate them',
  check(_model, state) {
    for (const id in state.overwritten) {
      const rid = id as RecordId;
      return violated(`${rid}: an acknowledged write was superseded by a write made where it could not be seen (a cut link or a site split in between)`);
    }
    return HOLDS;
  },
};
