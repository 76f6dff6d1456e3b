// Structural defaulting of a custom resource, as the API server applies it before validation and
// CEL rules see the object (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go,
// Default, after prunenulls.go): the walk is k8s/schema-defaulting.ts, over the CRD version's
// structural schema. Never mutates its input.
import { withSchemaDefaults, type DefaultingNode } from '../k8s/schema-defaulting';
import { propertySchema, type StructuralSchema } from '../k8s/structural-schema';

/**
 * A value holding a null is walked wholly, since a null anywhere may be pruned
 * (PruneNonNullableNullsWithoutDefaults runs before validation, so CEL rules never see it); one
 * without a null only where the schema has defaults.
 */
export function withDefaults(value: unknown, schema: StructuralSchema | undefined): unknown {
  return withSchemaDefaults(value, schema && nodeOf(schema, containsNull(value)));
}

/** One node per schema object and walk kind, kept with it: built once per CRD version. */
const nodes = new WeakMap<StructuralSchema, StructuralNode>();
const pruningNodes = new WeakMap<StructuralSchema, StructuralNode>();

function nodeOf(schema: StructuralSchema, prunesNulls: boolean): StructuralNode {
  const cache = prunesNulls ? pruningNodes : nodes;
  let node = cache.get(schema);
  if (!node) cache.set(schema, (node = new StructuralNode(schema, prunesNulls)));
  return node;
}

/** Whether a null is anywhere in `value`: iterative (a manifest may nest deeply), each shared (aliased) collection once. */
function containsNull(value: unknown): boolean {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === null) return true;
    if (typeof next !== 'object' || seen.has(next as object)) continue;
    seen.add(next as object);
    for (const child of Array.isArray(next) ? next : Object.values(next as object)) {
      if (child === null) return true;
      if (typeof child === 'object') pending.push(child);
    }
  }
  return false;
}

class StructuralNode implements DefaultingNode {
  readonly default: unknown;
  readonly nullable: boolean;
  readonly defaults: readonly (readonly [string, unknown])[];
  remembered?: WeakMap<object, unknown>;
  private below?: boolean;
  constructor(
    private readonly schema: StructuralSchema,
    /** Walk every subtree the schema describes, for the nulls to prune, not only those with defaults. */
    private readonly prunesNulls: boolean,
  ) {
    this.default = schema.default;
    this.nullable = schema.nullable === true;
    this.defaults = Object.entries(schema.properties ?? {}).flatMap(([key, p]) => (p.default === undefined ? [] : [[key, p.default] as const]));
  }
  property(key: string): DefaultingNode | undefined {
    const child = propertySchema(this.schema, key);
    return child && nodeOf(child, this.prunesNulls);
  }
  get items(): DefaultingNode | undefined {
    return this.schema.items && nodeOf(this.schema.items, this.prunesNulls);
  }
  get defaultsBelow(): boolean {
    if (this.below === undefined) {
      this.below = false; // a cycle (never in a real CRD) ends here
      const { properties, additionalProperties, items } = this.schema;
      const children = [...Object.values(properties ?? {}), ...(typeof additionalProperties === 'object' ? [additionalProperties] : []), ...(items ? [items] : [])];
      this.below = this.defaults.length > 0 || (this.prunesNulls && children.length > 0) || children.some((child) => nodeOf(child, this.prunesNulls).defaultsBelow);
    }
    return this.below;
  }
}
