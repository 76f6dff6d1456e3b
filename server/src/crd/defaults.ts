// Structural defaulting of a custom resource, as the API server applies it before validation and
// CEL rules see the object (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go,
// Default, after prunenulls.go): the walk is k8s/schema-defaulting.ts, over the CRD version's
// structural schema. Never mutates its input.
import { withSchemaDefaults, type DefaultingNode } from '../k8s/schema-defaulting';
import { propertySchema, type StructuralSchema } from '../k8s/structural-schema';

export function withDefaults(value: unknown, schema: StructuralSchema | undefined): unknown {
  return withSchemaDefaults(value, schema && nodeOf(schema));
}

/** One node per schema object, kept with it: built once per CRD version. */
const nodes = new WeakMap<StructuralSchema, StructuralNode>();

function nodeOf(schema: StructuralSchema): StructuralNode {
  let node = nodes.get(schema);
  if (!node) nodes.set(schema, (node = new StructuralNode(schema)));
  return node;
}

class StructuralNode implements DefaultingNode {
  readonly default: unknown;
  readonly nullable: boolean;
  readonly defaults: readonly (readonly [string, unknown])[];
  remembered?: WeakMap<object, unknown>;
  private below?: boolean;
  constructor(private readonly schema: StructuralSchema) {
    this.default = schema.default;
    this.nullable = schema.nullable === true;
    this.defaults = Object.entries(schema.properties ?? {}).flatMap(([key, p]) => (p.default === undefined ? [] : [[key, p.default] as const]));
  }
  property(key: string): DefaultingNode | undefined {
    const child = propertySchema(this.schema, key);
    return child && nodeOf(child);
  }
  get items(): DefaultingNode | undefined {
    return this.schema.items && nodeOf(this.schema.items);
  }
  get defaultsBelow(): boolean {
    if (this.below === undefined) {
      this.below = false; // a cycle (never in a real CRD) ends here
      const { properties, additionalProperties, items } = this.schema;
      const children = [...Object.values(properties ?? {}), ...(typeof additionalProperties === 'object' ? [additionalProperties] : []), ...(items ? [items] : [])];
      this.below = this.defaults.length > 0 || children.some((child) => nodeOf(child).defaultsBelow);
    }
    return this.below;
  }
}
