/** TEMPORARY: today's candidate order, against the old hand-written generator (deleted in the next commit). */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_MODES, allowsUpgrade } from '../config/schema.ts';
import { PRESETS } from '../config/presets.ts';
import { resolveConfig } from '../config/validate.ts';
import type { Action } from './actions.ts';
import { type ClusterModel, compileCluster } from './cluster.ts';
import { candidateActions, DEFAULT_HOURS, DEFAULT_SCOPE, makeScope, type Scope } from './enabled.ts';
import type { RecordKind } from './records.ts';

const WRITE_ORDER: readonly RecordKind[] = ['wmAccount', 'privateKey', 'user', 'cachedKey', 'fetchedKey', 'domain', 'policy'];

/** Every action of the scope, enabled or not, in a fixed order. */
function legacyCandidateActions(model: ClusterModel, scope: Scope): Action[] {
  const ids = model.members.map((m) => m.id);
  const out: Action[] = [];
  for (const member of ids) out.push({ type: 'crash', member }, { type: 'recover', member });
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      out.push({ type: 'partition', a: ids[i]!, b: ids[j]! }, { type: 'heal', a: ids[i]!, b: ids[j]! });
    }
  for (const member of ids)
    for (const kind of WRITE_ORDER) for (const key of scope.keys[kind]) out.push({ type: 'write', member, record: { kind, key } });
  for (const member of ids) out.push({ type: 'replicate', member }, { type: 'remove', member });
  for (const client of scope.clients) for (const member of ids) out.push({ type: 'enroll', client, member });
  // The lifecycle actions, only where the config allows them.
  for (const m of model.members) if (m.joinsLater) out.push({ type: 'join', member: m.id });
  // Major upgrades and minor updates (KB 153403), as `faults.upgrades` allows.
  const upgrades = model.config.faults.upgrades;
  for (const member of ids) {
    if (allowsUpgrade(upgrades, 'major')) out.push({ type: 'upgrade', member, major: true });
    if (allowsUpgrade(upgrades, 'minor')) out.push({ type: 'upgrade', member, major: false });
  }
  for (const hours of scope.hours ?? DEFAULT_HOURS) out.push({ type: 'advanceTime', hours });
  if (model.config.webMessenger.switchTo !== undefined)
    for (const mode of ACCOUNT_MODES) out.push({ type: 'setAccountMode', mode });
  return out;
}


describe('candidateActions keeps the order of the old generator', () => {
  const configs = [
    ...PRESETS.map((p) => p.config),
    resolveConfig({
      name: 'everything',
      members: [{ id: 'a', joinsLater: false }, { id: 'b', zone: 'dmz', privateKeys: false }, { id: 'c', joinsLater: true }, { id: 'd', joinsLater: true }],
      webMessenger: { accountMode: 'homeServer', switchTo: 'highAvailability' },
      faults: { maxDown: 1, removeMember: true, upgrades: true },
    }),
    resolveConfig({ name: 'minor', members: [{ id: 'a' }, { id: 'b' }], faults: { upgrades: 'minor' } }),
    resolveConfig({ name: 'major', members: [{ id: 'a' }, { id: 'b' }], faults: { upgrades: 'major' } }),
  ];
  const scopes: Scope[] = [DEFAULT_SCOPE, makeScope(1, 1), makeScope(2, 3, [24]), makeScope(4, 4, []), makeScope(0, 0)];
  it.each(configs.map((c) => [c.name, c] as const))('%s', (_name, config) => {
    const model = compileCluster(config);
    for (const scope of scopes) expect(JSON.stringify(candidateActions(model, scope))).toBe(JSON.stringify(legacyCandidateActions(model, scope)));
  });
});
