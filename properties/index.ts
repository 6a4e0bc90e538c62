/**
 * The property catalogue: the seven of docs/properties.md, then the cluster's later life (joining, time, the load
 * balancer's rotation). Adding a property is adding one file and one line here.
 */
import { desktopPolicyAvailability } from './desktop-policy-availability.ts';
import { dmzSuccessorUnreachable } from './dmz-successor-unreachable.ts';
import { eventualConvergence } from './eventual-convergence.ts';
import { joinUnderOutage } from './join-under-outage.ts';
import { noLostWrites } from './no-lost-writes.ts';
import { noSilentOverwrite } from './no-silent-overwrite.ts';
import { outageBacklog } from './outage-backlog.ts';
import { partitionDivergence } from './partition-divergence.ts';
import { splitDivergence } from './split-divergence.ts';
import { privateKeyAvailability } from './private-key-availability.ts';
import { privateKeysStayPut } from './private-keys-stay-put.ts';
import { mixedReleases } from './mixed-releases.ts';
import { expiredKeyHeld } from './expired-key-held.ts';
import { clientCutOff } from './client-cut-off.ts';
import { joinPendingSponsorDown } from './join-pending-sponsor-down.ts';
import { purgedKeysStayPurged } from './purged-keys-stay-purged.ts';
import { removalTookAWrite } from './removal-took-a-write.ts';
import { skmKeysStayValid } from './skm-keys-stay-valid.ts';
import { survivorConvergence } from './survivor-convergence.ts';
import type { ClusterProperty } from './types.ts';
import { webMessengerAvailability } from './web-messenger-availability.ts';
import { webMessengerRejoinFreshness } from './web-messenger-rejoin-freshness.ts';

export const PROPERTIES: readonly ClusterProperty[] = [
  eventualConvergence,
  survivorConvergence,
  noLostWrites,
  privateKeysStayPut,
  webMessengerAvailability,
  privateKeyAvailability,
  desktopPolicyAvailability,
  noSilentOverwrite,
  joinUnderOutage,
  skmKeysStayValid,
  purgedKeysStayPurged,
  webMessengerRejoinFreshness,
  // Non-vacuity (`sometimes`): one per kind of fault, so that no property passes because the search
  // never reached the states that could break it.
  outageBacklog,
  partitionDivergence,
  splitDivergence,
  dmzSuccessorUnreachable,
  removalTookAWrite,
  mixedReleases,
  expiredKeyHeld,
  clientCutOff,
  joinPendingSponsorDown,
];

export function findProperty(name: string): ClusterProperty | undefined {
  return PROPERTIES.find((p) => p.name === name);
}

export type { ClusterProperty, Outcome, PropertyKind } from './types.ts';
