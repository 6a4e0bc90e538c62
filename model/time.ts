/**
 * Time (docs/model.md, modelling assumptions): the clock, key-cache retention and SKM key validity. Time passes without a
 * bound; the canonical key of a state keeps time relative to the clock (`model/row.ts`), which is
 * what keeps an exploration's state space finite.
 */
import type { ClusterConfig } from '../config/schema.ts';
import type { CacheKind, RecordKind } from './records.ts';
import type { DesktopClient } from './state.ts';

export const HOURS_PER_DAY = 24;

/**
 * The steps `advanceTime` takes by default: a day (the default keyserver TTL, an SKM key's renewal lead,
 * and time passing while a member is down within the default two-day outage limit), two weeks (an SKM
 * key's validity), three weeks, and 180 days (the mail-flow key-cache retention) (KB 162609, KB 157933).
 * Every threshold of the model is one or two steps away, and few values keep each one likely, so a random
 * trace reaches a lapse or a purge in a few actions.
 */
export const DEFAULT_HOURS: readonly number[] = [24, 14 * 24, 21 * 24, 180 * 24];

/**
 * Modelling choice: the clock goes no further than 1,000 years after the start (an `advanceTime` past it
 * is not enabled). Every hour the model adds to it (a retention, a validity, an outage limit) then stays
 * a small whole number, exact in floating point: unbounded, the clock could overflow to Infinity, and past
 * 2^53 hours adding a day would round (a 24-hour key purged after 1 hour).
 */
export const MAX_CLOCK_HOURS = 1000 * 365 * HOURS_PER_DAY;

/** Keys cached from the mail flow are purged after a fixed 180 days (KB 162609). */
export const MAIL_CACHE_RETENTION_HOURS = 180 * HOURS_PER_DAY;

/** SKM keys are valid for two weeks by default (KB 157933). */
export const SKM_VALIDITY_HOURS = 14 * HOURS_PER_DAY;

/** They are renewed the day before they expire (KB 157933). */
export const SKM_RENEWAL_LEAD_HOURS = HOURS_PER_DAY;

/** How long a key of this cache kind is kept: 180 days from mail flow, the keyserver TTL when fetched (KB 162609). */
export function retentionHours(config: ClusterConfig, kind: CacheKind): number {
  return kind === 'cachedKey' ? MAIL_CACHE_RETENTION_HOURS : config.keyCache.keyserverTtlHours;
}

/** The longest a member stays down (`faults.maxOutageDays`), in hours. */
export function outageLimitHours(config: ClusterConfig): number {
  return config.faults.maxOutageDays * HOURS_PER_DAY;
}

/**
 * The time steps that prove what time decides about one component (desktop clients, or records of a
 * cache kind), as `check` explores them: each threshold the rules compare that component's hours with,
 * so that every one is reached in one step.
 * - A client: its SKM key's renewal day and validity (KB 157933), and the outage limit. (A step that
 *   crosses the renewal day renews there: `passTime`. A one-day step too doubled the space, measured on
 *   dmz-ring: 104,895 states against 58,520, and reached nothing new.)
 * - A key fetched from a keyserver: the TTL (KB 162609), and the outage limit.
 * - A key cached from mail: the 180-day retention (KB 162609). Not the outage limit: steps of two days
 *   would make every age of a copy in 90 steps distinct (measured: past 3,000,000 states on the
 *   three-member preset), so in these bounds time passes while a member is down only when the outage
 *   limit is at least the retention.
 * Every other record: none (the rules read no hours of theirs).
 */
export function thresholdSteps(config: ClusterConfig, component: 'client' | RecordKind): readonly number[] {
  const steps =
    component === 'client'
      ? [SKM_VALIDITY_HOURS - SKM_RENEWAL_LEAD_HOURS, SKM_VALIDITY_HOURS, outageLimitHours(config)]
      : component === 'fetchedKey'
        ? [retentionHours(config, component), outageLimitHours(config)]
        : component === 'cachedKey'
          ? [retentionHours(config, component)]
          : [];
  return [...new Set(steps)].sort((a, b) => a - b);
}

/** `5 hours`, `1 day`, `14 days`, `2 days 3 hours`. */
export function formatHours(hours: number): string {
  const days = Math.floor(hours / HOURS_PER_DAY);
  const rest = hours % HOURS_PER_DAY;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days === 0) return part(rest, 'hour');
  return rest === 0 ? part(days, 'day') : `${part(days, 'day')} ${part(rest, 'hour')}`;
}

/** A client's SKM key: the hour it was issued, and the last hour the client talked to a server. */
export type SkmKey = Pick<DesktopClient, 'skmIssued' | 'lastContact'>;

/** The hour a client's SKM key expires. */
export function skmExpires(client: DesktopClient): number {
  return client.skmIssued + SKM_VALIDITY_HOURS;
}

/**
 * A client's SKM key across a stretch of time from `from` to `to`, during which it reaches a server
 * throughout (`reaches`) or not at all (nothing else changes while time passes).
 *
 * KB 157933: keys "are renewed the day before they expire, only if the user has talked to the server";
 * otherwise the account shows as pending or greyed out. Our reading (a modelling choice where the article
 * is terse): on the day before expiry the key is renewed if the client has talked to a server since the
 * key was issued; if it has not, it is renewed the moment it next talks to one, and it lapses if that
 * moment does not come before it expires. A lapsed key is issued anew at the next contact.
 */
export function passTime<C extends SkmKey>(client: C, from: number, to: number, reaches: boolean): C | SkmKey {
  let issued = client.skmIssued;
  const contact = client.lastContact;
  for (;;) {
    const renewal = issued + SKM_VALIDITY_HOURS - SKM_RENEWAL_LEAD_HOURS;
    // The user has talked to a server since the key was issued, or talks to one throughout this stretch.
    if (!(contact > issued || reaches)) break;
    const at = Math.max(renewal, from);
    if (at > to) break;
    issued = at;
    // Renewed on the strength of an earlier contact: a further renewal needs a contact after this one.
    if (!reaches) break;
  }
  if (issued === client.skmIssued && !reaches) return client;
  return { skmIssued: issued, lastContact: reaches ? to : contact };
}
