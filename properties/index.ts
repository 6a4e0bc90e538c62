/**
 * The property catalogue (SPEC §5). Adding a property is adding one file and one line here.
 */
import { desktopPolicyAvailability } from './desktop-policy-availability.ts';
import { eventualConvergence } from './eventual-convergence.ts';
import { noLostWrites } from './no-lost-writes.ts';
import { privateKeyAvailability } from './private-key-availability.ts';
import { privateKeysStayPut } from './private-keys-stay-put.ts';
import { survivorConvergence } from './survivor-convergence.ts';
import type { ClusterProperty } from './types.ts';
import { webMessengerAvailability } from './web-messenger-availability.ts';

export const PROPERTIES: readonly ClusterProperty[] = [
  eventualConvergence,
  survivorConvergence,
  noLostWrites,
  privateKeysStayPut,
  webMessengerAvailability,
  privateKeyAvailability,
  desktopPolicyAvailability,
];

export function findProperty(name: string): ClusterProperty | undefined {
  return PROPERTIES.find((p) => p.name === name);
}

export type { ClusterProperty, Outcome, PropertyKind } from './types.ts';
