/**
 * One bad config file per class of bad input (issue 4), with the exact messages `check --config` must
 * print and whether the published JSON Schema can reject it too. Shared by the command-line tests
 * (`cli/config-errors.test.ts`) and the JSON Schema tests (`config/json-schema.test.ts`).
 *
 * In `errors`, FILE stands for the path of the file; each line is printed after `error: `.
 */

export interface BadConfig {
  /** The class of bad input. */
  readonly name: string;
  /** The file's text. */
  readonly text: string;
  readonly errors: readonly string[];
  /**
   * `rejects`: a JSON Schema validator rejects it too (editors flag it); `cross-field`: JSON Schema
   * cannot say it (it needs the whole document), so only `check` does; `text`: a problem in the file's
   * text (invalid JSON, a field repeated in one object), which no schema sees.
   */
  readonly jsonSchema: 'rejects' | 'cross-field' | 'text';
}

const json = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;
const three = [{ id: 'm1' }, { id: 'm2' }, { id: 'm3' }];

export const BAD_CONFIGS: readonly BadConfig[] = [
  {
    name: 'invalid JSON (a trailing comma)',
    text: '{\n  "members": [\n    { "id": "m1" },\n  ]\n}\n',
    errors: ['FILE:4:3: invalid JSON: unexpected "]"; expected a value (a comma before "]"?)'],
    jsonSchema: 'text',
  },
  {
    name: 'a negative workload rate',
    text: json({ members: three, workload: { usersPerHour: -5 } }),
    errors: ['FILE: workload.usersPerHour: -5 is out of range; valid: 0 to 1000000000'],
    jsonSchema: 'rejects',
  },
  {
    name: 'an unknown kind of upgrade',
    text: json({ members: three, faults: { upgrades: 'mnor' } }),
    errors: ['FILE: faults.upgrades: expected true, false, "minor" or "major", got "mnor"; did you mean "minor"?'],
    jsonSchema: 'rejects',
  },
  {
    name: 'invalid JSON (a missing comma between fields)',
    text: '{\n  "name": "x"\n  "members": []\n}\n',
    errors: ['FILE:3:3: invalid JSON: unexpected "\\""; expected "," or "}"'],
    jsonSchema: 'text',
  },
  {
    name: 'an empty file',
    text: '',
    errors: ['FILE:1:1: invalid JSON: unexpected end of file; expected a value'],
    jsonSchema: 'text',
  },
  {
    name: 'a field given twice in one object (JSON would keep only the last)',
    text: '{\n  "members": [{ "id": "m1" }, { "id": "m2" }],\n  "faults": { "maxDown": 1 },\n  "faults": { "removeMember": true }\n}\n',
    errors: ['FILE:4:3: field "faults" appears twice in one object (also at line 3); JSON would keep only the last: merge them'],
    jsonSchema: 'text',
  },
  {
    name: 'not an object',
    text: json([{ id: 'm1' }, { id: 'm2' }]),
    errors: ['FILE: a config is a JSON object, such as { "members": [...] }; got an array'],
    jsonSchema: 'rejects',
  },
  {
    name: 'wrong types (quoted boolean and number, a single service for a list)',
    text: json({
      members: [{ id: 'm1', privateKeys: 'false' }, { id: 'm2', services: 'mail' }, { id: 'm3' }],
      faults: { maxDown: '1' },
    }),
    errors: [
      'FILE: members[0].privateKeys: expected true or false, got "false" (write false without quotes)',
      'FILE: members[1].services: expected an array of services, such as ["mail", "desktop"], got "mail" (write ["mail"])',
      'FILE: faults.maxDown: expected a number, got "1" (write 1 without quotes)',
    ],
    jsonSchema: 'rejects',
  },
  {
    name: 'unknown fields, with did-you-mean',
    text: json({ nmae: 'lab', members: [{ id: 'm1', zon: 'dmz' }, { id: 'm2' }], fault: { maxDown: 1 } }),
    errors: [
      'FILE: nmae: unknown field; valid here: $schema, name, members, webMessenger, loadBalancer, faults, keyCache, assumptions, accept, workload; did you mean "name"?',
      'FILE: members[0].zon: unknown field; valid here: id, role, zone, services, privateKeys, joinsLater, site; did you mean "zone"?',
      'FILE: fault: unknown field; valid here: $schema, name, members, webMessenger, loadBalancer, faults, keyCache, assumptions, accept, workload; did you mean "faults"?',
    ],
    jsonSchema: 'rejects',
  },
  {
    name: 'missing fields (members; a member id)',
    text: json({ name: 'lab' }),
    errors: ['FILE: members: missing required field; expected an array of members, such as [{ "id": "m1" }, { "id": "m2" }]'],
    jsonSchema: 'rejects',
  },
  {
    name: 'a member without an id',
    text: json({ members: [{ id: 'm1' }, { zone: 'dmz' }] }),
    errors: ['FILE: members[1].id: missing required field; expected a member id, such as "m1"'],
    jsonSchema: 'rejects',
  },
  {
    name: 'unknown service and zone, with did-you-mean',
    text: json({ members: [{ id: 'm1', services: ['mail', 'mial'] }, { id: 'm2', zone: 'DMZ' }, { id: 'm3', zone: 'perimeter' }] }),
    errors: [
      'FILE: members[0].services[1]: unknown service "mial"; valid: mail, webMessenger, keyserver, desktop, verifiedDirectory; did you mean "mail"?',
      'FILE: members[1].zone: unknown zone "DMZ"; valid: internal, dmz; did you mean "dmz"?',
      'FILE: members[2].zone: unknown zone "perimeter"; valid: internal, dmz',
    ],
    jsonSchema: 'rejects',
  },
  {
    name: 'duplicate member ids',
    text: json({ members: [{ id: 'm1' }, { id: 'm2' }, { id: 'm1' }] }),
    errors: ['FILE: members[2].id: duplicate member id "m1" (also members[0])'],
    jsonSchema: 'cross-field',
  },
  {
    name: 'an unknown member id where a member is named (webMessenger.replication)',
    text: json({ members: three, webMessenger: { replication: ['m1', 'm4', 'M2'] } }),
    errors: [
      'FILE: webMessenger.replication[1]: unknown member id "m4"; valid: m1, m2, m3',
      'FILE: webMessenger.replication[2]: unknown member id "M2"; valid: m1, m2, m3; did you mean "m2"?',
    ],
    jsonSchema: 'cross-field',
  },
  {
    name: 'two sponsors',
    text: json({ members: [{ id: 'm1', role: 'sponsor' }, { id: 'm2' }, { id: 'm3', role: 'sponsor' }] }),
    errors: ['FILE: members[2].role: a second sponsor ("m3"); members[0] "m1" is already the sponsor, and a cluster has one; valid here: node'],
    jsonSchema: 'rejects',
  },
  {
    name: 'no sponsor (every member explicitly a node)',
    text: json({ members: [{ id: 'm1', role: 'node' }, { id: 'm2', role: 'node' }] }),
    errors: [
      'FILE: members[0].role: no member is the sponsor, and a cluster has one; set "role": "sponsor" on the member the others joined through, or leave "role" out here (the first member is the sponsor when none is named)',
    ],
    jsonSchema: 'cross-field',
  },
  {
    name: 'no members',
    text: json({ members: [] }),
    errors: ['FILE: members: no members; a cluster has at least two (KB 153198)'],
    jsonSchema: 'rejects',
  },
  {
    name: 'one member',
    text: json({ members: [{ id: 'm1' }] }),
    errors: ['FILE: members: only one member; a cluster has at least two (KB 153198)'],
    jsonSchema: 'rejects',
  },
  {
    name: 'members not an array',
    text: json({ members: { m1: {}, m2: {} } }),
    errors: ['FILE: members: expected an array of members, such as [{ "id": "m1" }, { "id": "m2" }], got an object'],
    jsonSchema: 'rejects',
  },
  {
    name: 'more members than this tool models',
    text: json({ members: Array.from({ length: 33 }, (_, i) => ({ id: `m${i + 1}` })) }),
    errors: ['FILE: members: 33 members; this tool models at most 32, and the vendor supports at most 6 (KB 153476)'],
    jsonSchema: 'rejects',
  },
  {
    name: 'maxDown above members - 1',
    text: json({ members: three, faults: { maxDown: 3 } }),
    errors: ['FILE: faults.maxDown: 3 is out of range; valid: 0 to 2 (members - 1)'],
    jsonSchema: 'cross-field',
  },
  {
    name: 'maxDown negative',
    text: json({ members: three, faults: { maxDown: -1 } }),
    errors: ['FILE: faults.maxDown: -1 is out of range; valid: 0 to 2 (members - 1)'],
    jsonSchema: 'rejects',
  },
  {
    name: 'maxDown not a whole number',
    text: json({ members: three, faults: { maxDown: 1.5 } }),
    errors: ['FILE: faults.maxDown: expected a whole number, got 1.5'],
    jsonSchema: 'rejects',
  },
  {
    name: 'replication: an empty list',
    text: json({ members: three, webMessenger: { replication: [] } }),
    errors: ['FILE: webMessenger.replication: an empty array; give "all" or the ids of at least one member'],
    jsonSchema: 'rejects',
  },
  {
    name: 'replication: one id where a list belongs',
    text: json({ members: three, webMessenger: { replication: 'm1' } }),
    errors: ['FILE: webMessenger.replication: expected "all" or an array of member ids, got "m1" (for one member, write ["m1"])'],
    jsonSchema: 'rejects',
  },
  {
    name: 'replication: "All" (as the vendor\'s console writes it) for "all"',
    text: json({ members: three, webMessenger: { replication: 'All' } }),
    errors: ['FILE: webMessenger.replication: expected "all" or an array of member ids, got "All"; did you mean "all"?'],
    jsonSchema: 'rejects',
  },
  {
    name: 'non-string member ids',
    text: json({ members: [{ id: 1 }, { id: 'm2' }], webMessenger: { replication: [2, 'm2'] } }),
    errors: [
      'FILE: members[0].id: expected a member id, such as "m1", got 1 (write "1")',
      'FILE: webMessenger.replication[0]: expected a string, got 2 (write "2")',
    ],
    jsonSchema: 'rejects',
  },
  {
    name: 'a malformed member id',
    text: json({ members: [{ id: 'mail server 1' }, { id: 'm2' }] }),
    errors: ['FILE: members[0].id: invalid member id "mail server 1": a member id is 1 to 32 letters, digits, ".", "_" or "-"'],
    jsonSchema: 'rejects',
  },
  {
    name: 'a service or a replication target listed twice',
    text: json({ members: [{ id: 'm1', services: ['mail', 'desktop', 'mail'] }, { id: 'm2' }], webMessenger: { replication: ['m1', 'm2', 'm1'] } }),
    errors: [
      'FILE: members[0].services[2]: service "mail" is listed twice (also [0])',
      'FILE: webMessenger.replication[2]: member id "m1" is listed twice (also [0])',
    ],
    jsonSchema: 'rejects',
  },
  {
    name: 'an empty name',
    text: json({ name: '', members: three }),
    errors: ['FILE: name: empty; expected a non-empty string'],
    jsonSchema: 'rejects',
  },
  {
    name: 'every problem at once, in the order of the file',
    text: json({
      name: 'lab',
      members: [{ id: 'm1', services: ['mial'] }, { id: 'm1', role: 'sponsor' }, { id: 'm3', zone: 'dmx', role: 'sponsor' }],
      webMessenger: { accountMode: 'homeserver', replication: ['m1', 'm9'] },
      faults: { maxDown: 5, partitions: 'yes' },
    }),
    errors: [
      'FILE: members[0].services[0]: unknown service "mial"; valid: mail, webMessenger, keyserver, desktop, verifiedDirectory; did you mean "mail"?',
      'FILE: members[1].id: duplicate member id "m1" (also members[0])',
      'FILE: members[2].zone: unknown zone "dmx"; valid: internal, dmz; did you mean "dmz"?',
      'FILE: members[2].role: a second sponsor ("m3"); members[1] "m1" is already the sponsor, and a cluster has one; valid here: node',
      'FILE: webMessenger.accountMode: unknown accountMode "homeserver"; valid: highAvailability, homeServer; did you mean "homeServer"?',
      'FILE: webMessenger.replication[1]: unknown member id "m9"; valid: m1, m3',
      'FILE: faults.maxDown: 5 is out of range; valid: 0 to 2 (members - 1)',
      'FILE: faults.partitions: expected true or false, got "yes"',
    ],
    jsonSchema: 'rejects',
  },
];
