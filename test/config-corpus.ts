/**
 * A fixed corpus of configs drawn from the config schema itself (the published JSON Schema,
 * `clusterConfigJsonSchema`), so that every option the schema declares, and any option added to it later,
 * is drawn without an edit here. Deterministic: the same seed gives the same corpus on every machine.
 *
 * The draw walks the schema: an optional field is present or left to its default by a coin; an enum, a
 * boolean or a union picks one of its values or branches; a number picks among its least values and a few
 * hour-like ones within its range; a list of objects has 2 to `MAX_MEMBERS_DRAWN` items; a string named
 * `id` in a list's item is that item's position (`m1`, `m2`, …), another string with the member-id pattern
 * names one of the members drawn, and any other string is `a` or `b` (so a field like a site name splits
 * members in two). A draw that the validator refuses (a cross-field rule: `maxDown` against the members,
 * two sponsors) is drawn again.
 *
 * Fields that never reach the model are not drawn: `$schema`, `name`, `accept` (how results are judged)
 * and `workload` (read by `resync` alone).
 */
import { clusterConfigJsonSchema, MEMBER_ID_PATTERN } from '../config/schema.ts';
import type { ClusterConfig } from '../config/schema.ts';
import { validateConfig } from '../config/validate.ts';

/** Members per drawn config: small enough to explore each component to a fixed depth in a test. */
const MAX_MEMBERS_DRAWN = 4;

const NOT_DRAWN: ReadonlySet<string> = new Set(['$schema', 'name', 'accept', 'workload']);

type JsonSchema = Record<string, unknown>;

/** A small seeded generator (mulberry32): test data only, never the model. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Draw {
  private ids: string[] = [];

  constructor(private readonly random: () => number) {}

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)]!;
  }

  private coin(): boolean {
    return this.random() < 0.5;
  }

  value(schema: JsonSchema, name: string, index: number | undefined): unknown {
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum)) return this.pick(schema.enum as unknown[]);
    if (Array.isArray(schema.anyOf)) return this.value(this.pick(schema.anyOf as JsonSchema[]), name, index);
    switch (schema.type) {
      case 'object':
        return this.object(schema);
      case 'array':
        return this.array(schema, name);
      case 'boolean':
        return this.coin();
      case 'integer':
      case 'number': {
        const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
        const max = typeof schema.maximum === 'number' ? schema.maximum : min + 100;
        const candidates = [min, min + 1, min + 2, min + 3, 24, 48].filter((v) => v >= min && v <= max);
        return this.pick(candidates);
      }
      case 'string': {
        if (name === 'id' && index !== undefined) return `m${index + 1}`;
        if (schema.pattern === MEMBER_ID_PATTERN.source && this.ids.length > 0) return this.pick(this.ids);
        return this.pick(['a', 'b']);
      }
      default:
        throw new Error(`the config corpus cannot draw a value of ${JSON.stringify(schema)} (${name})`);
    }
  }

  private object(schema: JsonSchema, index?: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, field] of Object.entries(properties)) {
      if (NOT_DRAWN.has(name)) continue;
      if (!required.has(name) && !this.coin()) continue;
      out[name] = this.value(field, name, index);
    }
    return out;
  }

  private array(schema: JsonSchema, name: string): unknown[] {
    const items = schema.items as JsonSchema;
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    if (items.type === 'object') {
      const length = min + Math.floor(this.random() * (Math.max(min, MAX_MEMBERS_DRAWN) - min + 1));
      const list = Array.from({ length }, (_, i) => this.object(items, i));
      if (name === 'members') this.ids = list.map((m) => String(m.id));
      return list;
    }
    // A list of plain values: a non-empty subset, each value at most once.
    const pool = Array.isArray(items.enum) ? (items.enum as unknown[]) : items.pattern === MEMBER_ID_PATTERN.source ? this.ids : ['a', 'b'];
    const chosen = pool.filter(() => this.coin());
    return chosen.length >= min ? chosen : pool.slice(0, Math.max(min, 1));
  }

  /** A whole config: `members` first, so that fields naming members can name them. */
  config(schema: JsonSchema): Record<string, unknown> {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const members = this.value(properties.members!, 'members', undefined);
    const rest = this.object({ ...schema, properties: Object.fromEntries(Object.entries(properties).filter(([k]) => k !== 'members')) });
    return { name: 'corpus', members, ...rest };
  }
}

/**
 * `count` valid configs drawn from the schema with this seed; each is named `corpus-N`, N its place in the
 * corpus (a failure names the config, and `CORPUS_SEED` and the name reproduce it).
 */
export function configCorpus(count: number, seed: number): ClusterConfig[] {
  const schema = clusterConfigJsonSchema();
  const random = seeded(seed);
  const out: ClusterConfig[] = [];
  for (let attempt = 0; out.length < count; attempt++) {
    if (attempt > count * 50) throw new Error(`the config corpus found only ${out.length} valid configs in ${attempt} draws`);
    const document = new Draw(random).config(schema);
    const result = validateConfig({ ...document, name: `corpus-${out.length + 1}` });
    if (result.ok) out.push(result.config);
  }
  return out;
}
