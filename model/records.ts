/**
 * The replicated data of a cluster (docs/model.md, modelling assumptions, KB 153723): each record is identified by `kind:key`.
 */

/**
 * - `user`: a user with public keys (internal or external consumer), replicated everywhere (KB 153723).
 * - `privateKey`: an internal user's private key; replicates only to members that allow it (KB 153723, KB 161304).
 * - `domain`: a managed domain (KB 153723).
 * - `policy`: a consumer or mail policy; every member starts with the cluster's default policy.
 * - `cachedKey`: a key cached from the mail flow, replicated across the cluster (KB 153198); purged 180 days
 *   after it was cached (KB 162609).
 * - `fetchedKey`: a key fetched from an external keyserver and cached; purged after
 *   `keyCache.keyserverTtlHours`, 1 day by default (KB 162609). Like every cached key it replicates across
 *   the cluster (KB 153198). Modelling choice: a member fetches keys while processing mail (to encrypt to an
 *   external recipient), so fetching needs `mail`, like caching from the mail flow.
 * - `wmAccount`: a Web Messenger account (KB 153723; modes from the vendor's note on Home Server / High Availability).
 */
export const RECORD_KINDS = ['user', 'privateKey', 'domain', 'policy', 'cachedKey', 'fetchedKey', 'wmAccount'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * Kinds whose records obey exactly the rules of another kind: managed domains and policies replicate to
 * every member and may be written on any, as users do (`onRing` in `model/cluster.ts`, the write rule in
 * `model/step.ts`), so a search that reads every kind lets users stand for them (`scopeFor` in
 * `model/enabled.ts`). `model/scope.test.ts` checks the claim on random traces.
 */
export const SAME_RULES_AS: Readonly<Partial<Record<RecordKind, RecordKind>>> = { domain: 'user', policy: 'user' };

export interface RecordRef {
  readonly kind: RecordKind;
  readonly key: string;
}

/** `kind:key`, for example `user:alice`. */
export type RecordId = `${RecordKind}:${string}`;

export function recordId(ref: RecordRef): RecordId {
  return `${ref.kind}:${ref.key}`;
}

export function kindOf(id: RecordId): RecordKind {
  return id.slice(0, id.indexOf(':')) as RecordKind;
}

export function keyOf(id: RecordId): string {
  return id.slice(id.indexOf(':') + 1);
}

/** The kinds held in a member's key cache, each purged when its retention has passed (KB 162609). */
export type CacheKind = 'cachedKey' | 'fetchedKey';

export function isCacheKind(kind: RecordKind): kind is CacheKind {
  return kind === 'cachedKey' || kind === 'fetchedKey';
}

export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && (RECORD_KINDS as readonly string[]).includes(value);
}

/** Every member starts with the cluster's default policy (docs/model.md, actions); desktop clients download it. */
export const DEFAULT_POLICY: RecordId = 'policy:default';

/** The user record a desktop client's enrollment creates (docs/model.md, actions `enroll`). */
export function clientUser(client: string): RecordId {
  return `user:${client}`;
}
